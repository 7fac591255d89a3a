using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Outbound;

/// <summary>The Stripe prices a company is sold: a base price (and the metered prices beside it) for a plan and interval, or one named price.</summary>
internal sealed class PlanPrices(ResourceStore store, RuntimeRegistry runtimes)
{
    /// <summary>What to subscribe to: the base price and its metered companions of the same version and interval.</summary>
    public sealed record Choice(BillingPriceRecord Base, IReadOnlyList<BillingPriceRecord> Metered)
    {
        /// <summary>True when the base price charges per seat (quantity = seats); unknown prices count as per seat only when Tollgate pushed them so.</summary>
        public bool PerSeat => Base.Metadata.GetValueOrDefault(OutboundMetadata.PriceKind) == OutboundMetadata.PerSeat;
    }

    /// <summary>
    /// The price from <paramref name="planId"/> (its stored prices for the interval, the newest published version with
    /// prices first) or <paramref name="priceId"/> (a stored billing price); exactly one of them. 400 naming the field.
    /// </summary>
    public async Task<Choice> ChooseAsync(RequestScope scope, string? planId, string? priceId, string? interval, CancellationToken cancellationToken)
    {
        if ((planId is null) == (priceId is null))
        {
            Errors.BadRequest("plan_id", "give exactly one of plan_id and price_id");
        }

        if (interval is not null)
        {
            Validate.OneOf(interval, "interval", ("month", 0), ("year", 0));
        }

        if (priceId is not null)
        {
            var price = await store.GetAsync<BillingPriceRecord>(scope.EnvironmentId, ResourceKinds.BillingPrice, priceId, cancellationToken).ConfigureAwait(false);
            if (price is null || !price.Active || price.Interval is null)
            {
                Errors.BadRequest("price_id", "must name an active recurring Stripe price Tollgate knows (push a plan version or import from Stripe)");
            }

            if (interval is not null && price.Interval != interval)
            {
                Errors.BadRequest("interval", $"the price is billed per {price.Interval}");
            }

            return new Choice(price, []);
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.VersionsByPlan.TryGetValue(planId!, out var versions))
        {
            Errors.BadRequest("plan_id", "must name an existing plan");
        }

        var products = (await store.ListAllAsync<BillingProductRecord>(scope.EnvironmentId, ResourceKinds.BillingProduct, cancellationToken).ConfigureAwait(false))
            .Where(p => p.PlanId == planId && !p.Deleted)
            .Select(p => p.Id)
            .ToList();
        var prices = (await store.ListByParentsAsync<BillingPriceRecord>(scope.EnvironmentId, ResourceKinds.BillingPrice, products, cancellationToken).ConfigureAwait(false))
            .Where(p => p.Active && p.Interval is not null)
            .ToList();
        foreach (var version in Ordered(versions))
        {
            var ofVersion = prices.Where(p => p.PlanVersionId == version.Id).ToList();
            var bases = ofVersion.Where(p => p.UsageType != StripeUsageTypes.Metered).ToList();
            var chosen = interval is not null
                ? bases.FirstOrDefault(p => p.Interval == interval)
                : bases.FirstOrDefault(p => p.Interval == "month") ?? bases.FirstOrDefault();
            if (chosen is not null)
            {
                return new Choice(chosen, [.. ofVersion.Where(p => p.UsageType == StripeUsageTypes.Metered && p.Interval == chosen.Interval)]);
            }
        }

        throw new RequestException(
            StatusCodes.Status400BadRequest,
            interval is null
                ? "plan_id: the plan has no Stripe price yet (push a version: POST /billing/stripe/plan-versions/{id}/push)"
                : $"interval: the plan has no {interval} Stripe price");
    }

    /// <summary>The quantity of the base price: seats for a per-seat price (default 1), 1 for a flat one (seats refused).</summary>
    public static long Quantity(Choice choice, long? seats)
    {
        ArgumentNullException.ThrowIfNull(choice);
        if (seats is < 1 or > 1_000_000)
        {
            Errors.BadRequest("seats", "must be between 1 and 1000000");
        }

        var pushedFlat = choice.Base.Metadata.GetValueOrDefault(OutboundMetadata.PriceKind) == OutboundMetadata.Flat;
        if (pushedFlat && seats is > 1)
        {
            Errors.BadRequest("seats", "the plan's price is flat, not per seat");
        }

        return seats ?? 1;
    }

    /// <summary>Published versions newest first, then the others newest first (a draft's prices are sold only when no published version has any).</summary>
    private static IEnumerable<PlanVersionRecord> Ordered(IReadOnlyList<PlanVersionRecord> versions) =>
        versions.OrderByDescending(v => v.Status == PlanVersionStatus.Published).ThenByDescending(v => v.Version);
}
