namespace Tollgate.Server.Environments;

/// <summary>An API key as stored: only its hash and a masked hint, never the key itself.</summary>
public sealed record ApiKeyRecord(
    string Id,
    string EnvironmentId,
    ApiKeyKind Kind,
    string Name,
    string KeyHint,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>What the key is for, free text (Schematic's <c>description</c>).</summary>
    public string? Description { get; init; }

    /// <summary>The last change of its name or description; its creation time if never changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; } = CreatedAt;
}
