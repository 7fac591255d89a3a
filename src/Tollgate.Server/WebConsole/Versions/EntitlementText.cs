using System.Globalization;
using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.WebConsole.Versions;

/// <summary>
/// An entitlement in words, aspect by aspect (value, period, soft limit, warning tiers, credits), so two versions can
/// be compared aspect by aspect and a person reads "1,000 a month" rather than a record.
/// </summary>
internal static class EntitlementText
{
    /// <summary>The aspects compared, in display order.</summary>
    public static readonly IReadOnlyList<string> Aspects = ["Value", "Period", "Soft limit", "Warning tiers", "Credits"];

    /// <summary>Each aspect of <paramref name="entitlement"/> that applies to it, by name (absent aspects are left out).</summary>
    public static IReadOnlyDictionary<string, string> Describe(PlanEntitlementRecord entitlement, CatalogSnapshot catalog, IReadOnlyDictionary<string, string> creditNames)
    {
        ArgumentNullException.ThrowIfNull(entitlement);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(creditNames);
        var aspects = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Value"] = entitlement.ValueType switch
            {
                EntitlementValueKind.Boolean => entitlement.ValueBool == false ? "Off" : "On",
                EntitlementValueKind.Numeric => Number(entitlement.ValueNumeric ?? 0),
                EntitlementValueKind.Unlimited => "Unlimited",
                EntitlementValueKind.Trait => "Trait " + TraitName(catalog, entitlement.ValueTraitId),
                _ => "Credit-based",
            },
        };
        if (entitlement.MetricPeriod is { } period && entitlement.ValueType is EntitlementValueKind.Numeric or EntitlementValueKind.Unlimited)
        {
            aspects["Period"] = Period(period, entitlement.MetricPeriodMonthReset);
        }

        if (entitlement.SoftLimit is { } soft)
        {
            aspects["Soft limit"] = Number(soft);
        }

        if (entitlement.WarningTiers is { Count: > 0 } tiers)
        {
            aspects["Warning tiers"] = string.Join(", ", tiers.OrderBy(t => t.Value).Select(t => $"{t.Key} at {Number(t.Value)}"));
        }

        if (entitlement.ValueType == EntitlementValueKind.Credit || entitlement.ValueCreditId is not null)
        {
            var name = entitlement.ValueCreditId is { } id ? creditNames.GetValueOrDefault(id, id) : "credits";
            aspects["Credits"] = $"{name}, {(entitlement.CreditConsumptionRate ?? 1).ToString("0.####", CultureInfo.InvariantCulture)} per use";
        }

        return aspects;
    }

    /// <summary>A whole number with thousands separators, the same on every server.</summary>
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A credit amount (may be fractional).</summary>
    public static string Amount(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    /// <summary>A metric period as people say it.</summary>
    public static string Period(MetricPeriod period, MonthReset? reset) => period switch
    {
        MetricPeriod.AllTime => "All time",
        MetricPeriod.CurrentDay => "Per day",
        MetricPeriod.CurrentWeek => "Per week",
        _ => reset == MonthReset.BillingCycle ? "Per billing month" : "Per month",
    };

    private static string TraitName(CatalogSnapshot catalog, string? traitId) =>
        traitId is not null && catalog.TraitsById.TryGetValue(traitId, out var trait) ? trait.DisplayName ?? trait.Name : traitId ?? "(none)";
}
