using System.Net;
using Dapper;
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

    /// <remarks>
    /// Each price of the origin version either has a target price (its subscriptions would change) or has none (they
    /// would fail); a company that holds a failing price fails, whatever else it holds. The companies are those with a
    /// Stripe customer key and a subscription, counted by the prices their subscription items hold. When the target
    /// version has no Stripe price at all, nobody's subscription changes and nobody fails (see the class remarks).
    /// </remarks>
    public async Task<BillingMoveCounts> CountAsync(string environmentId, string fromVersionId, string toVersionId, CancellationToken cancellationToken)
    {
        if (await connections.GetAsync(environmentId, cancellationToken).ConfigureAwait(false) is null)
        {
            return BillingMoveCounts.None;
        }

        var prices = await store.ListAllAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, cancellationToken).ConfigureAwait(false);
        var moving = prices.Where(p => p.PlanVersionId == fromVersionId).ToList();
        var targets = TargetsOf(prices, toVersionId);
        if (moving.Count == 0 || targets.Count == 0)
        {
            return BillingMoveCounts.None;
        }

        var failing = moving.Where(p => TargetOf(p, targets) is null).Select(p => p.Id).ToArray();
        var changing = moving.Where(p => TargetOf(p, targets) is not null).Select(p => p.Id).ToArray();
        var dialect = store.Database.Dialect;
        string Holds(string parameter) => dialect.IsPostgres
            ? $"EXISTS (SELECT 1 FROM jsonb_array_elements(r.data::jsonb -> 'billing' -> 'items') i WHERE i ->> 'price_id' = ANY(@{parameter}))"
            : $"EXISTS (SELECT 1 FROM json_each(r.data, '$.billing.items') i WHERE json_extract(i.value, '$.price_id') IN @{parameter})";
        var subscribed = dialect.IsPostgres ? "(r.data::jsonb -> 'billing' ->> 'subscription_id')" : "json_extract(r.data, '$.billing.subscription_id')";
        await using var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var (changes, fails) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            $"""
            SELECT COALESCE(SUM(CASE WHEN NOT {Holds("failing")} AND {Holds("changing")} THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN {Holds("failing")} THEN 1 ELSE 0 END), 0)
            FROM resources r
            WHERE r.environment_id = @environmentId AND r.kind = '{ResourceKinds.Company}' AND {subscribed} IS NOT NULL AND r.id IN (
                SELECT k.entity_id FROM entity_keys k WHERE k.environment_id = @environmentId AND k.entity_type = '{EntityKeys.Company}' AND k.key = '{StripeCompanyKeys.CustomerId}')
            """,
            new { environmentId, failing, changing },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new BillingMoveCounts(changes, fails);
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

        var targets = TargetsOf(await store.ListAllAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, cancellationToken).ConfigureAwait(false), toVersionId);
        if (targets.Count == 0)
        {
            return new BillingMovePlan(true, [.. moving.Select(i => new BillingItemChange(i.ItemId, Describe(prices[i.PriceId]), null))], null,
                "the new version has no Stripe price: the subscription keeps its price");
        }

        var changes = new List<BillingItemChange>();
        foreach (var (itemId, priceId) in moving)
        {
            var from = prices[priceId];
            if (TargetOf(from, targets) is not { } to)
            {
                var metered = from.UsageType == StripeUsageTypes.Metered;
                return new BillingMovePlan(true, changes, "no_price_for_interval", $"the new version has no {(metered ? "metered " : string.Empty)}Stripe price billed every {from.IntervalCount} {from.Interval}");
            }

            changes.Add(new BillingItemChange(itemId, Describe(from), Describe(to)));
        }

        return new BillingMovePlan(true, changes, null, null);
    }

    /// <summary>The target version's prices an item may move to: active, and billed on an interval.</summary>
    private static List<BillingPriceRecord> TargetsOf(IEnumerable<BillingPriceRecord> prices, string toVersionId) =>
        [.. prices.Where(p => p.PlanVersionId == toVersionId && p.Active && p.Interval is not null)];

    /// <summary>The target price an item on <paramref name="from"/> moves to: the same interval and usage type (licensed or metered); null when there is none.</summary>
    private static BillingPriceRecord? TargetOf(BillingPriceRecord from, IReadOnlyList<BillingPriceRecord> targets)
    {
        var metered = from.UsageType == StripeUsageTypes.Metered;
        return targets.FirstOrDefault(t => t.Interval == from.Interval && t.IntervalCount == from.IntervalCount && (t.UsageType == StripeUsageTypes.Metered) == metered);
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
