using Tollgate.Server.Billing;
using Tollgate.Server.Billing.Meters;
using Tollgate.Server.Billing.Push;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Components;

/// <summary>
/// The company's usage-based entitlements (<c>active_usage_based_entitlements</c>, Schematic's
/// <c>UsageBasedEntitlementResponseData</c>): each metered item of its subscription, followed from the price's billing
/// meter to the feature tracked with the meter's event subtype, with the company's usage and allocation of it. Without
/// an allocation (or unlimited) the feature is pay as you go; with one, usage past it is billed as overage. A metered
/// price whose meter or feature Tollgate does not know is left out.
/// </summary>
internal sealed class ComponentUsageBasedEntitlements(BillingMeters meters)
{
    public async Task<IReadOnlyList<UsageBasedEntitlementResponse>> ListAsync(
        string environmentId, CompanyRecord company, CatalogSnapshot catalog, IReadOnlyList<FeatureUsageResponse> usage, CompanyBillingPrices billing,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(billing);
        var metered = (company.Billing?.Items ?? [])
            .Select(i => billing.Prices.GetValueOrDefault(i.PriceId))
            .OfType<BillingPriceRecord>()
            .Where(p => p.UsageType == "metered" && p.MeterId is not null)
            .ToList();
        if (metered.Count == 0)
        {
            return [];
        }

        var byId = (await meters.ListAsync(environmentId, cancellationToken).ConfigureAwait(false)).ToDictionary(m => m.Id, StringComparer.Ordinal);
        var result = new List<UsageBasedEntitlementResponse>();
        foreach (var price in metered)
        {
            if (!byId.TryGetValue(price.MeterId!, out var meter))
            {
                continue;
            }

            foreach (var feature in catalog.Features.Values.Where(f => f.EventSubtype == meter.EventSubtype).OrderBy(f => f.Id, StringComparer.Ordinal))
            {
                var used = usage.FirstOrDefault(u => u.Feature.Id == feature.Id);
                var view = BillingPriceView.From(price, billing.Products.GetValueOrDefault(price.ProductId), meter);
                var allocated = used is { IsUnlimited: false, Allocation: not null };
                result.Add(new UsageBasedEntitlementResponse(
                    feature.Id,
                    view,
                    price.Interval == "month" ? view : null,
                    price.Interval == "year" ? view : null,
                    allocated ? "overage" : "pay_as_you_go",
                    used?.Usage,
                    allocated ? "numeric" : "unlimited",
                    allocated ? used!.Allocation : null,
                    used?.Period,
                    used?.MonthReset));
            }
        }

        return result;
    }
}

/// <summary>One usage-based entitlement (<c>UsageBasedEntitlementResponseData</c>); prices are the metered Stripe price.</summary>
internal sealed record UsageBasedEntitlementResponse(
    string FeatureId,
    BillingPriceView MeteredPrice,
    BillingPriceView? MonthlyUsageBasedPrice,
    BillingPriceView? YearlyUsageBasedPrice,
    string PriceBehavior,
    long? UsageQuantity,
    string ValueType,
    long? ValueNumeric,
    string? MetricPeriod,
    string? MetricPeriodMonthReset);
