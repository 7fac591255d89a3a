using System.Text.Json;
using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.DataExports;

/// <summary>Data exports through the API: create (queued for the worker), read, list, and the artifact streamed back.</summary>
internal sealed class DataExportService(ResourceStore store, AuditLog audit, DataExportSignal signal, TimeProvider time)
{
    public const string Kind = "data_export";

    private static readonly (string, string)[] Types =
    [
        ("company-feature-usage", "company-feature-usage"), ("event", "event"), ("audit-log", "audit-log"),
        .. Insights.SignalKinds.All.Select(k => ($"insights-{k}", $"insights-{k}")),
    ];

    private static readonly (string, string)[] FileTypes = [("csv", "csv"), ("csv.gz", "csv.gz")];

    private static readonly (string, string)[] Statuses = [("pending", "pending"), ("success", "success"), ("failure", "failure")];

    public async Task<DataExportRecord> CreateAsync(RequestScope scope, DataExportRequest request, CancellationToken cancellationToken)
    {
        var type = Validate.OneOf(request.ExportType, "export_type", Types);
        if (request.Metadata is { ValueKind: not JsonValueKind.Null } metadata)
        {
            if (metadata.ValueKind != JsonValueKind.Object)
            {
                Errors.BadRequest("metadata", "must be an object");
            }

            // Read once now so a bad filter is a 400 here rather than a failed export later.
            _ = ExportFilter.From(type, metadata);
        }

        var now = time.GetUtcNow();
        var record = new DataExportRecord
        {
            Id = Ids.New("dexp"),
            ExportType = type,
            OutputFileType = Validate.OneOf(request.OutputFileType, "output_file_type", FileTypes),
            Metadata = request.Metadata is { ValueKind: JsonValueKind.Object } m ? m.Clone() : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutAsync(connection, transaction, scope.EnvironmentId, Kind, record.Id, null, null, record).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "create", Kind, record.Id, null, null, record).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        signal.Wake();
        return record;
    }

    public async Task<DataExportRecord> GetAsync(string environmentId, string exportId, CancellationToken cancellationToken) =>
        await store.GetAsync<DataExportRecord>(environmentId, Kind, exportId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "data export not found");

    public async Task<IReadOnlyList<DataExportRecord>> ListAsync(string environmentId, string? exportType, string? status, CancellationToken cancellationToken)
    {
        if (exportType is not null)
        {
            Validate.OneOf(exportType, "export_type", Types);
        }

        if (status is not null)
        {
            Validate.OneOf(status, "status", Statuses);
        }

        var all = await store.ListAllAsync<DataExportRecord>(environmentId, Kind, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(e => (exportType is null || e.ExportType == exportType) && (status is null || e.Status == status))];
    }

    /// <summary>Writes a successful export's artifact to <paramref name="response"/>, chunk by chunk; 409 while pending, 422 after a failure.</summary>
    public async Task StreamArtifactAsync(string environmentId, string exportId, HttpResponse response, CancellationToken cancellationToken)
    {
        var export = await GetAsync(environmentId, exportId, cancellationToken).ConfigureAwait(false);
        if (export.Status == "pending")
        {
            Errors.Conflict("data_export_id", "the export is still pending");
        }

        if (export.Status == "failure")
        {
            Errors.Unprocessable("data_export_id", $"the export failed: {export.Error}");
        }

        var gzip = export.OutputFileType == "csv.gz";
        response.ContentType = gzip ? "application/gzip" : "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{export.ExportType}-{export.Id}.{export.OutputFileType}\"";
        await DataExportArtifacts.CopyToAsync(store.Database, environmentId, exportId, response.Body, cancellationToken).ConfigureAwait(false);
    }
}
