using Tollgate.Server.Components;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>Schematic's <c>/components</c>: stored component layouts (secret keys only).</summary>
internal static class ComponentEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var components = api.MapGroup("/components").WithTags("Components");
        components.MapGet("/", async (HttpContext http, ComponentService service, CancellationToken ct) =>
        {
            var q = Query(http);
            var paging = Paging.From(http.Request);
            var all = await service.ListAsync(http.Scope().EnvironmentId, q, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<IReadOnlyList<ComponentResponse>>(
                [.. all.Skip(paging.Offset).Take(paging.Limit).Select(ComponentResponse.From)],
                new Dictionary<string, object?> { ["q"] = q, ["limit"] = paging.Limit, ["offset"] = paging.Offset }));
        });
        components.MapGet("/count", async (HttpContext http, ComponentService service, CancellationToken ct) =>
        {
            var q = Query(http);
            var all = await service.ListAsync(http.Scope().EnvironmentId, q, ct).ConfigureAwait(false);
            return TypedResults.Ok(new Envelope<CountResult>(new CountResult(all.Count), new Dictionary<string, object?> { ["q"] = q }));
        });
        components.MapPost("/", async (HttpContext http, ComponentRequest body, ComponentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(ComponentResponse.From(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false)))));
        components.MapGet("/{componentId}", async (HttpContext http, string componentId, ComponentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(ComponentResponse.From(await service.GetAsync(http.Scope().EnvironmentId, componentId, ct).ConfigureAwait(false)))));
        components.MapPut("/{componentId}", async (HttpContext http, string componentId, ComponentRequest body, ComponentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(ComponentResponse.From(await service.UpdateAsync(http.Scope(), componentId, body, ct).ConfigureAwait(false)))));
        components.MapPut("/{componentId}/catalog", async (HttpContext http, string componentId, BindCatalogRequest body, ComponentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(ComponentResponse.From(await service.BindCatalogAsync(http.Scope(), componentId, body, ct).ConfigureAwait(false)))));
        components.MapDelete("/{componentId}", async (HttpContext http, string componentId, ComponentService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new DeleteResult(await service.DeleteAsync(http.Scope(), componentId, ct).ConfigureAwait(false)))));
    }

    private static string? Query(HttpContext http) => http.Request.Query["q"].ToString() is { Length: > 0 } q ? q : null;
}
