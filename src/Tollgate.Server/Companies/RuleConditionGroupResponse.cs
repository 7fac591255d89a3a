namespace Tollgate.Server.Companies;

/// <summary>Alternatives of a <see cref="RuleResponse"/> (Schematic's <c>ConditionGroup</c>).</summary>
public sealed record RuleConditionGroupResponse(IReadOnlyList<RuleConditionResponse> Conditions);
