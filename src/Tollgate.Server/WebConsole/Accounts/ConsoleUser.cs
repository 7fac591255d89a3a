namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>A person who signs in to the console (not an API key). Times are Unix milliseconds.</summary>
public sealed record ConsoleUser(
    string Id,
    string Email,
    string Name,
    ConsoleRole Role,
    string? PasswordHash,
    string? OidcSubject,
    string SecurityStamp,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSignInAt,
    DateTimeOffset? DisabledAt)
{
    /// <summary>Whether the user may sign in at all.</summary>
    public bool IsActive => DisabledAt is null;
}
