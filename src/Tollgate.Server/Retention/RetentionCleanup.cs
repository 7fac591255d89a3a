using Dapper;
using Microsoft.Extensions.Options;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Retention;

/// <summary>
/// Deletes records older than their retention period (<see cref="RetentionOptions"/>). On PostgreSQL one node at a time
/// runs it (an advisory lock tried, not waited for: another node is already doing the work).
/// </summary>
/// <remarks>
/// Each table is walked from its oldest row in <c>seq</c> order, one chunk of <see cref="RetentionOptions.BatchSize"/>
/// rows per transaction, deleting the chunk's expired rows, and the walk stops at the first chunk that reaches a row
/// young enough to keep. Rows are appended in time order, so this reads little more than what it deletes and needs no
/// index on the time columns (which would cost every append); a row older than a younger row before it waits for the
/// next run after that one expires.
/// </remarks>
internal sealed class RetentionCleanup(Database database, TimeProvider time, IOptions<RetentionOptions> options)
{
    /// <summary>Runs once; null when another node holds the lock.</summary>
    public async Task<RetentionResult?> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var held = await AdvisoryLock.TryAcquireAsync(database, AdvisoryLockNames.Retention, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return null;
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        var events = settings.Events is { } keepEvents
            ? await DeleteAsync("events", "received_at", "received_at < @cutoff", Cutoff(now, keepEvents), cancellationToken).ConfigureAwait(false)
            : 0;
        var audit = settings.AuditLog is { } keepAudit
            ? await DeleteAsync("audit_log", "created_at", "created_at < @cutoff", Cutoff(now, keepAudit), cancellationToken).ConfigureAwait(false)
            : 0;

        // created_at bounds the walk: a row delivered before the cutoff was created before it. Only delivered rows go.
        var outbox = settings.DeliveredMeterRows is { } keepDelivered
            ? await DeleteAsync("meter_outbox", "created_at", "status = 'delivered' AND delivered_at < @cutoff", Cutoff(now, keepDelivered), cancellationToken).ConfigureAwait(false)
            : 0;
        return new RetentionResult(events, audit, outbox);
    }

    private static long Cutoff(DateTimeOffset now, TimeSpan keep) => (now - keep).ToUnixTimeMilliseconds();

    private async Task<long> DeleteAsync(string table, string timeColumn, string expired, long cutoff, CancellationToken cancellationToken)
    {
        var batch = options.Value.BatchSize;
        var after = 0L;
        var deleted = 0L;
        while (true)
        {
            var (last, newest, rows) = await database.WriteAsync(
                async (connection, transaction) =>
                {
                    var chunk = await connection.QuerySingleAsync<(long? Last, long? Newest, long Rows)>(
                        $"SELECT MAX(seq), MAX({timeColumn}), COUNT(*) FROM (SELECT seq, {timeColumn} FROM {table} WHERE seq > @after ORDER BY seq LIMIT @batch) chunk",
                        new { after, batch },
                        transaction).ConfigureAwait(false);
                    if (chunk.Last is { } lastSeq)
                    {
                        deleted += await connection.ExecuteAsync(
                            $"DELETE FROM {table} WHERE seq > @after AND seq <= @lastSeq AND {expired}",
                            new { after, lastSeq, cutoff },
                            transaction).ConfigureAwait(false);
                    }

                    return chunk;
                },
                cancellationToken).ConfigureAwait(false);
            if (last is not { } lastSeq || rows < batch || newest >= cutoff)
            {
                return deleted;
            }

            after = lastSeq;
        }
    }
}

/// <summary>What one cleanup deleted.</summary>
internal sealed record RetentionResult(long Events, long AuditEntries, long DeliveredMeterRows);
