using Microsoft.Extensions.Options;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Retention;

/// <summary>
/// Deletes records older than their retention period (<see cref="RetentionOptions"/>). On PostgreSQL one node at a time
/// runs it (an advisory lock tried, not waited for: another node is already doing the work).
/// </summary>
/// <remarks>
/// Each table is walked from its oldest row, <see cref="RetentionOptions.BatchSize"/> rows per transaction
/// (<see cref="ChunkedDeletion.DeleteOldestAsync"/>).
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

    private Task<long> DeleteAsync(string table, string timeColumn, string expired, long cutoff, CancellationToken cancellationToken) =>
        ChunkedDeletion.DeleteOldestAsync(database, table, timeColumn, expired, cutoff, options.Value.BatchSize, cancellationToken);
}

/// <summary>What one cleanup deleted.</summary>
internal sealed record RetentionResult(long Events, long AuditEntries, long DeliveredMeterRows);
