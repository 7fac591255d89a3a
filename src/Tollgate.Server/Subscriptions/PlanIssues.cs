using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Subscriptions;

/// <summary>
/// What makes a plan version grant less than it says (Schematic's plan issues): an entitlement whose feature has no
/// flag any more (nothing checks it), a metered entitlement without a period, a trait entitlement whose trait is gone.
/// </summary>
internal static class PlanIssues
{
    public static IReadOnlyList<PlanIssueResponse> Of(CatalogSnapshot catalog, PlanVersionRecord version)
    {
        var issues = new List<PlanIssueResponse>();
        foreach (var e in catalog.EntitlementsByVersion.GetValueOrDefault(version.Id) ?? [])
        {
            if (!catalog.Features.TryGetValue(e.FeatureId, out var feature))
            {
                issues.Add(new("missing_feature", "The entitlement's feature no longer exists.", e.FeatureId, e.Id));
                continue;
            }

            if (catalog.FlagOf(feature.Id) is null)
            {
                issues.Add(new("feature_without_flag", $"Feature '{feature.Name}' has no flag, so no check sees this entitlement.", feature.Id, e.Id));
            }

            if (feature.FeatureType == FeatureType.Event && e.ValueType == EntitlementValueKind.Numeric && e.MetricPeriod is null)
            {
                issues.Add(new("missing_metric_period", $"The limit on '{feature.Name}' has no metric period.", feature.Id, e.Id));
            }

            if (e.ValueType == EntitlementValueKind.Trait && (e.ValueTraitId is null || !catalog.TraitsById.ContainsKey(e.ValueTraitId)))
            {
                issues.Add(new("missing_trait", $"The limit on '{feature.Name}' names a trait that no longer exists.", e.ValueTraitId, e.Id));
            }
        }

        return issues;
    }
}
