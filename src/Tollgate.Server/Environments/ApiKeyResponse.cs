namespace Tollgate.Server.Environments;

/// <summary>
/// An API key in Schematic's shape (<c>ApiKeyResponseData</c>), never with its text. Tollgate keeps no last-use time and
/// no rate-limit share, so those answer null. A publishable key is Schematic's read-only key: it may read
/// (check flags) and capture (track, identify); a secret key is an admin key. <c>kind</c>, <c>key_hint</c> and
/// <c>revoked_at</c> are Tollgate's additions (revoked keys stay listed).
/// </summary>
public sealed record ApiKeyResponse(
    string Id,
    string Name,
    string? Description,
    string EnvironmentId,
    EnvironmentRecord? Environment,
    bool Readonly,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? LastUsedAt,
    int? RateLimitPercent,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ApiKeyKind Kind,
    string KeyHint,
    DateTimeOffset? RevokedAt)
{
    private static readonly string[] SecretScopes = ["admin"];
    private static readonly string[] PublishableScopes = ["read", "capture"];

    /// <summary>The answer for a stored key, with its environment when known.</summary>
    public static ApiKeyResponse From(ApiKeyRecord key, EnvironmentRecord? environment)
    {
        ArgumentNullException.ThrowIfNull(key);
        var publishable = key.Kind == ApiKeyKind.Publishable;
        return new ApiKeyResponse(
            key.Id,
            key.Name,
            key.Description,
            key.EnvironmentId,
            environment,
            publishable,
            publishable ? PublishableScopes : SecretScopes,
            null,
            null,
            key.CreatedAt,
            key.UpdatedAt,
            key.Kind,
            key.KeyHint,
            key.RevokedAt);
    }
}
