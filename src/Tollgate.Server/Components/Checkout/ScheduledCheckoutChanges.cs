using Tollgate.Server.Billing;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;
using Tollgate.Server.Subscriptions;
using Tollgate.Stripe;

namespace Tollgate.Server.Components.Checkout;

/// <summary>
/// A checkout's downgrade held until the billing period ends (the plan group's <c>scheduled_downgrade_behavior</c>
/// <c>end_of_billing_period</c>): recorded as the company's scheduled downgrade with the subscription change to make
/// (<see cref="ScheduledStripeChange"/>), so the company keeps the plan it paid for; made in Stripe, without proration,
/// by the scheduled-change loop when the period has ended. The plans then follow the subscription through the sync.
/// </summary>
internal sealed partial class ScheduledCheckoutChanges(
    StripeConnections connections, ScheduledChanges scheduled, IServiceProvider services, ILogger<ScheduledCheckoutChanges> logger)
{
    private const string NotConnected = "the environment has no Stripe connection";

    /// <summary>Holds <paramref name="plan"/>'s subscription change until <paramref name="at"/>; answers the company as scheduled.</summary>
    public Task<CompanyRecord> HoldAsync(RequestScope scope, CheckoutPlan plan, string toPlanId, IReadOnlyList<string> addOnIds, long fromPrice, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var change = new ScheduledStripeChange(plan.SubscriptionId!, [.. plan.Changes.Select(c => new ScheduledStripeItem(c.ItemId, c.PriceId, c.Quantity, c.Deleted))]);
        var downgrade = new ScheduledDowngrade(
            Ids.New("sdg"), plan.Company.BasePlanId, toPlanId, plan.BasePrice.PlanVersionId, addOnIds, at, plan.BasePrice.Currency, plan.BasePrice.Interval ?? "month",
            fromPrice, plan.TotalPerPeriod, "checkout")
        {
            StripeChange = change,
        };
        return scheduled.ScheduleAsync(scope, plan.Company.Id, downgrade, cancellationToken);
    }

    /// <summary>
    /// Makes a held change in Stripe. Answers null when it was made (or dropped), else why it could not be made now
    /// (no connection, Stripe refused or was unreachable): the loop then retries it later, and gives up after a few
    /// failures (<see cref="Subscriptions.ScheduledChangeRetries"/>). A change held for a subscription the company no
    /// longer has, or for a plan it is no longer on, is dropped.
    /// </summary>
    public async Task<string?> ApplyAsync(RequestScope scope, CompanyRecord company, ScheduledDowngrade downgrade, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(downgrade);
        var change = downgrade.StripeChange ?? throw new ArgumentException("The downgrade holds no Stripe change.", nameof(downgrade));
        // Dropped when the company's plan changed otherwise since it was held (the management API, Stripe's dashboard):
        // the held change would undo that.
        if (company.Billing is not { } billing || billing.SubscriptionId != change.SubscriptionId || StripeSubscriptionStatuses.IsEnded(billing.Status ?? string.Empty)
            || company.BasePlanId != downgrade.FromPlanId)
        {
            Log.SubscriptionGone(logger, company.Id, change.SubscriptionId);
            await scheduled.ClearAsync(scope, company.Id, downgrade.Id, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var connection = await connections.GetAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            Log.NotMade(logger, company.Id, change.SubscriptionId, NotConnected);
            return NotConnected;
        }

        // Made again after a pass that changed Stripe but failed to clear the schedule, the change must not add an item
        // twice nor delete one that is gone: only what the subscription (as last synced) still lacks is sent.
        var items = change.Items
            .Where(i => i.ItemId is null ? billing.Items.All(b => b.PriceId != i.PriceId) : !i.Deleted || billing.Items.Any(b => b.ItemId == i.ItemId))
            .Select(i => new SubscriptionItemChange(i.ItemId, i.PriceId, i.Quantity, i.Deleted))
            .ToList();
        try
        {
            await new StripeSubscriptionChanges(connection.Account).UpdateAsync(new SubscriptionChange(change.SubscriptionId, items, ProrationBehaviors.None, null), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (StripeCallException e)
        {
            Log.NotMade(logger, company.Id, change.SubscriptionId, e.Message);
            return $"Stripe refused the subscription change: {e.Message}";
        }

        await scheduled.ClearAsync(scope, company.Id, downgrade.Id, cancellationToken).ConfigureAwait(false);
        await ComponentCheckoutService.ResyncAsync(services, connection, change.SubscriptionId, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Checkout: the downgrade of company {CompanyId} held for subscription {SubscriptionId} was not made yet: {Reason}")]
        public static partial void NotMade(ILogger logger, string companyId, string subscriptionId, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Checkout: the downgrade of company {CompanyId} held for subscription {SubscriptionId} is dropped: the company is no longer billed by it or no longer on the plan it was held from")]
        public static partial void SubscriptionGone(ILogger logger, string companyId, string subscriptionId);
    }
}
