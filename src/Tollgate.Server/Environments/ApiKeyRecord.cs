namespace Tollgate.Server.Environments;

/// <summary>An API key as stored: only its hash and a masked hint, never the key itself.</summary>
public sealed record ApiKeyRecord(
    string Id,
    string EnvironmentId,
    ApiKeyKind Kind,
    string Name,
    string KeyHint,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);
