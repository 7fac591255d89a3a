namespace Tollgate.Server.WebConsole.Accounts;

/// <summary>An invitation by link to join the console with a role; only a hash of its token is stored.</summary>
public sealed record ConsoleInvitation(
    string Id,
    string Email,
    ConsoleRole Role,
    string InvitedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? RevokedAt)
{
    /// <summary>Whether the link can still be used at <paramref name="now"/>.</summary>
    public bool IsOpen(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && now < ExpiresAt;
}
