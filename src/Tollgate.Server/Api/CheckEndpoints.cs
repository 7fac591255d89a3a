using Tollgate.Server.Evaluation;
using Tollgate.Server.Operations;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>The check endpoints; the only ones a publishable key may call.</summary>
internal static class CheckEndpoints
{
    public const int MaxBulkContexts = 100;

    public static void Map(RouteGroupBuilder api)
    {
        var flags = api.MapGroup("/flags").WithTags("Checks").WithMetadata(new ApiKeyAuthentication.AllowPublishable());
        flags.MapPost("/{flagKey}/check", async (HttpContext http, string flagKey, CheckRequest? body, CheckService checks, TollgateMetrics metrics, CancellationToken ct) =>
        {
            var started = metrics.Start();
            CheckContextKeys.Check(body?.Company, body?.User);
            var answer = await checks.CheckAsync(http.Scope(), flagKey, body, ct).ConfigureAwait(false);
            metrics.CheckAnswered("flag", started);
            return TypedResults.Ok(Envelope.Of(answer));
        });
        flags.MapPost("/check", async (HttpContext http, CheckRequest? body, CheckService checks, TollgateMetrics metrics, CancellationToken ct) =>
        {
            var started = metrics.Start();
            CheckContextKeys.Check(body?.Company, body?.User);
            var answer = await checks.CheckAllAsync(http.Scope(), body, ct).ConfigureAwait(false);
            metrics.CheckAnswered("flags", started);
            return TypedResults.Ok(Envelope.Of(answer));
        });
        flags.MapPost("/check-bulk", async (HttpContext http, CheckBulkRequest body, CheckService checks, TollgateMetrics metrics, CancellationToken ct) =>
        {
            var started = metrics.Start();
            if (body.Contexts is not { Count: > 0 and <= MaxBulkContexts } contexts)
            {
                throw new RequestException(StatusCodes.Status400BadRequest, $"contexts: give 1 to {MaxBulkContexts} contexts");
            }

            for (var i = 0; i < contexts.Count; i++)
            {
                CheckContextKeys.Check(contexts[i]?.Company, contexts[i]?.User, $"contexts[{i}].");
            }

            var answers = new List<CheckFlagsResponse>(contexts.Count);
            foreach (var context in contexts)
            {
                answers.Add(await checks.CheckAllAsync(http.Scope(), context, ct).ConfigureAwait(false));
            }

            metrics.CheckAnswered("bulk", started);
            return TypedResults.Ok(Envelope.Of(new CheckFlagsBulkResponse(answers)));
        });
    }
}
