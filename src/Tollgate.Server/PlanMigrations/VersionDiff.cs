using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.PlanMigrations;

/// <summary>What moving from one version of a plan to another changes, feature by feature (computed once per origin version).</summary>
internal sealed record VersionDiff(
    IReadOnlyList<FeatureReference> Gained, IReadOnlyList<FeatureReference> Lost, IReadOnlyList<LimitChange> Changed, IReadOnlyList<PlanEntitlementRecord> NewLimits)
{
    public static VersionDiff Of(CatalogSnapshot catalog, string fromVersionId, string toVersionId)
    {
        var from = Grants(catalog, fromVersionId);
        var to = Grants(catalog, toVersionId);
        var gained = new List<FeatureReference>();
        var lost = new List<FeatureReference>();
        var changed = new List<LimitChange>();
        var newLimits = new List<PlanEntitlementRecord>();
        foreach (var (featureId, grant) in to)
        {
            if (!from.TryGetValue(featureId, out var before) || (Grants(before) == false && Grants(grant) != false))
            {
                gained.Add(Reference(catalog, featureId));
            }
            else if (Grants(grant) == false && Grants(before) != false)
            {
                lost.Add(Reference(catalog, featureId));
                continue;
            }
            else if (Value(before) != Value(grant))
            {
                changed.Add(new LimitChange(featureId, Key(catalog, featureId), Value(before), Value(grant)));
            }
            else
            {
                continue;
            }

            if (grant.ValueType == EntitlementValueKind.Numeric)
            {
                newLimits.Add(grant);
            }
        }

        lost.AddRange(from.Keys.Where(f => !to.ContainsKey(f) && Grants(from[f]) != false).Select(f => Reference(catalog, f)));
        return new VersionDiff(Sorted(gained), Sorted(lost), [.. changed.OrderBy(c => c.FeatureKey, StringComparer.Ordinal)], newLimits);
    }

    private static Dictionary<string, PlanEntitlementRecord> Grants(CatalogSnapshot catalog, string versionId) =>
        (catalog.EntitlementsByVersion.GetValueOrDefault(versionId) ?? []).Where(e => catalog.Features.ContainsKey(e.FeatureId))
            .GroupBy(e => e.FeatureId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>False for a boolean entitlement that grants nothing; null when it is not boolean.</summary>
    private static bool? Grants(PlanEntitlementRecord grant) => grant.ValueType == EntitlementValueKind.Boolean ? grant.ValueBool != false : null;

    private static EntitlementValue Value(PlanEntitlementRecord grant) => new(
        grant.ValueType switch
        {
            EntitlementValueKind.Boolean => "boolean",
            EntitlementValueKind.Numeric => "numeric",
            EntitlementValueKind.Unlimited => "unlimited",
            EntitlementValueKind.Trait => "trait",
            _ => "credit",
        },
        grant.ValueType == EntitlementValueKind.Boolean ? grant.ValueBool : null,
        grant.ValueType == EntitlementValueKind.Numeric ? grant.ValueNumeric : null,
        grant.MetricPeriod switch
        {
            null => null,
            MetricPeriod.AllTime => "all_time",
            MetricPeriod.CurrentDay => "current_day",
            MetricPeriod.CurrentWeek => "current_week",
            _ => "current_month",
        });

    private static FeatureReference Reference(CatalogSnapshot catalog, string featureId) => new(featureId, Key(catalog, featureId), catalog.Features[featureId].Name);

    private static string Key(CatalogSnapshot catalog, string featureId) => catalog.FlagOf(featureId)?.Key ?? featureId;

    private static List<FeatureReference> Sorted(List<FeatureReference> features) => [.. features.OrderBy(f => f.FeatureKey, StringComparer.Ordinal)];
}
