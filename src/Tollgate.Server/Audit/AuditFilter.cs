namespace Tollgate.Server.Audit;

/// <summary>
/// Which audit entries to list or count: one resource, one company, a time window [<see cref="From"/>,
/// <see cref="Until"/>), entries made with an API key (true) or by the system (false), and a text in the resource type or id.
/// </summary>
public sealed record AuditFilter(string? ResourceId, string? CompanyId, DateTimeOffset? From, DateTimeOffset? Until, bool? ApiKeyActor, string? Text);
