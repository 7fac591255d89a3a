using System.Threading.Channels;
using Tollgate.Server.Api;
using Tollgate.Server.Credits;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>What became of the events of one request.</summary>
internal sealed record AppendOutcome(int Appended, int Duplicates);

/// <summary>
/// The single writer of the event log (DESIGN.md "How data flows", step 3). Requests queue their validated events and
/// wait; the writer takes everything queued (group commit), drops events whose idempotency key was seen in the last 24
/// hours, and in one transaction appends the events, adds the folded counter deltas and writes the meter outbox. Only
/// after the commit does it update the in-memory counters and answer the requests: an acknowledged event is durable,
/// and a failed commit fails every request in it (the client retries; nothing was written).
/// </summary>
internal sealed partial class IngestionPipeline(
    Database database,
    UsageCounters counters,
    IdempotencyWindow window,
    CreditLedger credits,
    ChangeFeed changes,
    Billing.MeterSyncSignal meterSync,
    TimeProvider time,
    ILogger<IngestionPipeline> logger)
    : BackgroundService
{
    /// <summary>The most events one commit takes; more wait for the next.</summary>
    public const int MaxEventsPerCommit = 20_000;

    private static readonly TimeSpan KeyPruneInterval = TimeSpan.FromHours(1);

    private DateTimeOffset _lastKeyPrune = DateTimeOffset.MinValue;

    private readonly Channel<Submission> _queue = Channel.CreateBounded<Submission>(
        new BoundedChannelOptions(2_048) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Appends the events durably; completes after their commit.</summary>
    public async Task<AppendOutcome> AppendAsync(IReadOnlyList<AcceptedEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return new AppendOutcome(0, 0);
        }

        var submission = new Submission(events);
        try
        {
            await _queue.Writer.WriteAsync(submission, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new RequestException(StatusCodes.Status503ServiceUnavailable, "events: the server is shutting down; nothing was written, retry");
        }

        // Once queued, the outcome is the writer's: a client that gave up still gets its events written.
        return await submission.Completion.Task.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Take no more; what is queued is still written before the writer ends.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await window.LoadAsync(database, stoppingToken).ConfigureAwait(false);
        LogWindowLoaded(window.Count);
        var group = new List<Submission>();
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            group.Clear();
            var events = 0;
            while (events < MaxEventsPerCommit && _queue.Reader.TryRead(out var submission))
            {
                group.Add(submission);
                events += submission.Events.Count;
            }

            try
            {
                await CommitAsync(group).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The writer must outlive any one group: a failure fails that group's requests only.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogCommitFailed(exception, events);
                Fail(group);
            }
        }
    }

    private static void Fail(List<Submission> group)
    {
        foreach (var submission in group)
        {
            submission.Completion.TrySetException(
                new RequestException(StatusCodes.Status503ServiceUnavailable, "events: could not be stored; nothing was written, retry"));
        }
    }

    private async Task CommitAsync(List<Submission> group)
    {
        window.Prune();
        var fresh = new List<AcceptedEvent>();
        var newKeys = new HashSet<(string, string)>();
        foreach (var submission in group)
        {
            foreach (var e in submission.Events)
            {
                if (e.IdempotencyKey is { } key && (window.Contains(e.EnvironmentId, key) || !newKeys.Add((e.EnvironmentId, key))))
                {
                    submission.Duplicates++;
                    continue;
                }

                fresh.Add(e);
            }
        }

        var (deltas, outbox) = Fold(fresh);
        // Keys past the window are deleted from the log about once an hour, in a commit that writes anyway.
        long? deleteKeysBefore = null;
        if (time.GetUtcNow() - _lastKeyPrune > KeyPruneInterval)
        {
            deleteKeysBefore = window.ExpiredBefore;
            _lastKeyPrune = time.GetUtcNow();
        }

        try
        {
            var createdAt = time.GetUtcNow().ToUnixTimeMilliseconds();
            await counters.CommitAsync(
                () => database.WriteAsync(
                    async (connection, transaction) =>
                    {
                        await EventLogWriter.WriteAsync(connection, transaction, fresh, deltas, outbox, createdAt, deleteKeysBefore).ConfigureAwait(false);
                        await BurnCreditsAsync(connection, transaction, fresh).ConfigureAwait(false);
                        return true;
                    },
                    CancellationToken.None),
                deltas).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any failure of the commit fails the requests in it; the writer goes on with the next.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogCommitFailed(exception, fresh.Count);
            Fail(group);
            return;
        }

        foreach (var burnt in fresh.Where(e => e.Burns.Count > 0).GroupBy(e => e.EnvironmentId))
        {
            await changes.PublishAsync(new Change(burnt.Key, ChangeKind.Credits, [.. burnt.Select(e => e.CompanyId!).Distinct(StringComparer.Ordinal)])).ConfigureAwait(false);
        }

        if (outbox.Count > 0)
        {
            meterSync.Wake();
        }

        foreach (var byEnvironment in deltas.Keys.GroupBy(k => k.EnvironmentId))
        {
            await changes.PublishAsync(new Change(byEnvironment.Key, ChangeKind.Usage, [.. byEnvironment.Select(k => k.CompanyId).Distinct(StringComparer.Ordinal)])).ConfigureAwait(false);
        }

        foreach (var e in fresh)
        {
            if (e.IdempotencyKey is { } key)
            {
                window.Add(e.EnvironmentId, key, e.ReceivedAt.ToUnixTimeMilliseconds());
            }
        }

        foreach (var submission in group)
        {
            submission.Completion.TrySetResult(new AppendOutcome(submission.Events.Count - submission.Duplicates, submission.Duplicates));
        }
    }

    /// <summary>
    /// Burns the credits the commit's tracks cost, in its transaction: summed per company and credit type (one ledger
    /// movement each), never refused — the usage has happened, so a shortfall becomes debt the next grant pays. A
    /// track made under a credit lease is held on the lease instead, burnt when the lease closes.
    /// </summary>
    private async Task BurnCreditsAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, List<AcceptedEvent> events)
    {
        var direct = new Dictionary<(string EnvironmentId, string CompanyId, string CreditTypeId), double>();
        foreach (var e in events.Where(e => e.Burns.Count > 0))
        {
            var amount = e.Burns.Sum(b => b.Amount);
            if (e.LeaseId is { } leaseId && await credits.TrackOnLeaseAsync(connection, transaction, e.EnvironmentId, leaseId, amount, "track").ConfigureAwait(false))
            {
                continue;
            }

            foreach (var burn in e.Burns)
            {
                var key = (e.EnvironmentId, e.CompanyId!, burn.CreditTypeId);
                direct[key] = direct.GetValueOrDefault(key) + burn.Amount;
            }
        }

        // In a fixed order, so that two transactions locking several balance rows cannot deadlock on PostgreSQL.
        foreach (var ((environmentId, companyId, creditTypeId), amount) in direct.OrderBy(d => d.Key))
        {
            await credits.ConsumeAsync(connection, transaction, environmentId, companyId, creditTypeId, amount, "track", null, strict: false).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sums the usage of the commit per counter, and per company, subtype and billing period for the outbox (backfill
    /// counts for metrics, never for billing).
    /// </summary>
    private static (Dictionary<CounterKey, long> Deltas, Dictionary<OutboxKey, (long Quantity, long OccurredAt)> Outbox) Fold(List<AcceptedEvent> events)
    {
        var deltas = new Dictionary<CounterKey, long>();
        var outbox = new Dictionary<OutboxKey, (long Quantity, long OccurredAt)>();
        foreach (var e in events.Where(e => e.CountsUsage))
        {
            foreach (var period in UsagePeriods.All)
            {
                var key = new CounterKey(e.EnvironmentId, e.CompanyId!, e.Subtype!, period, UsagePeriods.BucketOf(period, e.OccurredAt, e.Subscription));
                deltas[key] = deltas.GetValueOrDefault(key) + e.Quantity;
            }

            if (!e.Backfill)
            {
                var key = new OutboxKey(e.EnvironmentId, e.CompanyId!, e.Subtype!, UsagePeriods.BucketOf(UsagePeriod.MonthFromBillingAnchor, e.OccurredAt, e.Subscription));
                var (quantity, occurredAt) = outbox.GetValueOrDefault(key);
                outbox[key] = (quantity + e.Quantity, Math.Max(occurredAt, e.OccurredAt.ToUnixTimeMilliseconds()));
            }
        }

        return (deltas, outbox);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotency window loaded: {Count} keys of the last 24 hours")]
    private partial void LogWindowLoaded(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event commit failed; {Count} events were not written and their requests fail")]
    private partial void LogCommitFailed(Exception exception, int count);

    private sealed class Submission(IReadOnlyList<AcceptedEvent> events)
    {
        public IReadOnlyList<AcceptedEvent> Events { get; } = events;

        public int Duplicates { get; set; }

        public TaskCompletionSource<AppendOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
