using Tollgate.Server.Audit;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>The audit log of management writes, per company or per resource.</summary>
internal static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/audit-log", async (HttpContext http, AuditLog audit, CancellationToken ct) =>
        {
            var paging = Paging.From(http.Request);
            var resourceId = http.Request.Query["resource_id"].ToString();
            var companyId = http.Request.Query["company_id"].ToString();
            var entries = await audit.ListAsync(
                http.Scope().EnvironmentId, resourceId.Length == 0 ? null : resourceId, companyId.Length == 0 ? null : companyId, paging.Limit, paging.Offset, ct).ConfigureAwait(false);
            return TypedResults.Ok(Envelope.Page(entries, paging));
        }).WithTags("Audit log");
}
