using System.Text.Json;
using Tollgate.Server.Environments;
using Tollgate.Server.Operations;
using Tollgate.Server.Requests;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Api;

/// <summary>
/// Event ingestion: <c>POST /batch</c> (the capture endpoint the SDKs send to; each event carries its <c>api_key</c>
/// and the header is optional), <c>POST /events</c> and <c>POST /event-batch</c> (REST, header key). Invalid events are
/// rejected one by one; the valid ones are kept. Every answer comes after the accepted events are durable.
/// </summary>
internal static class EventEndpoints
{
    /// <summary>Maps <c>/batch</c>, which authenticates per event rather than through the API-key middleware.</summary>
    public static void MapCapture(IEndpointRouteBuilder app)
    {
        app.MapPost("/batch", async (HttpContext http, EventIntake intake, EnvironmentStore environments, TollgateMetrics metrics, CancellationToken ct) =>
        {
            RequestScope? headerScope = null;
            if (http.Request.Headers[ApiKeyAuthentication.Header].ToString() is { Length: > 0 } headerKey)
            {
                headerScope = await environments.AuthenticateAsync(headerKey, ct).ConfigureAwait(false)
                    ?? throw new RequestException(StatusCodes.Status401Unauthorized, "invalid or revoked API key");
            }

            using var document = await ReadBodyAsync(http, ct).ConfigureAwait(false);
            var started = metrics.Start();
            var result = await intake.IngestAsync(headerScope, EventsOf(document.RootElement), EventDialect.Capture, ct).ConfigureAwait(false);
            metrics.EventsIngested(result, started);
            RefuseIfNothingAccepted(result);
            return TypedResults.Ok(new CaptureResponse(result.Accepted, result.Duplicates, result.Rejected));
        }).WithTags("Events").WithSummary("Capture a batch of events (the SDKs' event endpoint)");
    }

    public static void Map(RouteGroupBuilder api)
    {
        var events = api.MapGroup(string.Empty).WithTags("Events").WithMetadata(new ApiKeyAuthentication.AllowPublishable());
        events.MapPost("/events", async (HttpContext http, EventIntake intake, TollgateMetrics metrics, CancellationToken ct) =>
        {
            using var document = await ReadBodyAsync(http, ct).ConfigureAwait(false);
            var single = JsonSerializer.SerializeToElement(new[] { document.RootElement });
            var started = metrics.Start();
            var result = await intake.IngestAsync(http.Scope(), single, EventDialect.Rest, ct).ConfigureAwait(false);
            metrics.EventsIngested(result, started);
            if (result.Rejected.Count > 0)
            {
                var error = result.Rejected[0].Error;
                throw new RequestException(error.StartsWith("api_key", StringComparison.Ordinal) ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest, error);
            }

            return TypedResults.Ok(Envelope.Of(Captured(http, result)));
        });
        events.MapPost("/event-batch", async (HttpContext http, EventIntake intake, TollgateMetrics metrics, CancellationToken ct) =>
        {
            using var document = await ReadBodyAsync(http, ct).ConfigureAwait(false);
            var events = EventsOf(document.RootElement);
            var started = metrics.Start();
            var result = await intake.IngestAsync(http.Scope(), events, EventDialect.Rest, ct).ConfigureAwait(false);
            metrics.EventsIngested(result, started);
            RefuseIfNothingAccepted(result);
            var captured = Captured(http, result);
            var rejectedIndexes = result.Rejected.Select(r => r.Index).ToHashSet();
            return TypedResults.Ok(Envelope.Of(new EventBatchResponse(
                [.. Enumerable.Range(0, events.GetArrayLength()).Where(i => !rejectedIndexes.Contains(i)).Select(_ => captured)],
                result.Rejected)));
        });
    }

    private static async Task<JsonDocument> ReadBodyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException json)
        {
            throw new RequestException(StatusCodes.Status400BadRequest, $"body: not valid JSON ({json.Message})");
        }
    }

    private static JsonElement EventsOf(JsonElement root)
    {
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("events", out var events)
            ? events
            : throw new RequestException(StatusCodes.Status400BadRequest, "events: is required");
    }

    /// <summary>A batch of which nothing could be kept is refused as a whole, with the first reason.</summary>
    private static void RefuseIfNothingAccepted(IntakeResult result)
    {
        if (result.Accepted + result.Duplicates == 0 && result.Rejected.Count > 0)
        {
            var status = result.Rejected.All(r => r.Error.StartsWith("api_key", StringComparison.Ordinal))
                ? StatusCodes.Status401Unauthorized
                : StatusCodes.Status400BadRequest;
            throw new RequestException(status, $"events[{result.Rejected[0].Index}].{result.Rejected[0].Error}");
        }
    }

    private static CapturedEvent Captured(HttpContext http, IntakeResult result)
    {
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? string.Empty;
        return new CapturedEvent(result.CapturedAt, ip, ip, http.Request.Headers.UserAgent.ToString());
    }

    /// <summary>Answer of <c>POST /batch</c>: how many events were stored, how many were repeats, which were refused.</summary>
    public sealed record CaptureResponse(int Accepted, int Duplicates, IReadOnlyList<EventRejection> Rejected);

    /// <summary>Schematic's answer for one stored event.</summary>
    public sealed record CapturedEvent(DateTimeOffset CapturedAt, string RemoteAddr, string RemoteIp, string UserAgent);

    /// <summary>Answer of <c>POST /event-batch</c>; <c>rejected</c> is a Tollgate extension.</summary>
    public sealed record EventBatchResponse(IReadOnlyList<CapturedEvent> Events, IReadOnlyList<EventRejection> Rejected);
}
