namespace Tollgate.Server.Companies;

/// <summary>A rule of a company, compiled from its overrides, in the rules engine's shape (Schematic's <c>Rule</c>).</summary>
public sealed record RuleResponse(
    string Id,
    string AccountId,
    string EnvironmentId,
    string? FlagId,
    string Name,
    long Priority,
    string RuleType,
    bool Value,
    IReadOnlyList<RuleConditionResponse> Conditions,
    IReadOnlyList<RuleConditionGroupResponse> ConditionGroups);
