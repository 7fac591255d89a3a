using Tollgate.Server.Components;

namespace Tollgate.Server.Api;

/// <summary><c>POST /temporary-access-tokens</c>: a secret key issues a token for one company (Schematic's accesstokens).</summary>
internal static class ComponentTokenEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/temporary-access-tokens", async (HttpContext http, TemporaryAccessTokenRequest body, TemporaryAccessTokens tokens, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(await tokens.IssueAsync(http.Scope(), body, ct).ConfigureAwait(false))))
            .WithTags("Components");
    }
}
