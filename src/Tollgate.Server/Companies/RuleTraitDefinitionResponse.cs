namespace Tollgate.Server.Companies;

/// <summary>The trait a <see cref="RuleConditionResponse"/> compares (Schematic's <c>TraitDefinition</c>).</summary>
public sealed record RuleTraitDefinitionResponse(string Id, string ComparableType, string EntityType);
