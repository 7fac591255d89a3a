namespace Tollgate.Server.Companies;

/// <summary>A user in short (<c>UserResponseData</c>); an unnamed user's name is empty.</summary>
public sealed record UserSummaryResponse(
    string Id,
    string Name,
    string EnvironmentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSeenAt);
