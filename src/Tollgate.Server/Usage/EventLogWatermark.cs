using Dapper;
using Npgsql;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// How far the event log can be walked in <c>seq</c> order without missing a row. On PostgreSQL several ingestion
/// writers commit at once, so a row with a lower <c>seq</c> may commit after one with a higher <c>seq</c>: a reader
/// that remembered "everything up to the highest seq I saw" would skip it for good. Each ingestion transaction holds a
/// shared advisory lock from before it takes any <c>seq</c> until it ends (<see cref="HoldAsync"/>);
/// <see cref="CommittedThroughAsync"/> takes the lock exclusively for an instant, so every transaction that took a
/// <c>seq</c> has ended, and reads the highest <c>seq</c>: every row at or below it is committed (or rolled back) for
/// good, and every later transaction takes a higher <c>seq</c>. SQLite has one writer, whose rows commit in order.
/// </summary>
internal static class EventLogWatermark
{
    /// <summary>Holds the shared lock for the rest of the caller's transaction; call it before writing any event.</summary>
    public static async Task HoldAsync(NpgsqlConnection connection)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { HoldCommand() } };
        await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="HoldAsync"/> as the first statement of a batch (one round trip less for the commit that sends it
    /// with its next statement). It answers one row, which the caller skips.
    /// </summary>
    public static NpgsqlBatchCommand HoldCommand() =>
        new("SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))") { Parameters = { new NpgsqlParameter { Value = AdvisoryLockNames.EventLog } } };

    /// <summary>
    /// The highest <c>seq</c> below which no event can still appear (0 when the log is empty). Waits for the ingestion
    /// transactions in flight to end (one commit, usually milliseconds); new ones wait behind it for that instant.
    /// </summary>
    public static async Task<long> CommittedThroughAsync(Database database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!database.Dialect.IsPostgres)
        {
            await using var local = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            return await local.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(seq), 0) FROM events", cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return await database.WriteAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = AdvisoryLockNames.EventLog }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                // A statement after the lock: its snapshot sees every transaction that held the lock as ended.
                return await connection.ExecuteScalarAsync<long>(
                    new CommandDefinition("SELECT COALESCE(MAX(seq), 0) FROM events", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }
}
