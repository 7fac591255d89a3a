using Tollgate.Server.Catalog;

namespace Tollgate.Server.Api;

/// <summary>Schematic's flag writes: <c>POST /flags</c>, <c>PUT /flags/{flag_id}</c>, <c>DELETE /flags/{flag_id}</c> (secret keys only).</summary>
internal static class FlagEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var flags = api.MapGroup("/flags").WithTags("Flags");
        flags.MapPost("/", async (HttpContext http, FlagRequest body, FlagService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(FlagResponse.From(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false), http.Scope().EnvironmentId)), statusCode: StatusCodes.Status201Created));
        flags.MapPut("/{flagId}", async (HttpContext http, string flagId, FlagRequest body, FlagService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(FlagResponse.From(await service.UpdateAsync(http.Scope(), flagId, body, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));
        flags.MapDelete("/{flagId}", async (HttpContext http, string flagId, FlagService service, CancellationToken ct) =>
            CatalogEndpoints.Deleted(await service.DeleteAsync(http.Scope(), flagId, ct).ConfigureAwait(false), "flag"));
    }
}
