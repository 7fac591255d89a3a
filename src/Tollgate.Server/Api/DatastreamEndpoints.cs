using Tollgate.Server.Datastream;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Api;

/// <summary>
/// <c>GET /datastream</c>: the WebSocket Schematic's server SDKs replicate flags, companies and users from for local
/// evaluation (spec/schematic.md §2). The key is checked at the upgrade by the API-key middleware: a bad key is refused
/// there with 401 (an SDK backs off and gives up), never accepted and then closed (the Node SDK reconnects at once, about
/// a thousand times a second: spec/schematic-node-sdk-wire.md §5.4); a publishable key gets 403, since the stream
/// carries every company's data. A key revoked while connected closes the stream with 4001.
/// </summary>
internal static class DatastreamEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/datastream", async (HttpContext http, DatastreamHub hub, ResourceStore store, ILoggerFactory loggers, IHostApplicationLifetime lifetime) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                return Results.Json(new { error = "datastream: expects a WebSocket upgrade" }, statusCode: StatusCodes.Status400BadRequest);
            }

            var scope = http.Scope();
            using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            var connection = new DatastreamConnection(socket, scope, hub.SourceFor(scope.EnvironmentId), hub.IndexFor(scope.EnvironmentId), store, loggers.CreateLogger<DatastreamConnection>());
            // A stopping server ends its streams (the SDKs reconnect elsewhere or later): Kestrel's graceful shutdown
            // would otherwise wait its whole timeout for these never-ending requests.
            using var served = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            await hub.ServeAsync(connection, served.Token).ConfigureAwait(false);

            return Results.Empty;
        }).WithTags("Datastream").WithSummary("The datastream WebSocket (local evaluation in Schematic's SDKs)");
    }
}
