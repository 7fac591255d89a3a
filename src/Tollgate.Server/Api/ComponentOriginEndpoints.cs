using Tollgate.Server.Components;

namespace Tollgate.Server.Api;

/// <summary><c>GET</c> and <c>PUT /component-origins</c>: the browser origins allowed to call the component routes (secret keys only).</summary>
internal static class ComponentOriginEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var origins = api.MapGroup("/component-origins").WithTags("Components");
        origins.MapGet("/", async (HttpContext http, ComponentOrigins store, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new ComponentOriginsBody(await store.GetAsync(http.Scope().EnvironmentId, ct).ConfigureAwait(false)))));
        origins.MapPut("/", async (HttpContext http, ComponentOriginsBody body, ComponentOrigins store, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(new ComponentOriginsBody(await store.PutAsync(http.Scope(), body.Origins, ct).ConfigureAwait(false)))));
    }
}

/// <summary>The allowed origins of an environment (body and answer of <c>/component-origins</c>).</summary>
internal sealed record ComponentOriginsBody(IReadOnlyList<string?>? Origins);
