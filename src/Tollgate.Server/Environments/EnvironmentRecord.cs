namespace Tollgate.Server.Environments;

/// <summary>
/// An isolated data set with its own keys (Schematic's <c>EnvironmentResponseData</c>): its type is one of
/// <see cref="EnvironmentTypes"/>; an environment never updated answers its creation time as its update time.
/// </summary>
public sealed record EnvironmentRecord(string Id, string Name, string EnvironmentType, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
