namespace Tollgate.Server.Catalog;

/// <summary>
/// A flag's rule in Schematic's <c>RuleDetailResponseData</c> shape. Rules are stored inside their flag, so a rule, its
/// conditions and its condition groups carry the flag's own creation and change instants; a condition group, which has
/// no id of its own in storage, is named after its rule and position (<c>{rule id}_group_{n}</c>), stable while the
/// rules are unchanged.
/// </summary>
public sealed record FlagRuleResponse(
    string Id,
    string EnvironmentId,
    string? FlagId,
    string Name,
    long Priority,
    string RuleType,
    bool Value,
    IReadOnlyList<FlagRuleConditionResponse> Conditions,
    IReadOnlyList<FlagRuleConditionGroupResponse> ConditionGroups,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The response shape of each rule of <paramref name="flag"/>.</summary>
    public static IReadOnlyList<FlagRuleResponse> Of(FlagRecord flag, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return [.. flag.Rules.Select(rule => new FlagRuleResponse(
            rule.Id, environmentId, flag.Id, rule.Name, rule.Priority, rule.RuleType, rule.Value,
            [.. rule.Conditions.Select(c => FlagRuleConditionResponse.Of(c, rule.Id, environmentId, flag))],
            [.. rule.ConditionGroups.Select((g, i) => new FlagRuleConditionGroupResponse(
                $"{rule.Id}_group_{i + 1}", rule.Id, environmentId, flag.Id,
                [.. g.Conditions.Select(c => FlagRuleConditionResponse.Of(c, rule.Id, environmentId, flag))], flag.CreatedAt, flag.UpdatedAt))],
            flag.CreatedAt, flag.UpdatedAt))];
    }
}

/// <summary>A condition of a flag's rule (<c>RuleConditionDetailResponseData</c>).</summary>
public sealed record FlagRuleConditionResponse(
    string Id,
    string RuleId,
    string EnvironmentId,
    string? FlagId,
    string ConditionType,
    string Operator,
    IReadOnlyList<string> ResourceIds,
    IReadOnlyList<PreviewResponse> Resources,
    string? TraitId,
    string TraitValue,
    string? ComparisonTraitId,
    string? EventSubtype,
    long? MetricValue,
    string? MetricPeriod,
    string? MetricPeriodMonthReset,
    string? CreditId,
    double? ConsumptionRate,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static FlagRuleConditionResponse Of(ConditionRecord c, string ruleId, string environmentId, FlagRecord flag) => new(
        c.Id, ruleId, environmentId, flag.Id, c.ConditionType, c.Operator, c.ResourceIds, [], c.TraitId, c.TraitValue, c.ComparisonTraitId,
        c.EventSubtype, c.MetricValue, c.MetricPeriod, c.MetricPeriodMonthReset, c.CreditId, c.ConsumptionRate, flag.CreatedAt, flag.UpdatedAt);
}

/// <summary>A condition group of a flag's rule (<c>RuleConditionGroupDetailResponseData</c>).</summary>
public sealed record FlagRuleConditionGroupResponse(
    string Id,
    string RuleId,
    string EnvironmentId,
    string? FlagId,
    IReadOnlyList<FlagRuleConditionResponse> Conditions,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
