using Tollgate.Engine.Json;
using Tollgate.Engine.Model;

namespace Tollgate.Engine;

/// <summary>The wire spellings of the engine's enums (<c>plan_entitlement</c>, <c>current_month</c>…), for callers that
/// read or write Schematic's JSON themselves.</summary>
public static class WireFormat
{
    /// <summary>Parses a rule type.</summary>
    public static bool TryParse(string text, out RuleType value) => WireNames.RuleTypes.TryParse(text, out value);

    /// <summary>Parses a condition type.</summary>
    public static bool TryParse(string text, out ConditionType value) => WireNames.ConditionTypes.TryParse(text, out value);

    /// <summary>Parses an operator.</summary>
    public static bool TryParse(string text, out ComparisonOperator value) => WireNames.Operators.TryParse(text, out value);

    /// <summary>Parses a comparable type.</summary>
    public static bool TryParse(string text, out ComparableType value) => WireNames.ComparableTypes.TryParse(text, out value);

    /// <summary>Parses an entity type.</summary>
    public static bool TryParse(string text, out EntityType value) => WireNames.EntityTypes.TryParse(text, out value);

    /// <summary>Parses a metric period.</summary>
    public static bool TryParse(string text, out MetricPeriod value) => WireNames.MetricPeriods.TryParse(text, out value);

    /// <summary>Parses a month reset.</summary>
    public static bool TryParse(string text, out MonthReset value) => WireNames.MonthResets.TryParse(text, out value);

    /// <summary>The accepted spellings of an enum, for error messages (<c>`eq`, `ne`, …</c>).</summary>
    public static string Expected<T>()
        where T : struct, Enum => typeof(T).Name switch
        {
            nameof(RuleType) => WireNames.RuleTypes.Expected,
            nameof(ConditionType) => WireNames.ConditionTypes.Expected,
            nameof(ComparisonOperator) => WireNames.Operators.Expected,
            nameof(ComparableType) => WireNames.ComparableTypes.Expected,
            nameof(EntityType) => WireNames.EntityTypes.Expected,
            nameof(MetricPeriod) => WireNames.MetricPeriods.Expected,
            nameof(MonthReset) => WireNames.MonthResets.Expected,
            _ => throw new ArgumentException($"{typeof(T).Name} has no wire names.", nameof(T)),
        };

    /// <summary>The wire name of a rule type.</summary>
    public static string NameOf(RuleType value) => WireNames.RuleTypes.NameOf(value);

    /// <summary>The wire name of a condition type (<c>unknown</c> for one the engine does not know).</summary>
    public static string NameOf(ConditionType value) => value == ConditionType.Unknown ? "unknown" : WireNames.ConditionTypes.NameOf(value);

    /// <summary>The wire name of an operator (<c>unknown</c> for one the engine does not know).</summary>
    public static string NameOf(ComparisonOperator value) => value == ComparisonOperator.Unknown ? "unknown" : WireNames.Operators.NameOf(value);

    /// <summary>The wire name of a metric period.</summary>
    public static string NameOf(MetricPeriod value) => WireNames.MetricPeriods.NameOf(value);

    /// <summary>The wire name of a month reset.</summary>
    public static string NameOf(MonthReset value) => WireNames.MonthResets.NameOf(value);

    /// <summary>The wire name of an entitlement value type.</summary>
    public static string NameOf(EntitlementValueType value) => WireNames.EntitlementValueTypes.NameOf(value);
}
