using System.Globalization;
using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;

namespace Tollgate.Server.WebConsole.CatalogPages;

/// <summary>How the console words features, plans and entitlements (the grid's cells, the plan and feature pages).</summary>
public static class EntitlementText
{
    /// <summary>The metric periods a person may choose, with their labels.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Periods =
    [
        ("all_time", "All time"), ("current_month", "Per month"), ("current_week", "Per week"), ("current_day", "Per day"),
    ];

    /// <summary>The value types, with their labels.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> ValueTypes =
    [
        ("boolean", "On"), ("numeric", "Limit"), ("unlimited", "Unlimited"), ("trait", "Limit from a company trait"), ("credit", "Credits"),
    ];

    /// <summary>The feature types, with their labels.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> FeatureTypes =
    [
        ("boolean", "Boolean — on or off"), ("event", "Event — metered usage"), ("trait", "Trait — a limit such as seats"),
    ];

    /// <summary>The API's name of a value type.</summary>
    public static string ValueTypeName(EntitlementValueKind kind) => kind switch
    {
        EntitlementValueKind.Numeric => "numeric",
        EntitlementValueKind.Unlimited => "unlimited",
        EntitlementValueKind.Trait => "trait",
        EntitlementValueKind.Credit => "credit",
        _ => "boolean",
    };

    /// <summary>The API's name of a metric period.</summary>
    public static string PeriodName(MetricPeriod period) => period switch
    {
        MetricPeriod.CurrentDay => "current_day",
        MetricPeriod.CurrentWeek => "current_week",
        MetricPeriod.CurrentMonth => "current_month",
        _ => "all_time",
    };

    /// <summary>The API's name of a feature type.</summary>
    public static string FeatureTypeName(FeatureType type) => type switch
    {
        FeatureType.Event => "event",
        FeatureType.Trait => "trait",
        _ => "boolean",
    };

    /// <summary>A feature type as a person reads it.</summary>
    public static string FeatureTypeLabel(FeatureType type) => type switch
    {
        FeatureType.Event => "Event",
        FeatureType.Trait => "Trait",
        _ => "Boolean",
    };

    /// <summary>The short per-period suffix of a limit (<c>/ month</c>), empty for all time.</summary>
    public static string PeriodSuffix(MetricPeriod? period, MonthReset? reset) => period switch
    {
        MetricPeriod.CurrentDay => "/ day",
        MetricPeriod.CurrentWeek => "/ week",
        MetricPeriod.CurrentMonth => reset == MonthReset.BillingCycle ? "/ billing month" : "/ month",
        _ => string.Empty,
    };

    /// <summary>The headline of an entitlement: <c>✓</c>, <c>10,000</c>, <c>Unlimited</c>, <c>= trait seats</c>, <c>2 credits</c>.</summary>
    public static string Value(PlanEntitlementRecord entitlement, Func<string, string>? traitName = null, Func<string, string>? creditName = null)
    {
        ArgumentNullException.ThrowIfNull(entitlement);
        return entitlement.ValueType switch
        {
            EntitlementValueKind.Numeric => (entitlement.ValueNumeric ?? 0).ToString("N0", CultureInfo.InvariantCulture),
            EntitlementValueKind.Unlimited => "Unlimited",
            EntitlementValueKind.Trait => "Trait " + (entitlement.ValueTraitId is { } t ? traitName?.Invoke(t) ?? t : "?"),
            EntitlementValueKind.Credit => $"{(entitlement.CreditConsumptionRate ?? 1).ToString("0.##", CultureInfo.InvariantCulture)} × {(entitlement.ValueCreditId is { } c ? creditName?.Invoke(c) ?? c : "credit")}",
            _ => entitlement.ValueBool == false ? "Off" : "✓",
        };
    }

    /// <summary>What an entitlement grants in one sentence, for screen readers and titles.</summary>
    public static string Sentence(PlanEntitlementRecord entitlement, Func<string, string>? traitName = null, Func<string, string>? creditName = null)
    {
        ArgumentNullException.ThrowIfNull(entitlement);
        var suffix = PeriodSuffix(entitlement.MetricPeriod, entitlement.MetricPeriodMonthReset);
        var value = entitlement.ValueType switch
        {
            EntitlementValueKind.Boolean => entitlement.ValueBool == false ? "off" : "included",
            EntitlementValueKind.Unlimited => "unlimited",
            _ => Value(entitlement, traitName, creditName) + (suffix.Length > 0 ? " " + suffix : string.Empty),
        };
        var soft = entitlement.SoftLimit is { } s ? $", soft limit {s.ToString("N0", CultureInfo.InvariantCulture)}" : string.Empty;
        return value + soft;
    }
}
