namespace Tollgate.Server.Environments;

/// <summary>An isolated data set with its own keys (e.g. development, production).</summary>
public sealed record EnvironmentRecord(string Id, string Name, DateTimeOffset CreatedAt);
