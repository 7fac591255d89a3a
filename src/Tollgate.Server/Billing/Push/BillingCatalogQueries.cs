using Tollgate.Server.Billing.Meters;
using Tollgate.Server.Companies;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// The billing products and prices as Schematic lists them (<c>GET /billing/products</c>, <c>/billing/price</c>,
/// <c>/billing/product/prices</c>), with Schematic's filters. The billing catalog is small and read whole, as the
/// plan catalog is; subscription counts come from the companies' billing state.
/// </summary>
internal sealed class BillingCatalogQueries(ResourceStore store, BillingMeters meters)
{
    /// <summary>The products the query selects, all of them (the caller pages).</summary>
    public async Task<IReadOnlyList<BillingProductRecord>> ProductsAsync(string environmentId, ListQuery query, CancellationToken cancellationToken)
    {
        var ids = query.Many("ids");
        var active = query.Bool("is_active");
        var name = query.One("name");
        var q = query.One("q");
        var usageType = query.One("price_usage_type") is { } usage ? Validate.OneOf(usage, "price_usage_type", ("licensed", "licensed"), ("metered", "metered")) : null;
        var provider = query.One("provider_type") is { } given ? BillingProviders.Of(given) : null;
        var recurringOnly = query.Bool("recurring_charges_only") == true;
        var withOneTime = query.Bool("with_one_time_charges");
        var withPricesOnly = query.Bool("with_prices_only") == true;
        var withZeroPrice = query.Bool("with_zero_price");
        var unlinkedOnly = query.Bool("without_linked_to_plan") == true;
        var products = await store.ListAllAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, cancellationToken).ConfigureAwait(false);
        var prices = (await store.ListAllAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, cancellationToken).ConfigureAwait(false)).ToLookup(p => p.ProductId, StringComparer.Ordinal);
        return [.. products.Where(p =>
            (ids.Count == 0 || ids.Contains(p.Id))
            && (active is null || p.Active == active)
            && (name is null || string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            && (q is null || p.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || p.Id.Contains(q, StringComparison.OrdinalIgnoreCase))
            && (provider is null || p.ProviderType == provider)
            && (!unlinkedOnly || p.PlanId is null)
            && (!withPricesOnly || prices[p.Id].Any())
            && (usageType is null || prices[p.Id].Any(x => (x.UsageType ?? "licensed") == usageType))
            && (!recurringOnly || prices[p.Id].Any(x => x.Interval is not null))
            && (withOneTime != false || !prices[p.Id].Any(x => x.Interval is null))
            && (withZeroPrice != false || (p.Price != 0 && !prices[p.Id].Any(x => (x.UnitAmount ?? 0) == 0))))];
    }

    /// <summary>Schematic's description of each product: its prices and the live subscriptions to it.</summary>
    public async Task<IReadOnlyList<BillingProductResponse>> DescribeAsync(string environmentId, IReadOnlyList<BillingProductRecord> products, CancellationToken cancellationToken)
    {
        var ids = products.Select(p => p.Id).ToList();
        var prices = (await store.ListByParentsAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, ids, cancellationToken).ConfigureAwait(false))
            .ToLookup(p => p.ProductId, StringComparer.Ordinal);
        var companies = await store.ListAllAsync<CompanyRecord>(environmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false);
        var items = companies
            .Where(c => c.Billing is { SubscriptionId: not null, Status: { } status } && !Tollgate.Stripe.StripeSubscriptionStatuses.IsEnded(status))
            .SelectMany(c => c.Billing!.Items.Select(i => (Company: c.Id, Item: i)))
            .ToLookup(x => x.Item.ProductId, StringComparer.Ordinal);
        return [.. products.Select(p => BillingProductResponse.From(
            p, environmentId, [.. prices[p.Id]], items[p.Id].Select(x => x.Company).Distinct().LongCount(), items[p.Id].Sum(x => x.Item.Quantity ?? 0)))];
    }

    /// <summary>The prices the query selects (all; the caller pages), described with their product and meter.</summary>
    public async Task<IReadOnlyList<BillingPriceView>> PricesAsync(string environmentId, ListQuery query, CancellationToken cancellationToken)
    {
        var currency = query.One("currency")?.ToLowerInvariant();
        query.Bool("for_initial_plan");
        query.Bool("for_trial_expiry_plan");
        var ids = query.Many("ids");
        var interval = query.One("interval");
        var intervalCount = Number(query, "interval_count");
        var active = query.Bool("is_active");
        var versionId = query.One("plan_version_id");
        var amount = Number(query, "price");
        var productIds = query.Many("product_ids").Concat(query.One("product_id") is { } one ? [one] : []).ToList();
        var provider = query.One("provider_type") is { } given ? BillingProviders.Of(given) : null;
        var q = query.One("q");
        var tiersMode = query.One("tiers_mode") is { } mode ? Validate.OneOf(mode, "tiers_mode", ("graduated", "graduated"), ("volume", "volume")) : null;
        var usageType = query.One("usage_type") is { } usage ? Validate.OneOf(usage, "usage_type", ("licensed", "licensed"), ("metered", "metered")) : null;
        var withMeter = query.Bool("with_meter");
        var products = (await store.ListAllAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.Id, StringComparer.Ordinal);
        var meterById = (await meters.ListAsync(environmentId, cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.Id, StringComparer.Ordinal);
        var prices = await store.ListAllAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, cancellationToken).ConfigureAwait(false);
        return [.. prices
            .Select(p => BillingPriceView.From(p, products.GetValueOrDefault(p.ProductId), p.MeterId is { } meterId ? meterById.GetValueOrDefault(meterId) : null))
            .Where(v =>
                (currency is null || v.Currency == currency)
                && (ids.Count == 0 || ids.Contains(v.Id))
                && (interval is null || v.Interval == interval)
                && (intervalCount is null || v.IntervalCount == intervalCount)
                && (active is null || v.IsActive == active)
                && (versionId is null || v.PlanVersionId == versionId)
                && (amount is null || v.Price == amount)
                && (productIds.Count == 0 || productIds.Contains(v.ProductId))
                && (provider is null || v.ProviderType == provider)
                && (q is null || v.Id.Contains(q, StringComparison.OrdinalIgnoreCase) || v.ProductName.Contains(q, StringComparison.OrdinalIgnoreCase)
                    || (v.Nickname?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false))
                && (tiersMode is null || v.TiersMode == tiersMode)
                && (usageType is null || v.UsageType == usageType)
                && (withMeter is null || (v.MeterId is not null) == withMeter))];
    }

    private static long? Number(ListQuery query, string name)
    {
        if (query.One(name) is not { } text)
        {
            return null;
        }

        if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            Errors.BadRequest(name, "must be a whole number");
        }

        return value;
    }
}
