using Tollgate.Server.Catalog;

namespace Tollgate.Server.Companies;

/// <summary>
/// A trait value of a company or user with its definition (<c>EntityTraitDetailResponseData</c>); the value as text,
/// the id derived from the entity and the definition, the times the entity's.
/// </summary>
public sealed record EntityTraitResponse(
    string Id,
    string DefinitionId,
    string EnvironmentId,
    string Value,
    TraitDefinitionResponse Definition,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
