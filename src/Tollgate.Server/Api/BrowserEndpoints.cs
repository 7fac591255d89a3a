using System.Net.WebSockets;
using System.Text.Json;
using Tollgate.Server.Components;
using Tollgate.Server.Datastream;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Operations;
using Tollgate.Server.Requests;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Api;

/// <summary>
/// The routes of Schematic's browser SDK (<c>@schematichq/schematic-js</c>): the live-flags WebSocket
/// <c>/flags/bootstrap?apiKey=</c> and the event capture <c>POST /e</c>. Both take the key from the request itself (the
/// query string; the event's <c>api_key</c>), as the SDK sends it, and accept publishable keys, whose policy
/// (<see cref="PublishablePolicies"/>) the event intake applies. A browser page opens the WebSocket only from an
/// origin its environment allows (<see cref="ComponentOrigins"/>); <c>POST /e</c> answers CORS for those origins.
/// </summary>
/// <remarks>
/// The browser's CORS policy goes on the builder <see cref="Map"/> returns (one <c>RequireCors</c> line).
/// </remarks>
internal static class BrowserEndpoints
{
    public static RouteGroupBuilder Map(IEndpointRouteBuilder app)
    {
        var browser = app.MapGroup(string.Empty).WithTags("Browser SDK");
        browser.MapGet("/flags/bootstrap", async (HttpContext http, EnvironmentStore environments, ComponentOrigins origins, DatastreamHub hub, CheckService checks, ILoggerFactory loggers) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                return Results.Json(new { error = "flags/bootstrap: expects a WebSocket upgrade" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var key = http.Request.Query["apiKey"].ToString();
            var scope = key.Length == 0 ? null : await environments.AuthenticateAsync(key, http.RequestAborted).ConfigureAwait(false);

            // CORS does not cover WebSockets: a page of any origin may open one, so the environment's allowed origins are
            // checked here, before the upgrade. No Origin header is a server SDK, not a browser page.
            if (scope is not null && http.Request.Headers.Origin.ToString() is { Length: > 0 } origin
                && !(await origins.EnvironmentsAllowingAsync(origin.ToLowerInvariant(), http.RequestAborted).ConfigureAwait(false)).Contains(scope.EnvironmentId, StringComparer.Ordinal))
            {
                return Results.Json(
                    new { error = $"Origin: {origin} is not an allowed origin of this environment (PUT /component-origins)" }, statusCode: StatusCodes.Status403Forbidden);
            }

            using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            if (scope is null)
            {
                // schematic-js reads close code 4001 as "authentication failed" and stops waiting for flags.
                await socket.CloseOutputAsync((WebSocketCloseStatus)DatastreamConnection.InvalidKeyCloseCode, "Invalid API key", http.RequestAborted).ConfigureAwait(false);
                return Results.Empty;
            }

            var connection = new BrowserFlagsConnection(socket, scope, hub.Runtimes.For(scope.EnvironmentId), hub.IndexFor(scope.EnvironmentId), checks, loggers.CreateLogger<BrowserFlagsConnection>());
            await hub.ServeAsync(connection, http.RequestAborted).ConfigureAwait(false);

            return Results.Empty;
        }).WithSummary("Live flag values for a browser's context (schematic-js)");

        browser.MapPost("/e", async (HttpContext http, EventIntake intake, TollgateMetrics metrics, CancellationToken ct) =>
        {
            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (JsonException json)
            {
                throw new RequestException(StatusCodes.Status400BadRequest, $"body: not valid JSON ({json.Message})");
            }

            using (document)
            {
                // One event in the capture service's shape, its key inside (api_key): a batch of one.
                var single = JsonSerializer.SerializeToElement(new[] { document.RootElement });
                var started = metrics.Start();
                var result = await intake.IngestAsync(null, single, EventDialect.Capture, ct).ConfigureAwait(false);
                metrics.EventsIngested(result, started);
                if (result.Rejected.Count > 0)
                {
                    var error = result.Rejected[0].Error;
                    throw new RequestException(error.StartsWith("api_key", StringComparison.Ordinal) ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest, error);
                }

                return TypedResults.Ok(new EventEndpoints.CaptureResponse(result.Accepted, result.Duplicates, result.Rejected));
            }
        }).WithSummary("Capture one event (schematic-js)");
        return browser;
    }
}
