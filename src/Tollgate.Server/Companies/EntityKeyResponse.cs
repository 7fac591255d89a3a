namespace Tollgate.Server.Companies;

/// <summary>
/// A key of a company or user (<c>EntityKeyDetailResponseData</c>). Tollgate keeps keys with their entity, without key
/// definitions, so <c>id</c> and <c>definition_id</c> are derived: the entity and key name, and the entity type and key
/// name; the times are the entity's.
/// </summary>
public sealed record EntityKeyResponse(
    string Id,
    string Key,
    string Value,
    string DefinitionId,
    string EntityId,
    string EntityType,
    string EnvironmentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
