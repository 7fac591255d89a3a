using Tollgate.Server.DataExports;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Api;

/// <summary>Data exports (Schematic's <c>/data-exports</c>): CSVs of companies and usage, events or the audit log, made in the background.</summary>
internal static class DataExportEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var exports = api.MapGroup("/data-exports").WithTags("Data exports");
        exports.MapGet("/", async (HttpContext http, DataExportService service, CancellationToken ct) =>
        {
            var query = new ListQuery(http.Request);
            var environmentId = http.Scope().EnvironmentId;
            var all = await service.ListAsync(environmentId, query.One("export_type"), query.One("status"), ct).ConfigureAwait(false);
            IReadOnlyList<DataExportResponse> page = [.. all.Skip(query.Paging.Offset).Take(query.Paging.Limit).Select(e => DataExportResponse.From(e, environmentId))];
            return TypedResults.Ok(new Envelope<IReadOnlyList<DataExportResponse>>(page, query.PageParams()));
        });
        exports.MapPost("/", async (HttpContext http, DataExportRequest body, DataExportService service, CancellationToken ct) =>
            TypedResults.Json(Envelope.Of(DataExportResponse.From(await service.CreateAsync(http.Scope(), body, ct).ConfigureAwait(false), http.Scope().EnvironmentId)),
                statusCode: StatusCodes.Status201Created));
        exports.MapGet("/{exportId}", async (HttpContext http, string exportId, DataExportService service, CancellationToken ct) =>
            TypedResults.Ok(Envelope.Of(DataExportResponse.From(await service.GetAsync(http.Scope().EnvironmentId, exportId, ct).ConfigureAwait(false), http.Scope().EnvironmentId))));
        exports.MapGet("/{exportId}/artifact", async (HttpContext http, string exportId, DataExportService service, CancellationToken ct) =>
        {
            await service.StreamArtifactAsync(http.Scope().EnvironmentId, exportId, http.Response, ct).ConfigureAwait(false);
            return Results.Empty;
        });
    }
}
