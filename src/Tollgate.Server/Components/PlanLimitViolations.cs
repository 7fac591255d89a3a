using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Components;

/// <summary>
/// The features whose current usage a company has past a plan's numeric limits (its published version's entitlements):
/// with the plan group's <c>prevent_downgrades_when_over_limit</c>, the components show such a plan as over its limit
/// (<c>valid</c> false, <c>invalid_reason</c> <c>feature_usage_exceeded</c>, the usage in <c>usage_violations</c>) and
/// the checkout refuses to move the company to it.
/// </summary>
internal static class PlanLimitViolations
{
    /// <summary>Each feature usage over the plan's limit, with that limit.</summary>
    public static IReadOnlyList<(FeatureUsageResponse Usage, long Limit)> Of(CatalogSnapshot catalog, string planId, IReadOnlyList<FeatureUsageResponse> usage)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(usage);
        if (catalog.PublishedVersionOf(planId) is not { } version || !catalog.EntitlementsByVersion.TryGetValue(version.Id, out var entitlements))
        {
            return [];
        }

        var result = new List<(FeatureUsageResponse, long)>();
        foreach (var entitlement in entitlements.Where(e => e.ValueType == EntitlementValueKind.Numeric && e.ValueNumeric is not null))
        {
            if (usage.FirstOrDefault(u => u.Feature.Id == entitlement.FeatureId) is { Usage: { } used } feature && used > entitlement.ValueNumeric!.Value)
            {
                result.Add((feature, entitlement.ValueNumeric.Value));
            }
        }

        return result;
    }
}
