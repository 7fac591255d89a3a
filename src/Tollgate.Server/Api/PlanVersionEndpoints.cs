using Tollgate.Server.Catalog;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>Plan versions: drafts, publishing with a migration strategy, and deleting drafts (spec §5 plans).</summary>
internal static class PlanVersionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var plans = api.MapGroup("/plans").WithTags("Plans");
        plans.MapGet("/{planId}/versions", async (HttpContext http, string planId, PlanVersionService service, CancellationToken ct) =>
        {
            var paging = Paging.From(http.Request);
            return TypedResults.Ok(Envelope.Page(await service.ListAsync(http.Scope(), planId, paging, ct).ConfigureAwait(false), paging));
        });
        plans.MapPost("/{planId}/versions", async (HttpContext http, string planId, PlanVersionService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(await service.CreateDraftAsync(http.Scope(), planId, ct).ConfigureAwait(false)), statusCode: StatusCodes.Status201Created));
        plans.MapGet("/version/{versionId}", async (HttpContext http, string versionId, PlanVersionService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.GetAsync(http.Scope(), versionId, ct).ConfigureAwait(false))));
        plans.MapDelete("/version/{versionId}", async (HttpContext http, string versionId, PlanVersionService service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), versionId, ct).ConfigureAwait(false), "plan version"));
        plans.MapPut("/version/{versionId}/publish", async (HttpContext http, string versionId, PublishPlanVersionRequest body, PlanVersionService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await service.PublishAsync(http.Scope(), versionId, body, ct).ConfigureAwait(false))));
    }
}
