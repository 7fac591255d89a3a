using System.Text.Json;

namespace Tollgate.Server.Audit;

/// <summary>
/// An audit entry in Schematic's shape (<c>AuditLogResponseData</c>, which also serves the list's
/// <c>AuditLogListResponseData</c>). Tollgate records writes, not HTTP exchanges: <c>method</c> is the write's verb
/// (create → POST, update → PUT, delete → DELETE), <c>url</c> the path of the resource written, both times the instant
/// of the write; the response code and bodies are not kept (null). The resource id is a string, so Schematic's numeric
/// <c>resource_id</c> is null and <c>resource_id_string</c> holds it. <c>action</c>, <c>company_id</c>, <c>before</c>,
/// <c>after</c> and <c>created_at</c> are Tollgate's.
/// </summary>
public sealed record AuditLogResponse(
    string Id,
    string ActorType,
    string? ApiKeyId,
    string EnvironmentId,
    string Method,
    string Url,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    long? ResourceId,
    string ResourceIdString,
    string ResourceType,
    string? ResourceName,
    int? RespCode,
    string? ReqBody,
    string? RespBody,
    string Action,
    string? CompanyId,
    JsonElement? Before,
    JsonElement? After,
    DateTimeOffset CreatedAt,
    string? UserId,
    string? UserName)
{
    /// <summary>Schematic's actor type of an entry made with an API key.</summary>
    public const string ApiKeyActor = "api_key";

    /// <summary>Schematic's actor type of an entry made by Tollgate itself (start-up, background work).</summary>
    public const string SystemActor = "system";

    /// <summary>Schematic's actor type of an entry made by a person signed in to the console.</summary>
    public const string ConsoleUserActor = "app_user";

    private static readonly Dictionary<string, string> Paths = new(StringComparer.Ordinal)
    {
        ["feature"] = "/features/",
        ["flag"] = "/flags/",
        ["trait_definition"] = "/entity-trait-definitions/",
        ["plan"] = "/plans/",
        ["plan_version"] = "/plans/version/",
        ["plan_entitlement"] = "/plan-entitlements/",
        ["company"] = "/companies/",
        ["user"] = "/users/",
        ["company_override"] = "/company-overrides/",
        ["api_key"] = "/api-keys/",
        ["environment"] = "/environments/",
        ["credit_grant"] = "/billing/credits/grants/",
        ["webhook"] = "/webhooks/",
    };

    /// <summary>The answer for a stored entry.</summary>
    public static AuditLogResponse From(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var method = entry.Action switch { "create" => "POST", "update" => "PUT", "delete" => "DELETE", _ => "POST" };
        var url = Paths.TryGetValue(entry.ResourceType, out var path) ? path + entry.ResourceId : $"/{entry.ResourceType}/{entry.ResourceId}";
        return new AuditLogResponse(
            entry.Id,
            entry.UserId is not null ? ConsoleUserActor : entry.ApiKeyId is null ? SystemActor : ApiKeyActor,
            entry.ApiKeyId,
            entry.EnvironmentId,
            method,
            url,
            entry.CreatedAt,
            entry.CreatedAt,
            null,
            entry.ResourceId,
            entry.ResourceType,
            NameOf(entry.After) ?? NameOf(entry.Before),
            null,
            null,
            null,
            entry.Action,
            entry.CompanyId,
            entry.Before,
            entry.After,
            entry.CreatedAt,
            entry.UserId,
            entry.UserName);
    }

    private static string? NameOf(JsonElement? document) =>
        document is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
}
