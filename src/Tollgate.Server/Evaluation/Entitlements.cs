using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Companies;
using Tollgate.Server.Memory;
using Tollgate.Server.Usage;
using EngineValueType = Tollgate.Engine.Model.EntitlementValueType;

namespace Tollgate.Server.Evaluation;

/// <summary>
/// A company's effective entitlement to each feature (spec §3.8): an override wins over plans; among plans the most
/// generous grant wins (unlimited, then the highest limit normalised per day).
/// </summary>
internal static class Entitlements
{
    /// <summary>The entitlements of the plan versions the company is on (<paramref name="planVersionIds"/>), overrides winning.</summary>
    public static List<FeatureEntitlement> For(
        CatalogSnapshot catalog,
        CompanyRecord company,
        IReadOnlyList<string> planVersionIds,
        IReadOnlyList<CompanyOverrideRecord> activeOverrides,
        CompanyUsage usage,
        DateTimeOffset now)
    {
        var grants = new Dictionary<string, Grant>(StringComparer.Ordinal);
        foreach (var (featureId, entitlements) in catalog.EntitlementsByFeature)
        {
            var best = entitlements.Where(e => planVersionIds.Contains(catalog.VersionIdOf(e))).Select(Grant.From).MaxBy(Generosity);
            if (best is not null)
            {
                grants[featureId] = best;
            }
        }

        foreach (var o in activeOverrides)
        {
            grants[o.FeatureId] = Grant.From(o);
        }

        var result = new List<FeatureEntitlement>(grants.Count);
        foreach (var (featureId, grant) in grants)
        {
            if (catalog.Features.TryGetValue(featureId, out var feature) && catalog.FlagOf(featureId) is { } flag)
            {
                result.Add(ToEntitlement(catalog, feature, flag, grant, company, usage, now));
            }
        }

        return result;
    }

    private static FeatureEntitlement ToEntitlement(
        CatalogSnapshot catalog, FeatureRecord feature, FlagRecord flag, Grant grant, CompanyRecord company, CompanyUsage usage, DateTimeOffset now)
    {
        var period = UsagePeriods.Of(grant.MetricPeriod ?? MetricPeriod.AllTime, grant.MonthReset);
        long? used = feature.FeatureType switch
        {
            FeatureType.Event when feature.EventSubtype is { } subtype => usage.ValueAt(subtype, period, now, company.Subscription),
            FeatureType.Event => 0,
            FeatureType.Trait when feature.TraitId is { } traitId && catalog.TraitsById.TryGetValue(traitId, out var trait)
                => company.Traits.TryGetValue(trait.Name, out var value) ? TraitText.AsInteger(value) ?? 0 : 0,
            _ => null,
        };
        return new FeatureEntitlement
        {
            FeatureId = feature.Id,
            FeatureKey = flag.Key,
            ValueType = grant.ValueType switch
            {
                EntitlementValueKind.Boolean => EngineValueType.Boolean,
                EntitlementValueKind.Numeric => EngineValueType.Numeric,
                EntitlementValueKind.Unlimited => EngineValueType.Unlimited,
                EntitlementValueKind.Trait => EngineValueType.Trait,
                _ => EngineValueType.Credit,
            },
            Allocation = grant.ValueType == EntitlementValueKind.Numeric ? grant.ValueNumeric : null,
            Usage = grant.ValueType is EntitlementValueKind.Numeric or EntitlementValueKind.Trait ? used : null,
            EventName = feature.FeatureType == FeatureType.Event ? feature.EventSubtype : null,
            MetricPeriod = feature.FeatureType == FeatureType.Event ? grant.MetricPeriod ?? MetricPeriod.AllTime : null,
            MonthReset = feature.FeatureType == FeatureType.Event && grant.MetricPeriod == MetricPeriod.CurrentMonth ? grant.MonthReset ?? MonthReset.FirstOfMonth : null,
            MetricResetAt = feature.FeatureType == FeatureType.Event ? ResetText(UsagePeriods.NextReset(period, now, company.Subscription)) : null,
            SoftLimit = grant.SoftLimit,
            WarningTiers = grant.WarningTiers?.Select(t => new WarningTier { Key = t.Key, Value = t.Value }).ToList(),
            CreditId = grant.ValueCreditId,
            ConsumptionRate = grant.ValueType == EntitlementValueKind.Credit ? grant.CreditConsumptionRate ?? 1 : null,
        };
    }

    /// <summary>Reset instants as the engine writes them (<c>+00:00</c>, spec §3.11).</summary>
    private static string? ResetText(DateTimeOffset? reset) => reset is { } at ? SharedStrings.Of(at, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz") : null;

    /// <summary>Unlimited beats any limit; limits compare per day (a week is 7 days, a month 30).</summary>
    private static double Generosity(Grant grant) => grant.ValueType switch
    {
        EntitlementValueKind.Unlimited => double.MaxValue,
        EntitlementValueKind.Boolean => grant.ValueBool == false ? -1 : double.MaxValue / 2,
        EntitlementValueKind.Numeric => (grant.ValueNumeric ?? 0) / (grant.MetricPeriod switch
        {
            MetricPeriod.CurrentDay => 1.0,
            MetricPeriod.CurrentWeek => 7.0,
            MetricPeriod.CurrentMonth => 30.0,
            _ => 1.0,
        }),
        _ => 0,
    };
}
