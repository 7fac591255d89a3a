namespace Tollgate.Server.Audit;

/// <summary>
/// Which audit entries to list or count: one resource, one company, a time window [<see cref="From"/>,
/// <see cref="Until"/>), entries of one actor type (Schematic's <c>api_key</c>, <c>app_user</c> for a console user, or
/// <c>system</c>), a text in the resource type or id, and one resource type (the console's filter; exact).
/// </summary>
public sealed record AuditFilter(string? ResourceId, string? CompanyId, DateTimeOffset? From, DateTimeOffset? Until, string? ActorType, string? Text, string? ResourceType = null);
