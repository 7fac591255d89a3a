using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Tollgate.Server.Background;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Meters;

/// <summary>
/// Drains an environment's billable usage (<see cref="BillableUsageOutbox"/>, Usage's outbox) into Stripe meter
/// events, exactly once. Each row is sent with the identifier <c>tg_{environment}_{seq}</c> and marked delivered only
/// after Stripe acknowledged it; a row sent again after a crash
/// (acknowledged but not yet marked) is answered as a duplicate by Stripe and then marked, so it counts once. Rows go
/// in commit order, in batches, one drain per environment at a time: in-process by a gate, across nodes by an
/// <see cref="AdvisoryLock"/> per environment (taken without waiting: a node that does not get it leaves the
/// environment to the one that has it; PostgreSQL frees it if that node dies). A failure that may pass (429, 5xx, no
/// answer, a refused key) leaves the rows pending
/// and backs the environment off exponentially with jitter, at least as long as Stripe's <c>Retry-After</c>; the
/// backoff is kept in the status document, so it survives a restart.
/// </summary>
internal sealed partial class MeterSync(
    Database database,
    StripeConnections connections,
    BillingMeters meters,
    StripeSyncStatus statuses,
    IOptions<MeterSyncOptions> options,
    TimeProvider time,
    ILogger<MeterSync> logger)
{
    /// <summary>Stripe takes events of the past 35 days; a margin keeps a row sent at the edge from being refused.</summary>
    public static readonly TimeSpan OldestSendable = TimeSpan.FromDays(35) - TimeSpan.FromHours(1);

    private readonly MeterSyncOptions _options = options.Value;

    /// <summary>Exponential from <see cref="MeterSyncOptions.RetryBaseDelay"/>, capped, with jitter; never shorter than Stripe asked.</summary>
    private readonly Backoff _backoff = new(first: options.Value.RetryBaseDelay, max: options.Value.RetryMaxDelay, jitterFrom: 0.5, jitterTo: 1.0);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>The identifier of an outbox row's meter event: stable, so Stripe recognises a resend.</summary>
    public static string Identifier(string environmentId, long seq) => FormattableString.Invariant($"tg_{environmentId}_{seq}");

    /// <summary>
    /// Sends the environment's due rows. <paramref name="wait"/>: wait for a drain already running on this node
    /// (an explicit request) rather than leave the work to it (the background loop).
    /// </summary>
    public async Task<MeterSyncRun> DrainAsync(string environmentId, bool wait, CancellationToken cancellationToken)
    {
        if (await connections.GetAsync(environmentId, cancellationToken).ConfigureAwait(false) is not { } connection)
        {
            return new MeterSyncRun { Outcome = MeterSyncOutcomes.NotConnected };
        }

        var gate = _gates.GetOrAdd(environmentId, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(wait ? Timeout.Infinite : 0, cancellationToken).ConfigureAwait(false))
        {
            return new MeterSyncRun { Outcome = MeterSyncOutcomes.Busy };
        }

        try
        {
            await using var nodeLock = await AdvisoryLock.TryAcquireAsync(database, AdvisoryLockNames.MeterSync(environmentId), cancellationToken).ConfigureAwait(false);
            if (nodeLock is null)
            {
                return new MeterSyncRun { Outcome = MeterSyncOutcomes.Busy, Status = await ReadStatusAsync(environmentId, cancellationToken).ConfigureAwait(false) };
            }

            return await DrainLockedAsync(connection, explicitRun: wait, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Puts the environment's rows of <paramref name="rowStatus"/> (<c>skipped</c> or <c>failed</c>) back to pending,
    /// e.g. once their companies have Stripe customers or their subtypes meters; the next drain sends them (rows older
    /// than Stripe accepts fail again). Answers how many; null when another node is draining the environment.
    /// </summary>
    public async Task<long?> RequeueAsync(string environmentId, string rowStatus, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(environmentId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Under the drain's lock: the status document's counts move with the rows.
            await using var nodeLock = await AdvisoryLock.TryAcquireAsync(database, AdvisoryLockNames.MeterSync(environmentId), cancellationToken).ConfigureAwait(false);
            if (nodeLock is null)
            {
                return null;
            }

            var status = await ReadStatusAsync(environmentId, cancellationToken).ConfigureAwait(false);
            return await database.WriteAsync(
                async (connection, transaction) =>
                {
                    var requeued = await BillableUsageOutbox.RequeueAsync(connection, transaction, environmentId, rowStatus).ConfigureAwait(false);
                    var written = (rowStatus == BillableUsageOutbox.Skipped
                        ? status with { Skipped = Math.Max(0, status.Skipped - requeued) }
                        : status with { Failed = Math.Max(0, status.Failed - requeued) }) with
                    {
                        Pending = await BillableUsageOutbox.PendingAsync(connection, transaction, environmentId).ConfigureAwait(false),
                    };
                    await statuses.WriteAsync(connection, transaction, environmentId, StripeSyncStatus.Meters, written).ConfigureAwait(false);
                    return (long?)requeued;
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The environment's status document (an empty one before the first run).</summary>
    public async Task<MeterSyncStatus> ReadStatusAsync(string environmentId, CancellationToken cancellationToken) =>
        await statuses.ReadAsync<MeterSyncStatus>(environmentId, StripeSyncStatus.Meters, cancellationToken).ConfigureAwait(false) ?? new MeterSyncStatus();

    private async Task<MeterSyncRun> DrainLockedAsync(StripeConnection connection, bool explicitRun, CancellationToken cancellationToken)
    {
        var environmentId = connection.EnvironmentId;
        var status = await ReadStatusAsync(environmentId, cancellationToken).ConfigureAwait(false);
        if (status.RetryAt is { } retryAt && retryAt > time.GetUtcNow())
        {
            return new MeterSyncRun { Outcome = MeterSyncOutcomes.BackingOff, Status = status };
        }

        var run = new MeterSyncRun { Outcome = MeterSyncOutcomes.Done };
        var settledAny = false;
        for (var batch = 0; batch < _options.MaxBatchesPerRun; batch++)
        {
            var rows = await BillableUsageOutbox.DueAsync(database, environmentId, time.GetUtcNow().ToUnixTimeMilliseconds(), _options.BatchSize, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                break;
            }

            var result = await SendBatchAsync(connection, rows, cancellationToken).ConfigureAwait(false);
            status = await SettleAsync(environmentId, status, result, cancellationToken).ConfigureAwait(false);
            settledAny = true;
            run = run with { Sent = run.Sent + result.Sent, Skipped = run.Skipped + result.Skipped, Failed = run.Failed + result.Failed };
            if (result.Failure is not null)
            {
                break;
            }
        }

        if (!settledAny && (explicitRun || status.RetryAt is not null))
        {
            // Nothing was due: an explicit run (or the end of a backoff) still records that the sync looked.
            status = await SettleAsync(environmentId, status, BatchResult.Empty, cancellationToken).ConfigureAwait(false);
        }

        return run with { Status = status };
    }

    /// <summary>Sorts a batch into rows to skip, rows too old to send and rows to send, and sends those.</summary>
    private async Task<BatchResult> SendBatchAsync(StripeConnection connection, IReadOnlyList<BillableUsageRow> rows, CancellationToken cancellationToken)
    {
        var environmentId = connection.EnvironmentId;
        var now = time.GetUtcNow();
        var settlements = new List<(long Seq, BillableUsageSettlement Settlement)>();
        IReadOnlyDictionary<string, BillingMeterRecord> bySubtype;
        try
        {
            bySubtype = await MetersForAsync(connection, rows, now, cancellationToken).ConfigureAwait(false);
        }
        catch (StripeCallException e)
        {
            // Without Stripe's meter list no row can be told apart from an unmetered one: retry them all later.
            return new BatchResult([], e, $"reading meters: {StripeConnections.Describe(e)}", 0, 0, 0);
        }

        var customers = await MeterCustomers.CustomersAsync(database, environmentId, [.. rows.Select(r => r.CompanyId).Distinct(StringComparer.Ordinal)], cancellationToken).ConfigureAwait(false);
        var toSend = new List<(BillableUsageRow Row, StripeMeterEvent Event)>();
        long skipped = 0, failed = 0;
        string? lastError = null;
        foreach (var row in rows)
        {
            if (!bySubtype.TryGetValue(row.EventSubtype, out var meter))
            {
                settlements.Add((row.Seq, new BillableUsageSettlement(BillableUsageOutbox.Skipped, $"event subtype '{row.EventSubtype}' has no billing meter", null, null, false)));
                skipped++;
            }
            else if (!customers.TryGetValue(row.CompanyId, out var customer))
            {
                settlements.Add((row.Seq, new BillableUsageSettlement(BillableUsageOutbox.Skipped, $"company {row.CompanyId} has no {StripeCompanyKeys.CustomerId} key", null, null, false)));
                skipped++;
            }
            else if (row.Quantity == 0)
            {
                settlements.Add((row.Seq, new BillableUsageSettlement(BillableUsageOutbox.Skipped, "quantity 0: nothing to bill", null, null, false)));
                skipped++;
            }
            else if (DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredAt) < now - OldestSendable)
            {
                lastError = $"row {row.Seq}: usage of {DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredAt):O} is older than Stripe accepts (35 days)";
                settlements.Add((row.Seq, new BillableUsageSettlement(BillableUsageOutbox.Failed, lastError, null, null, false)));
                failed++;
            }
            else
            {
                // Stripe takes at most 5 minutes ahead; a trusted client clock ahead of ours is brought back to now.
                var at = DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(row.OccurredAt, now.ToUnixTimeMilliseconds()));
                toSend.Add((row, new StripeMeterEvent(meter.EventName, Identifier(environmentId, row.Seq), customer, row.Quantity, at, meter.CustomerPayloadKey, meter.ValuePayloadKey)));
            }
        }

        var deliveries = toSend.Count == 0
            ? []
            : await new StripeMeters(connection.Account).SendAsync([.. toSend.Select(s => s.Event)], _options.MaxConcurrency, cancellationToken).ConfigureAwait(false);
        var deliveredAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        long sent = 0;
        StripeCallException? failure = null;
        for (var i = 0; i < deliveries.Count; i++)
        {
            var (row, delivery) = (toSend[i].Row, deliveries[i]);
            switch (delivery.Outcome)
            {
                case MeterEventOutcome.Accepted or MeterEventOutcome.Duplicate:
                    settlements.Add((row.Seq, new BillableUsageSettlement(BillableUsageOutbox.Delivered, null, deliveredAt, null, true)));
                    sent++;
                    break;
                case MeterEventOutcome.Rejected:
                    lastError = $"row {row.Seq}: {StripeConnections.Describe(delivery.Error!)}";
                    settlements.Add((row.Seq, new BillableUsageSettlement(BillableUsageOutbox.Failed, lastError, null, null, true)));
                    failed++;
                    break;
                case MeterEventOutcome.Failed:
                    failure ??= delivery.Error;
                    settlements.Add((row.Seq, new BillableUsageSettlement(BillableUsageOutbox.Pending, StripeConnections.Describe(delivery.Error!), null, null, true)));
                    break;
                default:
                    break;
            }
        }

        return new BatchResult(settlements, failure, failure is null ? lastError : StripeConnections.Describe(failure), sent, skipped, failed);
    }

    /// <summary>
    /// The environment's meters, read again from Stripe when this node has none cached or a batch names an unmapped
    /// subtype and the last read is older than <see cref="MeterSyncOptions.MeterRefreshInterval"/>.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, BillingMeterRecord>> MetersForAsync(
        StripeConnection connection, IReadOnlyList<BillableUsageRow> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bySubtype = await meters.BySubtypeAsync(connection.EnvironmentId, cancellationToken).ConfigureAwait(false);
        var unmapped = rows.Any(r => !bySubtype.ContainsKey(r.EventSubtype));
        var stale = meters.RefreshedAt(connection.EnvironmentId) is not { } at || now - at >= _options.MeterRefreshInterval;
        if ((bySubtype.Count == 0 || unmapped) && stale)
        {
            var refreshed = await meters.RefreshAsync(connection, null, cancellationToken).ConfigureAwait(false);
            LogMetersRefreshed(connection.EnvironmentId, refreshed.Count);
            return refreshed.ToDictionary(m => m.EventSubtype, StringComparer.Ordinal);
        }

        return bySubtype;
    }

    /// <summary>Writes the batch's row fates and the new status in one transaction.</summary>
    private async Task<MeterSyncStatus> SettleAsync(string environmentId, MeterSyncStatus status, BatchResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        status = status with
        {
            LastRunAt = now,
            Sent = status.Sent + result.Sent,
            Skipped = status.Skipped + result.Skipped,
            Failed = status.Failed + result.Failed,
        };
        if (result.Error is { } error)
        {
            status = status with { LastError = error, LastErrorAt = now };
        }

        DateTimeOffset? retryAt = null;
        if (result.Failure is { } failure)
        {
            var failures = status.ConsecutiveFailures + 1;
            retryAt = now + _backoff.DelayAfter(failures, failure.RetryAfter);
            status = status with { ConsecutiveFailures = failures, RetryAt = retryAt };
            LogSendFailed(environmentId, failures, retryAt.Value, error: result.Error);
        }
        else
        {
            status = status with { ConsecutiveFailures = 0, RetryAt = null, LastSuccessAt = now };
        }

        var retryAtMs = retryAt?.ToUnixTimeMilliseconds();
        return await database.WriteAsync(
            async (connection, transaction) =>
            {
                foreach (var group in result.Settlements.GroupBy(s => s.Settlement.Status == BillableUsageOutbox.Pending ? s.Settlement with { NextAttemptAt = retryAtMs } : s.Settlement))
                {
                    foreach (var chunk in group.Select(s => s.Seq).Chunk(500))
                    {
                        await BillableUsageOutbox.SettleAsync(connection, transaction, database.Dialect, environmentId, chunk, group.Key).ConfigureAwait(false);
                    }
                }

                var written = status with { Pending = await BillableUsageOutbox.PendingAsync(connection, transaction, environmentId).ConfigureAwait(false) };
                await statuses.WriteAsync(connection, transaction, environmentId, StripeSyncStatus.Meters, written).ConfigureAwait(false);
                return written;
            },
            CancellationToken.None).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Meters of environment {EnvironmentId} read from Stripe: {Count}")]
    private partial void LogMetersRefreshed(string environmentId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meter sync of environment {EnvironmentId} failed ({Failures} in a row), retrying at {RetryAt}: {Error}")]
    private partial void LogSendFailed(string environmentId, int failures, DateTimeOffset retryAt, string? error);

    /// <summary>One batch's outcome: row fates, the failure that stopped it (if any), and counts.</summary>
    private sealed record BatchResult(
        IReadOnlyList<(long Seq, BillableUsageSettlement Settlement)> Settlements, StripeCallException? Failure, string? Error, long Sent, long Skipped, long Failed)
    {
        public static readonly BatchResult Empty = new([], null, null, 0, 0, 0);
    }
}
