using System.Data.Common;
using System.Globalization;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Tollgate.Server.Operations;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// Writes one commit of the ingestion pipeline: the events, the folded counter deltas and the billable usage, in the
/// caller's transaction. PostgreSQL appends events with binary COPY; SQLite with one prepared statement per row, which
/// is its fastest way in.
/// </summary>
internal static class EventLogWriter
{
    private static readonly string[] EventParameterNames = ["@e", "@t", "@s", "@c", "@u", "@q", "@o", "@r", "@b", "@k", "@body"];

    private const string EventColumns =
        "environment_id, event_type, event_subtype, company_id, user_id, quantity, occurred_at, received_at, backfill, idempotency_key, body";

    /// <summary>
    /// Writes the plan's fresh events, counters and billable usage. <paramref name="logKeys"/>: also log the commit's keys
    /// for the in-memory window (SQLite; PostgreSQL claims them in <see cref="IdempotencyClaims"/> instead).
    /// </summary>
    /// <exception cref="CounterOverflowException">A stored counter would pass <see cref="UsageCounters.Ceiling"/>.</exception>
    public static async Task WriteAsync(
        DbConnection connection,
        DbTransaction transaction,
        CommitPlan plan,
        long createdAt,
        bool logKeys,
        long? deleteKeysBefore,
        PhaseProfile? profile = null)
    {
        var events = plan.Fresh.Select(p => p.Event).ToList();
        if (connection is NpgsqlConnection postgres)
        {
            await CopyEventsAsync(postgres, events).ConfigureAwait(false);
        }
        else
        {
            await InsertEventsAsync(connection, transaction, events).ConfigureAwait(false);
        }

        profile.MarkIfProfiling("events");

        // Everything else of the commit in one batch (one round trip on PostgreSQL). Plain inserts first, the shared
        // counter rows last: from its first counter update a transaction holds rows every other writer of the same
        // companies waits for, until it has committed (PostgreSQL's writers overlap outside that).
        var batch = new StatementBatch();
        batch.AddRows(BillableUsageOutbox.AppendInsert, string.Empty, BillableUsageOutbox.AppendRows(plan.BillableUsage, createdAt));
        var counterStatements = AddToCounters(batch, plan.Deltas);
        UsageDailyTotals.Add(batch, plan.Deltas);
        if (logKeys)
        {
            batch.AddRows(
                "INSERT INTO idempotency_keys (environment_id, received_at, keys) VALUES ",
                string.Empty,
                IdempotencyWindow.LogRows(events).Select(k => new object?[] { k.EnvironmentId, k.ReceivedAt, k.Keys }));
        }

        if (deleteKeysBefore is { } before)
        {
            batch.Add("DELETE FROM idempotency_keys WHERE received_at < @before", ("@before", before));
            IdempotencyClaims.DeleteExpired(batch, createdAt);
        }

        var affected = await batch.ExecuteAsync(connection, transaction).ConfigureAwait(false);
        profile.MarkIfProfiling("batch");
        var full = counterStatements.Where(s => affected[s.Statement.Position] != s.Statement.Rows).SelectMany(s => s.Keys).ToList();
        if (full.Count > 0)
        {
            throw new CounterOverflowException(await StoredValuesAsync(connection, transaction, full).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Queues the upserts adding the deltas to the stored counters, one statement per chunk rather than per row; answers
    /// each statement with the counters it names, so that the caller can tell which did not fit. The deltas are folded per key, so no key appears twice in one upsert
    /// (PostgreSQL refuses that), and sorted, so two nodes' commits lock shared counter rows in the same order.
    /// </summary>
    /// <remarks>
    /// A row is updated only while the sum stays within the ceiling (compared as <c>value &lt;= ceiling - delta</c>,
    /// which cannot overflow): past it PostgreSQL would fail the whole commit ("bigint out of range") and SQLite would
    /// turn the counter into a float. A row not updated is missing from the count of rows written; the writer is then
    /// told which counters are how full, and plans the commit again without the events that do not fit.
    /// </remarks>
    private static List<((int Position, int Rows) Statement, CounterKey[] Keys)> AddToCounters(StatementBatch batch, IReadOnlyDictionary<CounterKey, long> deltas)
    {
        var suffix = string.Create(
            CultureInfo.InvariantCulture,
            $" ON CONFLICT (environment_id, company_id, event_subtype, period, bucket) DO UPDATE SET value = usage_counters.value + excluded.value WHERE usage_counters.value <= {UsageCounters.Ceiling} - excluded.value");
        var ordered = deltas
            .OrderBy(c => c.Key.EnvironmentId, StringComparer.Ordinal).ThenBy(c => c.Key.CompanyId, StringComparer.Ordinal)
            .ThenBy(c => c.Key.Subtype, StringComparer.Ordinal).ThenBy(c => c.Key.Period).ThenBy(c => c.Key.Bucket);
        var statements = new List<((int Position, int Rows) Statement, CounterKey[] Keys)>();
        foreach (var chunk in ordered.Chunk(StatementBatch.RowsPerStatement))
        {
            var statement = batch.AddRows(
                "INSERT INTO usage_counters (environment_id, company_id, event_subtype, period, bucket, value) VALUES ",
                suffix,
                chunk.Select(c => new object?[] { c.Key.EnvironmentId, c.Key.CompanyId, c.Key.Subtype, (int)c.Key.Period, c.Key.Bucket, c.Value }));
            statements.Add((statement.Single(), [.. chunk.Select(c => c.Key)]));
        }

        return statements;
    }

    private static async Task<Dictionary<CounterKey, long>> StoredValuesAsync(DbConnection connection, DbTransaction transaction, IEnumerable<CounterKey> keys)
    {
        var stored = new Dictionary<CounterKey, long>();
        foreach (var key in keys)
        {
            stored[key] = await connection.ExecuteScalarAsync<long>(
                """
                SELECT COALESCE(MAX(value), 0) FROM usage_counters
                WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND event_subtype = @Subtype AND period = @period AND bucket = @Bucket
                """,
                new { key.EnvironmentId, key.CompanyId, key.Subtype, period = (int)key.Period, key.Bucket },
                transaction).ConfigureAwait(false);
        }

        return stored;
    }

    private static async Task CopyEventsAsync(NpgsqlConnection connection, IReadOnlyList<AcceptedEvent> events)
    {
        await using var import = await connection.BeginBinaryImportAsync($"COPY events ({EventColumns}) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
        foreach (var e in events)
        {
            await import.StartRowAsync().ConfigureAwait(false);
            await import.WriteAsync(e.EnvironmentId, NpgsqlDbType.Text).ConfigureAwait(false);
            await import.WriteAsync(e.TypeName, NpgsqlDbType.Text).ConfigureAwait(false);
            await WriteNullableAsync(import, e.Subtype).ConfigureAwait(false);
            await WriteNullableAsync(import, e.CompanyId).ConfigureAwait(false);
            await WriteNullableAsync(import, e.UserId).ConfigureAwait(false);
            await import.WriteAsync(e.Quantity, NpgsqlDbType.Bigint).ConfigureAwait(false);
            await import.WriteAsync(e.OccurredAt.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint).ConfigureAwait(false);
            await import.WriteAsync(e.ReceivedAt.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint).ConfigureAwait(false);
            await import.WriteAsync(e.Backfill ? 1 : 0, NpgsqlDbType.Integer).ConfigureAwait(false);
            await WriteNullableAsync(import, e.IdempotencyKey).ConfigureAwait(false);
            await import.WriteAsync(e.Body, NpgsqlDbType.Text).ConfigureAwait(false);
        }

        await import.CompleteAsync().ConfigureAwait(false);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter import, string? value) =>
        value is null ? import.WriteNullAsync() : import.WriteAsync(value, NpgsqlDbType.Text);

    private static async Task InsertEventsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AcceptedEvent> events)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO events ({EventColumns}) VALUES (@e, @t, @s, @c, @u, @q, @o, @r, @b, @k, @body)";
        var parameters = EventParameterNames.Select(name =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        await command.PrepareAsync().ConfigureAwait(false);
        foreach (var e in events)
        {
            parameters[0].Value = e.EnvironmentId;
            parameters[1].Value = e.TypeName;
            parameters[2].Value = (object?)e.Subtype ?? DBNull.Value;
            parameters[3].Value = (object?)e.CompanyId ?? DBNull.Value;
            parameters[4].Value = (object?)e.UserId ?? DBNull.Value;
            parameters[5].Value = e.Quantity;
            parameters[6].Value = e.OccurredAt.ToUnixTimeMilliseconds();
            parameters[7].Value = e.ReceivedAt.ToUnixTimeMilliseconds();
            parameters[8].Value = e.Backfill ? 1 : 0;
            parameters[9].Value = (object?)e.IdempotencyKey ?? DBNull.Value;
            parameters[10].Value = e.Body;
            // SQLite runs in this process: its async methods only wrap the synchronous ones, at a cost per row.
#pragma warning disable CA1849
            command.ExecuteNonQuery();
#pragma warning restore CA1849
        }
    }
}
