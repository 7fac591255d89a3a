using Tollgate.Server.Usage;

namespace Tollgate.Server.Api;

/// <summary><c>POST /flags/{key}/check-and-track</c>: a check that records the usage it allows, atomically (Tollgate extension).</summary>
internal static class ConsumeEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/flags/{flagKey}/check-and-track", async (HttpContext http, string flagKey, CheckAndTrackRequest body, UsageConsumption consumption, CancellationToken ct) =>
        {
            CheckContextKeys.Check(body.Company, body.User);
            return TypedResults.Ok(Envelope.Of(await consumption.CheckAndTrackAsync(http.Scope(), flagKey, body, ct).ConfigureAwait(false)));
        })
        .WithTags("Checks")
        .WithSummary("Check an event-based limit and, when it allows the quantity, record the usage before any other caller is answered");
}
