using System.Globalization;
using Dapper;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.DataExports;

/// <summary>Produces one export's CSV, page by page (1,000 records at a time), into its artifact chunks.</summary>
internal sealed class DataExportProducer(ResourceStore store, UsageReports usage, RuntimeRegistry runtimes, Insights.CompanySignalStore signals)
{
    private const int Page = 1_000;

    /// <summary>Writes the artifact (replacing any left by an earlier attempt); answers the data rows written.</summary>
    public async Task<long> ProduceAsync(string environmentId, DataExportRecord export, CancellationToken cancellationToken)
    {
        var filter = ExportFilter.From(export.ExportType, export.Metadata);
        await DataExportArtifacts.DeleteAsync(store.Database, environmentId, export.Id, cancellationToken).ConfigureAwait(false);
        using var csv = new CsvChunkWriter(export.OutputFileType == "csv.gz");
        var seq = 0;
        long rows = 0;
        async Task SpillAsync()
        {
            if (csv.HasFullChunk)
            {
                await DataExportArtifacts.AppendAsync(store.Database, environmentId, export.Id, seq++, csv.TakeChunk(), cancellationToken).ConfigureAwait(false);
            }
        }

        var source = export.ExportType switch
        {
            "event" => EventsAsync(environmentId, filter, csv, cancellationToken),
            "audit-log" => AuditAsync(environmentId, filter, csv, cancellationToken),
            { } type when type.StartsWith(SignalPrefix, StringComparison.Ordinal) => SignalsAsync(environmentId, type[SignalPrefix.Length..], csv, cancellationToken),
            _ => CompaniesAsync(environmentId, filter, csv, cancellationToken),
        };
        await foreach (var written in source.ConfigureAwait(false))
        {
            rows += written;
            await SpillAsync().ConfigureAwait(false);
        }

        await DataExportArtifacts.AppendAsync(store.Database, environmentId, export.Id, seq, csv.Finish(), cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>The export types of the insight signal lists: <c>insights-</c> and the list's name.</summary>
    private const string SignalPrefix = "insights-";

    /// <summary>One insight signal list (<c>/insights/signals/{kind}</c>), strongest first, a page at a time.</summary>
    private async IAsyncEnumerable<int> SignalsAsync(
        string environmentId, string kind, CsvChunkWriter csv, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        csv.Row("company_id", "company_name", "plan_id", "feature_id", "score", "reason", "mrr", "currency", "evidence");
        for (var offset = 0; ; offset += Page)
        {
            var page = await signals.ListAsync(environmentId, kind, Page, offset, cancellationToken).ConfigureAwait(false);
            foreach (var s in page)
            {
                csv.Row(
                    s.CompanyId, s.CompanyName, s.PlanId, s.FeatureId, Number(s.Score), s.Reason, s.Mrr?.ToString(CultureInfo.InvariantCulture), s.Currency,
                    StoredJson.Serialize(s.Evidence));
                yield return 1;
            }

            if (page.Count < Page)
            {
                yield break;
            }
        }
    }

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Events, oldest first: one row each; those committed when the export started (up to the
    /// <see cref="Usage.EventLogWatermark"/>: on PostgreSQL concurrent writers commit out of seq order, and a walk past
    /// the highest seq seen would skip a lower one committed later).
    /// </summary>
    private async IAsyncEnumerable<int> EventsAsync(
        string environmentId, ExportFilter filter, CsvChunkWriter csv, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        csv.Row("seq", "event_type", "event_subtype", "company_id", "user_id", "quantity", "occurred_at", "received_at", "backfill", "body");
        var types = filter.EventTypes.ToArray();
        var after = 0L;
        var through = await Usage.EventLogWatermark.CommittedThroughAsync(store.Database, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            List<EventRow> page;
            await using (var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                page = [.. await connection.QueryAsync<EventRow>(
                    new CommandDefinition(
                        $"""
                        SELECT seq AS Seq, event_type AS EventType, event_subtype AS EventSubtype, company_id AS CompanyId, user_id AS UserId, quantity AS Quantity,
                            occurred_at AS OccurredAt, received_at AS ReceivedAt, backfill AS Backfill, body AS Body
                        FROM events
                        WHERE environment_id = @environmentId AND seq > @after AND seq <= @through
                          AND (@companyId IS NULL OR company_id = @companyId) AND (@userId IS NULL OR user_id = @userId)
                          AND (@subtype IS NULL OR event_subtype = @subtype) AND (@start IS NULL OR occurred_at >= @start) AND (@end IS NULL OR occurred_at < @end)
                          {(types.Length > 0 ? "AND " + store.Database.Dialect.IsAnyOf("event_type", "types") : string.Empty)}
                        ORDER BY seq LIMIT {Page}
                        """,
                        new
                        {
                            environmentId, after, through, companyId = filter.CompanyId, userId = filter.UserId, subtype = filter.EventSubtype,
                            start = filter.Start?.ToUnixTimeMilliseconds(), end = filter.End?.ToUnixTimeMilliseconds(), types,
                        },
                        cancellationToken: cancellationToken)).ConfigureAwait(false)];
            }

            foreach (var e in page)
            {
                csv.Row(
                    e.Seq.ToString(CultureInfo.InvariantCulture), e.EventType, e.EventSubtype, e.CompanyId, e.UserId, e.Quantity.ToString(CultureInfo.InvariantCulture),
                    Iso(e.OccurredAt), Iso(e.ReceivedAt), e.Backfill != 0 ? "true" : "false", e.Body);
                yield return 1;
            }

            if (page.Count < Page)
            {
                yield break;
            }

            after = page[^1].Seq;
        }
    }

    /// <summary>Audit-log entries, oldest first.</summary>
    private async IAsyncEnumerable<int> AuditAsync(
        string environmentId, ExportFilter filter, CsvChunkWriter csv, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        csv.Row("id", "created_at", "action", "resource_type", "resource_id", "company_id", "api_key_id");
        for (var offset = 0; ; offset += Page)
        {
            List<AuditRow> page;
            await using (var connection = await store.Database.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                page = [.. await connection.QueryAsync<AuditRow>(
                    new CommandDefinition(
                        $"""
                        SELECT id AS Id, created_at AS CreatedAt, action AS Action, resource_type AS ResourceType, resource_id AS ResourceId, company_id AS CompanyId,
                            api_key_id AS ApiKeyId
                        FROM audit_log
                        WHERE environment_id = @environmentId AND (@start IS NULL OR created_at >= @start) AND (@end IS NULL OR created_at < @end)
                        ORDER BY created_at, id LIMIT {Page} OFFSET @offset
                        """,
                        new { environmentId, start = filter.Start?.ToUnixTimeMilliseconds(), end = filter.End?.ToUnixTimeMilliseconds(), offset },
                        cancellationToken: cancellationToken)).ConfigureAwait(false)];
            }

            foreach (var a in page)
            {
                csv.Row(a.Id, Iso(a.CreatedAt), a.Action, a.ResourceType, a.ResourceId, a.CompanyId, a.ApiKeyId);
                yield return 1;
            }

            if (page.Count < Page)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Companies, oldest first, each with one row per feature it is entitled to (its usage answered by the same path
    /// as a check); a company entitled to nothing has one row with the feature columns empty.
    /// </summary>
    private async IAsyncEnumerable<int> CompaniesAsync(
        string environmentId, ExportFilter filter, CsvChunkWriter csv, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        csv.Row("company_id", "company_name", "plan_id", "plan_name", "feature_id", "feature_name", "feature_type", "access", "usage", "allocation", "period", "metric_reset_at");
        var scope = new RequestScope(environmentId, "data-export", ApiKeyKind.Secret);
        var features = filter.FeatureIds.Count > 0 ? filter.FeatureIds.ToHashSet(StringComparer.Ordinal) : null;
        for (var offset = 0; ; offset += Page)
        {
            var page = await store.ListAsync<CompanyRecord>(environmentId, ResourceKinds.Company, null, filter.CompanyIds.Count > 0 ? filter.CompanyIds : null, Page, offset, cancellationToken)
                .ConfigureAwait(false);
            var catalog = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
            foreach (var company in page)
            {
                if ((filter.PlanIds.Count > 0 && (company.BasePlanId is null || !filter.PlanIds.Contains(company.BasePlanId)))
                    || (filter.Q is { } q && !(company.Name ?? string.Empty).Contains(q, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                var planName = company.BasePlanId is { } planId && catalog.Plans.TryGetValue(planId, out var plan) ? plan.Name : null;
                var used = await usage.ForCompanyAsync(scope, company, features, cancellationToken).ConfigureAwait(false);
                if (used.Count == 0)
                {
                    csv.Row(company.Id, company.Name, company.BasePlanId, planName, null, null, null, null, null, null, null, null);
                    yield return 1;
                }

                foreach (var u in used)
                {
                    csv.Row(
                        company.Id, company.Name, company.BasePlanId, planName, u.Feature.Id, u.Feature.Name, u.Feature.FeatureType.ToString().ToLowerInvariant(), u.Access ? "true" : "false",
                        u.Usage is { } n ? Number(n) : null, u.Allocation is { } a ? Number(a) : null, u.Period, u.MetricResetAt);
                    yield return 1;
                }
            }

            if (page.Count < Page)
            {
                yield break;
            }
        }
    }

    private sealed class EventRow
    {
        public long Seq { get; set; }

        public string EventType { get; set; } = string.Empty;

        public string? EventSubtype { get; set; }

        public string? CompanyId { get; set; }

        public string? UserId { get; set; }

        public long Quantity { get; set; }

        public long OccurredAt { get; set; }

        public long ReceivedAt { get; set; }

        public long Backfill { get; set; }

        public string Body { get; set; } = string.Empty;
    }

    private sealed class AuditRow
    {
        public string Id { get; set; } = string.Empty;

        public long CreatedAt { get; set; }

        public string Action { get; set; } = string.Empty;

        public string ResourceType { get; set; } = string.Empty;

        public string ResourceId { get; set; } = string.Empty;

        public string? CompanyId { get; set; }

        public string? ApiKeyId { get; set; }
    }
}
