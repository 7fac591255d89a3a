namespace Tollgate.Server.Companies;

/// <summary>A user in short (<c>UserResponseData</c>); an unnamed user's name is empty.</summary>
public sealed record UserSummaryResponse(
    string Id,
    string Name,
    string EnvironmentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSeenAt)
{
    /// <summary>The short form of a user.</summary>
    public static UserSummaryResponse From(UserRecord user, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.Id, user.Name ?? string.Empty, environmentId, user.CreatedAt, user.UpdatedAt, user.LastSeenAt);
    }
}
