using Tollgate.Engine;
using Tollgate.Engine.Model;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Catalog;

/// <summary>Checks rules and conditions given to the API and turns them into records, naming the field at fault.</summary>
internal static class ConditionValidation
{
    private static readonly string[] AllowedRuleTypes = ["standard", "global_override", "default"];

    public static FlagRuleRecord Rule(FlagRuleRequest? rule, string field, CatalogSnapshot catalog)
    {
        if (rule is null)
        {
            Errors.BadRequest(field, "must be an object");
        }

        var ruleType = rule.RuleType ?? "standard";
        if (!AllowedRuleTypes.Contains(ruleType))
        {
            Errors.BadRequest($"{field}.rule_type", $"must be one of {string.Join(", ", AllowedRuleTypes)} (entitlement and override rules come from plans and overrides)");
        }

        return new FlagRuleRecord
        {
            Id = rule.Id is { Length: > 0 } id ? Validate.Required(id, $"{field}.id") : Ids.New("rule"),
            Name = Validate.Required(rule.Name, $"{field}.name"),
            RuleType = ruleType,
            Priority = rule.Priority ?? 0,
            Value = rule.Value ?? Fail<bool>($"{field}.value", "is required"),
            Conditions = [.. (rule.Conditions ?? []).Select((c, i) => Condition(c, $"{field}.conditions[{i}]", catalog))],
            ConditionGroups = [.. (rule.ConditionGroups ?? []).Select((g, i) => new ConditionGroupRecord
            {
                Conditions = [.. (g?.Conditions ?? []).Select((c, j) => Condition(c, $"{field}.condition_groups[{i}].conditions[{j}]", catalog))],
            })],
        };
    }

    private static ConditionRecord Condition(ConditionRequest? c, string field, CatalogSnapshot catalog)
    {
        if (c is null)
        {
            Errors.BadRequest(field, "must be an object");
        }

        var type = ConditionType.Unknown;
        if (c.ConditionType is null || !WireFormat.TryParse(c.ConditionType, out type))
        {
            Errors.BadRequest($"{field}.condition_type", $"must be one of {WireFormat.Expected<ConditionType>()}");
        }

        if (c.Operator is null || !WireFormat.TryParse(c.Operator, out ComparisonOperator _))
        {
            Errors.BadRequest($"{field}.operator", $"must be one of {WireFormat.Expected<ComparisonOperator>()}");
        }

        if (c.MetricPeriod is not null && !WireFormat.TryParse(c.MetricPeriod, out MetricPeriod _))
        {
            Errors.BadRequest($"{field}.metric_period", $"must be one of {WireFormat.Expected<MetricPeriod>()}");
        }

        if (c.MetricPeriodMonthReset is not null && !WireFormat.TryParse(c.MetricPeriodMonthReset, out MonthReset _))
        {
            Errors.BadRequest($"{field}.metric_period_month_reset", $"must be one of {WireFormat.Expected<MonthReset>()}");
        }

        switch (type)
        {
            case ConditionType.Trait when c.TraitId is null || !catalog.TraitsById.ContainsKey(c.TraitId):
                Errors.BadRequest($"{field}.trait_id", "must name an existing trait definition");
                break;
            case ConditionType.Metric when string.IsNullOrEmpty(c.EventSubtype):
                Errors.BadRequest($"{field}.event_subtype", "is required for a metric condition");
                break;
            case ConditionType.Metric when c.MetricValue is null && c.ComparisonTraitId is null:
                Errors.BadRequest($"{field}.metric_value", "is required for a metric condition");
                break;
            case ConditionType.Credit when string.IsNullOrEmpty(c.CreditId):
                Errors.BadRequest($"{field}.credit_id", "is required for a credit condition");
                break;
            case ConditionType.Company or ConditionType.User or ConditionType.Plan or ConditionType.PlanVersion or ConditionType.BillingProduct
                when (c.ResourceIds ?? []).Count == 0:
                Errors.BadRequest($"{field}.resource_ids", "must list at least one id");
                break;
            default:
                break;
        }

        if (c.ResourceIds is { } ids && ids.Any(string.IsNullOrEmpty))
        {
            Errors.BadRequest($"{field}.resource_ids", "ids must be non-empty strings");
        }

        if (c.ComparisonTraitId is not null && !catalog.TraitsById.ContainsKey(c.ComparisonTraitId))
        {
            Errors.BadRequest($"{field}.comparison_trait_id", "must name an existing trait definition");
        }

        return new ConditionRecord
        {
            Id = Ids.New("cond"),
            ConditionType = c.ConditionType,
            Operator = c.Operator,
            ResourceIds = c.ResourceIds ?? [],
            TraitId = c.TraitId,
            TraitValue = c.TraitValue ?? string.Empty,
            ComparisonTraitId = c.ComparisonTraitId,
            EventSubtype = c.EventSubtype,
            // A metric limit taken from a trait still needs a number for the engine (it is replaced by the trait).
            MetricValue = type == ConditionType.Metric ? c.MetricValue ?? 0 : c.MetricValue,
            MetricPeriod = c.MetricPeriod,
            MetricPeriodMonthReset = c.MetricPeriodMonthReset,
            CreditId = c.CreditId,
            ConsumptionRate = c.ConsumptionRate,
        };
    }

    private static T Fail<T>(string field, string problem)
    {
        Errors.BadRequest(field, problem);
        return default!;
    }
}
