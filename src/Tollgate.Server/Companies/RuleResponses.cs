using Tollgate.Engine;
using Tollgate.Engine.Model;

namespace Tollgate.Server.Companies;

/// <summary>The engine's rules in their wire shape (the spellings of spec §3.1).</summary>
internal static class RuleResponses
{
    public static RuleResponse From(Rule rule) => new(
        rule.Id, rule.AccountId, rule.EnvironmentId, rule.FlagId, rule.Name, rule.Priority, WireFormat.NameOf(rule.RuleType), rule.Value,
        [.. rule.Conditions.Select(From)], [.. rule.ConditionGroups.Select(g => new RuleConditionGroupResponse([.. g.Conditions.Select(From)]))]);

    private static RuleConditionResponse From(Condition c) => new(
        c.Id, c.AccountId, c.EnvironmentId, NameOf(c.ConditionType), NameOf(c.Operator), c.ResourceIds, c.TraitValue, c.EventSubtype, c.MetricValue,
        c.MetricPeriod is { } period ? WireFormat.NameOf(period) : null, c.MetricPeriodMonthReset is { } reset ? WireFormat.NameOf(reset) : null,
        c.CreditId, c.ConsumptionRate, From(c.TraitDefinition), From(c.ComparisonTraitDefinition));

    private static RuleTraitDefinitionResponse? From(TraitDefinition? t) => t is null
        ? null
        : new(t.Id, t.ComparableType.ToString().ToLowerInvariant(), t.EntityType == EntityType.Company ? "company" : "user");

    private static string NameOf(ConditionType type) => type switch
    {
        ConditionType.Company => "company",
        ConditionType.User => "user",
        ConditionType.Plan => "plan",
        ConditionType.BasePlan => "base_plan",
        ConditionType.PlanVersion => "plan_version",
        ConditionType.BillingProduct => "billing_product",
        ConditionType.Trait => "trait",
        ConditionType.Metric => "metric",
        ConditionType.Credit => "credit",
        _ => "unknown",
    };

    private static string NameOf(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "eq",
        ComparisonOperator.NotEqual => "ne",
        ComparisonOperator.GreaterThan => "gt",
        ComparisonOperator.LessThan => "lt",
        ComparisonOperator.GreaterThanOrEqual => "gte",
        ComparisonOperator.LessThanOrEqual => "lte",
        ComparisonOperator.IsEmpty => "is_empty",
        ComparisonOperator.NotEmpty => "not_empty",
        _ => "unknown",
    };
}
