namespace Tollgate.Server.Companies;

/// <summary>A condition of a <see cref="RuleResponse"/> in the rules engine's shape (Schematic's <c>Condition</c>).</summary>
public sealed record RuleConditionResponse(
    string Id,
    string AccountId,
    string EnvironmentId,
    string ConditionType,
    string Operator,
    IReadOnlyList<string> ResourceIds,
    string TraitValue,
    string? EventSubtype,
    long? MetricValue,
    string? MetricPeriod,
    string? MetricPeriodMonthReset,
    string? CreditId,
    double? ConsumptionRate,
    RuleTraitDefinitionResponse? TraitDefinition,
    RuleTraitDefinitionResponse? ComparisonTraitDefinition);
