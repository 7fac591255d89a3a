using System.Globalization;
using Tollgate.Engine;
using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.WebConsole.Pages.Flags;

/// <summary>Flags, rules, conditions and grants in words, with the catalog's names instead of ids.</summary>
public static class FlagText
{
    /// <summary>The condition types the editor offers, with their labels.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> ConditionTypes =
    [
        ("trait", "Trait"),
        ("metric", "Usage (metric)"),
        ("plan", "Plan or add-on"),
        ("base_plan", "Base plan"),
        ("plan_version", "Plan version"),
        ("company", "Company"),
        ("user", "User"),
        ("billing_product", "Billing product"),
        ("credit", "Credit balance"),
    ];

    /// <summary>The rule types a flag's own rules may have.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> RuleTypes =
    [
        ("standard", "Targeting rule (by priority)"),
        ("global_override", "Global override (before everything)"),
        ("default", "Default rule (after everything)"),
    ];

    /// <summary>The metric periods, with labels.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Periods =
    [
        ("all_time", "All time"),
        ("current_day", "Today"),
        ("current_week", "This week"),
        ("current_month", "This month"),
    ];

    /// <summary>The operators that make sense for a condition type.</summary>
    public static IReadOnlyList<(string Value, string Label)> Operators(string conditionType) => conditionType switch
    {
        "company" or "user" or "plan" or "plan_version" or "billing_product" => [("eq", "is one of"), ("ne", "is none of")],
        "base_plan" => [("eq", "is one of"), ("ne", "is none of"), ("is_empty", "is not set"), ("not_empty", "is set")],
        "credit" => [("eq", "covers the cost of a use"), ("gte", "is exhausted")],
        "metric" => [("lt", "<"), ("lte", "≤"), ("gt", ">"), ("gte", "≥"), ("eq", "="), ("ne", "≠")],
        _ => [("eq", "="), ("ne", "≠"), ("gt", ">"), ("gte", "≥"), ("lt", "<"), ("lte", "≤"), ("is_empty", "is empty"), ("not_empty", "is not empty")],
    };

    /// <summary>A feature type in words.</summary>
    public static string FeatureType(FeatureType type) => type switch
    {
        Catalog.FeatureType.Event => "Metered",
        Catalog.FeatureType.Trait => "Trait",
        _ => "On/off",
    };

    /// <summary>A rule type in words.</summary>
    public static string RuleType(string ruleType) =>
        WireFormat.TryParse(ruleType, out Engine.Model.RuleType type) ? Evaluation.Explain.ExplainService.Kind(type) : ruleType;

    /// <summary>A condition in words, e.g. <c>Company trait “seats” &gt; “5”</c> or <c>Plan is one of Pro, Enterprise</c>.</summary>
    internal static string Condition(ConditionRecord c, CatalogSnapshot catalog)
    {
        var op = Operators(c.ConditionType).FirstOrDefault(o => o.Value == c.Operator).Label ?? c.Operator;
        string Plans() => string.Join(", ", c.ResourceIds.Select(id => catalog.Plans.TryGetValue(id, out var p) ? p.Name : id));
        string Versions() => string.Join(", ", c.ResourceIds.Select(id =>
            catalog.VersionsById.TryGetValue(id, out var v) && catalog.Plans.TryGetValue(v.PlanId, out var p) ? $"{p.Name} v{v.Version}" : id));
        string Trait(string? id) => id is not null && catalog.TraitsById.TryGetValue(id, out var t) ? $"“{t.Name}”" : "(unknown trait)";
        var unary = c.Operator is "is_empty" or "not_empty";
        return c.ConditionType switch
        {
            "plan" => $"Plan or add-on {op} {Plans()}",
            "base_plan" => unary ? $"Base plan {op}" : $"Base plan {op} {Plans()}",
            "plan_version" => $"Plan version {op} {Versions()}",
            "company" => $"Company {op} {Ids(c.ResourceIds)}",
            "user" => $"User {op} {Ids(c.ResourceIds)}",
            "billing_product" => $"Billing product {op} {Ids(c.ResourceIds)}",
            "trait" => $"{TraitOwner(c.TraitId, catalog)} trait {Trait(c.TraitId)} {op}{(unary ? string.Empty : " " + (c.ComparisonTraitId is { } other ? $"trait {Trait(other)}" : $"“{c.TraitValue}”"))}",
            "metric" => $"Usage of “{c.EventSubtype}” {Period(c.MetricPeriod)} {op} {(c.ComparisonTraitId is { } limitTrait ? $"trait {Trait(limitTrait)}" : (c.MetricValue ?? 0).ToString("N0", CultureInfo.InvariantCulture))}",
            "credit" => $"Credit “{c.CreditId}” {op}",
            _ => $"{c.ConditionType} {c.Operator}",
        };
    }

    /// <summary>What a plan entitlement grants, e.g. <c>1,000 a month (soft limit 800)</c>.</summary>
    internal static string Grant(PlanEntitlementRecord e, CatalogSnapshot catalog) => e.ValueType switch
    {
        EntitlementValueKind.Boolean => e.ValueBool == false ? "Off" : "On",
        EntitlementValueKind.Unlimited => "Unlimited",
        EntitlementValueKind.Numeric => string.Create(CultureInfo.InvariantCulture, $"{e.ValueNumeric ?? 0:N0} {Period(e.MetricPeriod is { } p ? WireFormat.NameOf(p) : null)}")
            + (e.SoftLimit is { } soft ? string.Create(CultureInfo.InvariantCulture, $" (soft limit {soft:N0})") : string.Empty),
        EntitlementValueKind.Trait => $"Limit from trait {(e.ValueTraitId is { } id && catalog.TraitsById.TryGetValue(id, out var t) ? $"“{t.Name}”" : "(unknown)")}",
        _ => string.Create(CultureInfo.InvariantCulture, $"Credits “{e.ValueCreditId}”, {e.CreditConsumptionRate ?? 1:0.####} a use"),
    };

    private static string TraitOwner(string? traitId, CatalogSnapshot catalog) =>
        traitId is not null && catalog.TraitsById.TryGetValue(traitId, out var t) && t.EntityType == EntityType.User ? "User" : "Company";

    private static string Ids(IReadOnlyList<string> ids) =>
        ids.Count <= 3 ? string.Join(", ", ids) : string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", ids.Take(3))} and {ids.Count - 3} more");

    private static string Period(string? period) => period switch
    {
        "current_day" => "a day",
        "current_week" => "a week",
        "current_month" => "a month",
        _ => "in all",
    };
}
