using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Outbound;

/// <summary>
/// Moves the trial end of a company's Stripe subscription (<c>PUT /subscription/{id}/edit-trial-end</c> for a trial
/// Stripe runs): Stripe is changed, then the subscription synced at once, so the company shows what Stripe answered.
/// </summary>
internal sealed class StripeTrialEnds(StripeConnections connections, ResourceStore store, IStripeObjectSync sync)
{
    /// <summary>The company whose followed Stripe subscription this is, or null when none is.</summary>
    public async Task<string?> CompanyOfAsync(RequestScope scope, string subscriptionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!subscriptionId.StartsWith("sub_", StringComparison.Ordinal))
        {
            return null;
        }

        // Companies are not indexed by subscription: the environment's companies are read (an edit is rare).
        var companies = await store.ListAllAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false);
        return companies.FirstOrDefault(c => c.Billing?.SubscriptionId == subscriptionId)?.Id;
    }

    /// <summary>Moves the trial end at Stripe and syncs the subscription back.</summary>
    public async Task MoveAsync(RequestScope scope, string subscriptionId, DateTimeOffset trialEnd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var connection = await connections.RequireAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        try
        {
            await new StripeSubscriptionChanges(connection.Account).UpdateTrialEndAsync(subscriptionId, trialEnd, cancellationToken).ConfigureAwait(false);
        }
        catch (StripeCallException e)
        {
            throw OutboundFailures.From(e, param => param == "trial_end" ? "trial_end" : null);
        }

        await sync.SyncAsync(connection, StripeObjectTypes.Subscription, subscriptionId, cancellationToken).ConfigureAwait(false);
    }
}
