using System.Text.Json;

namespace Tollgate.Server.DataExports;

/// <summary>
/// A data export job (Schematic's <c>/data-exports</c>): a CSV of the environment's companies with their feature usage
/// (<c>company-feature-usage</c>), of its events (<c>event</c>) or of its audit log (<c>audit-log</c>), made in the
/// background. <c>pending</c> until a worker has written the whole artifact, then <c>success</c> or <c>failure</c>.
/// </summary>
public sealed record DataExportRecord
{
    /// <summary>The id (<c>dexp_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary><c>company-feature-usage</c>, <c>event</c> or <c>audit-log</c>.</summary>
    public required string ExportType { get; init; }

    /// <summary><c>csv</c> or <c>csv.gz</c>.</summary>
    public required string OutputFileType { get; init; }

    /// <summary>The filters asked for, as sent (Schematic's <c>DataExportMetadata</c>); null when none.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary><c>pending</c>, <c>success</c> or <c>failure</c>.</summary>
    public string Status { get; init; } = "pending";

    /// <summary>Why it failed.</summary>
    public string? Error { get; init; }

    /// <summary>Data rows written (the header not counted).</summary>
    public long RowCount { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A data export in Schematic's shape (<c>DataExportResponseData</c>); <c>account_id</c> is the environment's id (Tollgate has no accounts).</summary>
public sealed record DataExportResponse(
    string Id, string AccountId, string EnvironmentId, string ExportType, string OutputFileType, JsonElement? Metadata, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    internal static DataExportResponse From(DataExportRecord export, string environmentId) =>
        new(export.Id, environmentId, environmentId, export.ExportType, export.OutputFileType, export.Metadata, export.Status, export.CreatedAt, export.UpdatedAt);
}

/// <summary>Body of <c>POST /data-exports</c> (<c>CreateDataExportRequestBody</c>).</summary>
public sealed record DataExportRequest(string? ExportType, string? OutputFileType, JsonElement? Metadata);
