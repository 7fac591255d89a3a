using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tollgate.Server.Operations;

/// <summary>
/// <c>/health/live</c>: the process answers (no check runs, so a slow database never gets a live node restarted).
/// <c>/health/ready</c>: the store answers and is migrated (<see cref="StoreReadiness"/>); 503 otherwise. Neither needs an
/// API key. <c>/health</c> stays the cheapest answer (the load test's baseline).
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static void Map(WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).ExcludeFromDescription();
    }

    /// <summary><c>{"status": "healthy", "checks": {"store": {"status", "description", "data"}}}</c>.</summary>
    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var body = new
        {
            status = Name(report.Status),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = Name(e.Value.Status), description = e.Value.Description, data = e.Value.Data }),
        };
        return http.Response.WriteAsJsonAsync(body, JsonSerializerOptions.Web, http.RequestAborted);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
