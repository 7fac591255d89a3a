using System.Text.Json;

namespace Tollgate.Server.Audit;

/// <summary>One management write: who (which key, or which console user), what (before and after), when.</summary>
public sealed record AuditEntry(
    string Id,
    string EnvironmentId,
    string? ApiKeyId,
    string Action,
    string ResourceType,
    string ResourceId,
    string? CompanyId,
    JsonElement? Before,
    JsonElement? After,
    DateTimeOffset CreatedAt,
    string? UserId = null,
    string? UserName = null);
