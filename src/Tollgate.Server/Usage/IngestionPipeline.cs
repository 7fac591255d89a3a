using System.Threading.Channels;
using Tollgate.Server.Credits;
using Tollgate.Server.Operations;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Usage;

/// <summary>
/// What became of the events of one request. <see cref="Refused"/> names each event (by its position in the request)
/// that was not written, and why; the others were written or were repeats.
/// </summary>
internal sealed record AppendOutcome(int Appended, int Duplicates, IReadOnlyList<(int Position, string Reason)> Refused)
{
    /// <summary>Nothing to append.</summary>
    public static readonly AppendOutcome None = new(0, 0, []);
}

/// <summary>
/// The writers of the event log (DESIGN.md "How data flows", step 3). Requests queue their validated events and
/// wait; a writer takes everything queued (group commit), drops events whose idempotency key was used in the last
/// 24 hours, and in one transaction appends the events, adds the folded counter deltas and appends the billable usage (<see cref="BillableUsageOutbox"/>).
/// Only after the commit does it update the in-memory counters and answer the requests: an acknowledged event is
/// durable.
/// </summary>
/// <remarks>
/// <para>SQLite has one writer: it serialises writes anyway, and its in-memory idempotency window is the writer's alone.
/// PostgreSQL has <see cref="StorageOptions.IngestionWriters"/>, whose transactions overlap (one flushes its commit
/// while the next copies its events). They stay exactly-once by key because keys are claimed in the shared table
/// (<see cref="IdempotencyClaims"/>: a key another writer holds waits for its commit), counters are added with
/// <c>INSERT … ON CONFLICT</c> in each commit's transaction, and <see cref="UsageCounters"/> lets commits overlap but
/// not a load. Concurrent writers commit events out of <c>seq</c> order; readers that walk the log by <c>seq</c>
/// stop at <see cref="EventLogWatermark"/>.</para>
/// <para>No event can fail the others. One that would take a counter past its ceiling is refused alone, with its reason
/// (<see cref="CommitPlan"/>). A group whose commit fails anyway is committed again one request at a time, so the
/// other requests are written and answered; a request the store still refuses because of its content is split until
/// the events at fault are found, and those are refused with the store's reason (a 4xx to the client, never a 500).
/// When the store fails for a reason of its own (unreachable; a deadlock is first retried), what was not written is answered 503 and
/// the writer stops retrying that group, so an outage costs one attempt per request, not one per event.</para>
/// </remarks>
internal sealed partial class IngestionPipeline(
    Database database,
    UsageCounters counters,
    IdempotencyWindow window,
    CreditLedger credits,
    ChangeFeed changes,
    BillableUsageCommitted billableUsageCommitted,
    Notifications.UsageThresholds thresholds,
    TimeProvider time,
    Microsoft.Extensions.Options.IOptions<TollgateOptions> options,
    ILogger<IngestionPipeline> logger)
    : BackgroundService
{
    /// <summary>The most events one commit takes; more wait for the next.</summary>
    public const int MaxEventsPerCommit = 20_000;

    private readonly Channel<Submission> _queue = Channel.CreateBounded<Submission>(
        new BoundedChannelOptions(2_048) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Appends the events durably; completes after their commit.</summary>
    public async Task<AppendOutcome> AppendAsync(IReadOnlyList<AcceptedEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return AppendOutcome.None;
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
        if (!database.Dialect.IsPostgres)
        {
            await window.LoadAsync(database, stoppingToken).ConfigureAwait(false);
            LogWindowLoaded(window.Count);
        }

        var writers = database.Dialect.IsPostgres ? Math.Clamp(options.Value.Storage.IngestionWriters, 1, 64) : 1;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAsync, CancellationToken.None))).ConfigureAwait(false);
    }

    /// <summary>One writer: commits what is queued, a group at a time, until the queue is completed and empty.</summary>
    private async Task WriteAsync()
    {
        var group = new List<Submission>();
        var profile = NewProfile();
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            profile.MarkIfProfiling("idle");
            group.Clear();
            var events = 0;
            while (events < MaxEventsPerCommit && _queue.Reader.TryRead(out var submission))
            {
                group.Add(submission);
                events += submission.Count;
            }

            try
            {
                await CommitGroupAsync(group, profile).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The writer must outlive any one group: a failure fails that group's requests only.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogCommitFailed(exception, events);
                foreach (var submission in group)
                {
                    submission.Pending.ForEach(MarkUnavailable);
                }
            }

            foreach (var submission in group)
            {
                submission.Complete();
            }

            if (profile is not null)
            {
                profile.Mark("answer");
                LogCommitProfile(events, group.Count, profile);
                profile = NewProfile();
            }
        }
    }

    /// <summary>A profile of the next commit when debug logging is on (issue 16's breakdown); null otherwise.</summary>
    private PhaseProfile? NewProfile() => logger.IsEnabled(LogLevel.Debug) ? new PhaseProfile() : null;

    private async Task CommitGroupAsync(List<Submission> group, PhaseProfile? profile)
    {
        var all = group.SelectMany(s => s.Pending).ToList();
        var failure = await TryCommitAsync(all, profile).ConfigureAwait(false);
        if (failure is null)
        {
            return;
        }

        LogCommitFailed(failure, all.Count);
        if (group.Count == 1)
        {
            await IsolateAsync(all, failure).ConfigureAwait(false);
            return;
        }

        // One request at a time, so that only the request at fault fails.
        var storeFailed = false;
        foreach (var submission in group)
        {
            var events = submission.Pending;
            if (storeFailed)
            {
                events.ForEach(MarkUnavailable);
                continue;
            }

            if (await TryCommitAsync(events).ConfigureAwait(false) is { } alone)
            {
                storeFailed = !await IsolateAsync(events, alone).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// <paramref name="events"/> failed together with <paramref name="failure"/>. When that was their content's fault,
    /// commits them in halves until the events at fault are alone, and refuses those; answers false (marking what is
    /// left unavailable) when the store failed for a reason of its own.
    /// </summary>
    private async Task<bool> IsolateAsync(List<PendingEvent> events, Exception failure)
    {
        if (!StoreRefusal.IsTheInputsFault(failure))
        {
            events.ForEach(MarkUnavailable);
            return false;
        }

        if (events.Count == 1)
        {
            LogEventRefused(failure);
            (events[0].Fate, events[0].Reason) = (EventFate.Refused, StoreRefusal.Describe(failure));
            return true;
        }

        var half = events.Count / 2;
        foreach (var part in new[] { events[..half], events[half..] })
        {
            var pending = part.Where(e => e.Fate == EventFate.Pending).ToList();
            if (pending.Count > 0 && await TryCommitAsync(pending).ConfigureAwait(false) is { } partFailure
                && !await IsolateAsync(pending, partFailure).ConfigureAwait(false))
            {
                events.Where(e => e.Fate == EventFate.Pending).ToList().ForEach(MarkUnavailable);
                return false;
            }
        }

        return true;
    }

    private static void MarkUnavailable(PendingEvent e)
    {
        if (e.Fate == EventFate.Pending)
        {
            e.Fate = EventFate.Unavailable;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Idempotency window loaded: {Count} keys of the last 24 hours")]
    private partial void LogWindowLoaded(int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Commit of {Events} events from {Requests} requests, ms per phase: {Profile}")]
    private partial void LogCommitProfile(int events, int requests, PhaseProfile profile);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event commit failed; its {Count} events are committed again one request at a time")]
    private partial void LogCommitFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A commit of {Count} events was aborted by a deadlock with another writer; it runs again")]
    private partial void LogDeadlockRetried(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store refused an event; it alone is refused, the others of its commit are written")]
    private partial void LogEventRefused(Exception exception);

    private sealed class Submission(IReadOnlyList<AcceptedEvent> events)
    {
        private readonly PendingEvent[] _events = [.. events.Select(e => new PendingEvent(e))];

        public int Count => _events.Length;

        /// <summary>The events nothing has been decided for yet, in order.</summary>
        public List<PendingEvent> Pending => [.. _events.Where(e => e.Fate == EventFate.Pending)];

        public TaskCompletionSource<AppendOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>
        /// Answers the request: 503 when the store failed and nothing of it was kept (the client retries all of it);
        /// otherwise what was written, and each event refused or not stored with its reason.
        /// </summary>
        public void Complete()
        {
            var kept = _events.Count(e => e.Fate is EventFate.Appended or EventFate.Duplicate);
            if (kept == 0 && _events.Any(e => e.Fate is EventFate.Unavailable or EventFate.Pending))
            {
                Completion.TrySetException(
                    new RequestException(StatusCodes.Status503ServiceUnavailable, "events: could not be stored; nothing was written, retry"));
                return;
            }

            var refused = new List<(int, string)>();
            for (var position = 0; position < _events.Length; position++)
            {
                var e = _events[position];
                if (e.Fate is EventFate.Refused)
                {
                    refused.Add((position, e.Reason!));
                }
                else if (e.Fate is EventFate.Unavailable or EventFate.Pending)
                {
                    refused.Add((position, "event: could not be stored (the database failed); it was not written, send it again"));
                }
            }

            Completion.TrySetResult(new AppendOutcome(
                _events.Count(e => e.Fate == EventFate.Appended), _events.Count(e => e.Fate == EventFate.Duplicate), refused));
        }
    }
}
