using System.Net;
using Tollgate.Server.Companies;
using Tollgate.Server.PlanMigrations;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Outbound;

/// <summary>
/// The Stripe side of plan version migrations: an item whose price belongs to an origin version gets the target
/// version's price of the same interval and usage type (licensed or metered), its quantity kept. An item on a price of
/// no version (mapped by its product only) is left alone, and so is a subscription when the target version has no
/// Stripe price at all (the company keeps its price, grandfathered; the sync no longer reverts it, see
/// <see cref="BillingPlans"/>). A target version with prices but none for the item's interval fails the company with
/// <c>no_price_for_interval</c>.
/// </summary>
internal sealed class StripePlanMigrationBilling(StripeConnections connections, ResourceStore store, IServiceProvider services) : IPlanMigrationBilling
{
    public async Task<BillingMovePlan> PlanAsync(string environmentId, CompanyRecord company, string fromVersionId, string toVersionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(company);
        if (company.Billing?.SubscriptionId is null || await connections.GetAsync(environmentId, cancellationToken).ConfigureAwait(false) is null)
        {
            return BillingMovePlan.NotBilled;
        }

        return await PlanItemsAsync(environmentId, [.. company.Billing.Items.Select(i => (i.ItemId, i.PriceId))], [fromVersionId], toVersionId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BillingMoveResult> MoveAsync(
        string environmentId, CompanyRecord company, IReadOnlyCollection<string> fromVersionIds, string toVersionId, string? prorationBehavior, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(company);
        if (company.Billing?.SubscriptionId is not { } subscriptionId || await connections.GetAsync(environmentId, cancellationToken).ConfigureAwait(false) is not { } connection)
        {
            return BillingMoveResult.Ok;
        }

        try
        {
            var subscriptions = new StripeSubscriptionChanges(connection.Account);
            var subscription = await subscriptions.GetAsync(subscriptionId, cancellationToken).ConfigureAwait(false);
            var plan = await PlanItemsAsync(environmentId, [.. subscription.Items.Select(i => (i.Id, i.PriceId))], fromVersionIds, toVersionId, cancellationToken).ConfigureAwait(false);
            if (plan.ErrorCode is { } code)
            {
                return new BillingMoveResult(false, code, plan.Note);
            }

            var items = plan.Items.Where(i => i.To is not null && i.To.PriceId != i.From.PriceId).Select(i => new SubscriptionItemChange(i.ItemId, i.To!.PriceId, null)).ToList();
            if (items.Count > 0)
            {
                await subscriptions.UpdateAsync(new SubscriptionChange(subscriptionId, items, prorationBehavior, null), cancellationToken).ConfigureAwait(false);
            }

            return BillingMoveResult.Ok;
        }
        catch (StripeCallException e)
        {
            return new BillingMoveResult(false, ErrorCodeOf(e), $"Stripe: {e.Message}");
        }
    }

    public async Task FollowAsync(string environmentId, CompanyRecord company, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(company);
        if (company.Billing?.SubscriptionId is not { } subscriptionId
            || services.GetService(typeof(IStripeObjectSync)) is not IStripeObjectSync sync
            || await connections.GetAsync(environmentId, cancellationToken).ConfigureAwait(false) is not { } connection)
        {
            return;
        }

        try
        {
            await sync.SyncAsync(connection, StripeObjectTypes.Subscription, subscriptionId, cancellationToken).ConfigureAwait(false);
        }
        catch (StripeCallException)
        {
            // Stripe has the change; the customer.subscription.updated webhook brings it when the re-read failed.
        }
    }

    private async Task<BillingMovePlan> PlanItemsAsync(
        string environmentId, IReadOnlyList<(string ItemId, string PriceId)> items, IReadOnlyCollection<string> fromVersionIds, string toVersionId, CancellationToken cancellationToken)
    {
        var prices = (await store.GetManyAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, [.. items.Select(i => i.PriceId).Distinct()], cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.Id, StringComparer.Ordinal);
        var moving = items.Where(i => prices.TryGetValue(i.PriceId, out var p) && p.PlanVersionId is { } v && fromVersionIds.Contains(v)).ToList();
        if (moving.Count == 0)
        {
            return new BillingMovePlan(true, [], null, null);
        }

        var targets = (await store.ListAllAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, cancellationToken).ConfigureAwait(false))
            .Where(p => p.PlanVersionId == toVersionId && p.Active && p.Interval is not null)
            .ToList();
        if (targets.Count == 0)
        {
            return new BillingMovePlan(true, [.. moving.Select(i => new BillingItemChange(i.ItemId, Describe(prices[i.PriceId]), null))], null,
                "the new version has no Stripe price: the subscription keeps its price");
        }

        var changes = new List<BillingItemChange>();
        foreach (var (itemId, priceId) in moving)
        {
            var from = prices[priceId];
            var metered = from.UsageType == StripeUsageTypes.Metered;
            var to = targets.FirstOrDefault(t => t.Interval == from.Interval && t.IntervalCount == from.IntervalCount && (t.UsageType == StripeUsageTypes.Metered) == metered);
            if (to is null)
            {
                return new BillingMovePlan(true, changes, "no_price_for_interval", $"the new version has no {(metered ? "metered " : string.Empty)}Stripe price billed every {from.IntervalCount} {from.Interval}");
            }

            changes.Add(new BillingItemChange(itemId, Describe(from), Describe(to)));
        }

        return new BillingMovePlan(true, changes, null, null);
    }

    private static BillingPrice Describe(BillingPriceRecord price) => new(price.Id, price.UnitAmount, price.Currency, price.Interval);

    /// <summary>Schematic's error code for a failed Stripe call: transient when a retry may succeed, a decline for card errors, else configuration.</summary>
    private static string ErrorCodeOf(StripeCallException e) => e switch
    {
        { Retryable: true } or { Status: null } or { Status: >= HttpStatusCode.InternalServerError } or { Status: HttpStatusCode.TooManyRequests } => "transient_stripe",
        { ErrorType: "card_error" } => "permanent_decline",
        _ => "permanent_config",
    };
}
