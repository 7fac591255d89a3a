using Tollgate.Server.Background;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing.Webhooks;

/// <summary>
/// Works off the webhook inbox: for each environment with events due, under a lock that only one node can hold
/// (PostgreSQL advisory lock; SQLite is one process), claims a batch, syncs each distinct object once (re-read from
/// Stripe, so the batch's order and duplicates do not matter) and marks its events done — or schedules them again
/// with exponential backoff (honouring Stripe's Retry-After) and gives up after <see cref="MaxAttempts"/>, leaving
/// them visible as failed and retryable by hand. Woken at once by a delivery, and every second for retries; handled
/// events are forgotten after <see cref="KeepHandledFor"/>.
/// </summary>
internal sealed partial class WebhookWorker(
    IServiceProvider services, WebhookInbox inbox, StripeConnections connections, StripeSyncStatus status, Database database, TimeProvider time, ILogger<WebhookWorker> logger)
    : BackgroundService
{
    /// <summary>Attempts before an event is given up (with the backoff capped at an hour: about a day of retrying).</summary>
    public const int MaxAttempts = 30;

    /// <summary>How long handled events are remembered (for deduplication and the API); Stripe redelivers for three days.</summary>
    public static readonly TimeSpan KeepHandledFor = TimeSpan.FromDays(30);

    private const int BatchSize = 100;
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);

    /// <summary>1 s, 2 s, 4 s… up to an hour, ±25 % jitter; never sooner than Stripe asked.</summary>
    private static readonly Backoff RetryBackoff = new(first: TimeSpan.FromSeconds(1), max: TimeSpan.FromHours(1), jitterFrom: 0.75, jitterTo: 1.25);

    private readonly WakeSignal _wake = new();
    private readonly SemaphoreSlim _draining = new(1, 1);
    private DateTimeOffset _prunedAt = DateTimeOffset.MinValue;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _received = new(StringComparer.Ordinal);

    /// <summary>Asks the worker to look at the inbox now, and to refresh the status of <paramref name="environmentId"/>, which received an event.</summary>
    public void Wake(string environmentId)
    {
        _received[environmentId] = true;
        _wake.Wake();
    }

    /// <summary>Works off everything due now (also what the loop calls); answers the number of events handled.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        // One drain at a time in this process (the advisory lock covers other nodes; on SQLite it locks nothing).
        await _draining.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await DrainOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _draining.Release();
        }
    }

    private async Task<int> DrainOnceAsync(CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - _prunedAt >= PruneEvery)
        {
            _prunedAt = time.GetUtcNow();
            await inbox.PruneAsync(_prunedAt - KeepHandledFor, cancellationToken).ConfigureAwait(false);
        }

        var handled = 0;
        var received = _received.Keys.ToList();
        foreach (var environmentId in received)
        {
            _received.TryRemove(environmentId, out _);
        }

        var due = await inbox.EnvironmentsWithWorkAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        foreach (var environmentId in due.Union(received, StringComparer.Ordinal))
        {
            handled += await DrainEnvironmentAsync(environmentId, cancellationToken).ConfigureAwait(false);
        }

        return handled;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        _draining.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DrainAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogDrainFailed(logger, e);
            }

            try
            {
                // Real time, not the injected clock: this is only how often to look; what is due is decided by the clock.
                await _wake.WaitAsync(PollEvery, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<int> DrainEnvironmentAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var envLock = await AdvisoryLock.TryAcquireAsync(database, AdvisoryLockNames.StripeWebhooks(environmentId), cancellationToken).ConfigureAwait(false);
        if (envLock is null)
        {
            return 0; // another node is working this environment's inbox
        }

        var sync = services.GetService<IStripeObjectSync>();
        var connection = await connections.GetAsync(environmentId, cancellationToken).ConfigureAwait(false);
        var handled = 0;
        while (sync is not null && connection is not null) // else events wait, pending, until the environment is connected again
        {
            var now = time.GetUtcNow();
            var batch = await inbox.ClaimAsync(environmentId, now, now + Lease, BatchSize, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var group in batch.GroupBy(e => (e.ObjectType!, e.ObjectId!)))
            {
                await HandleAsync(sync, connection, group.Key, [.. group], cancellationToken).ConfigureAwait(false);
                handled += group.Count();
            }
        }

        await WriteStatusAsync(environmentId, cancellationToken).ConfigureAwait(false);
        return handled;
    }

    private async Task HandleAsync(IStripeObjectSync sync, StripeConnection connection, (string Type, string Id) target, IReadOnlyList<InboxEntry> events, CancellationToken cancellationToken)
    {
        var ids = events.Select(e => e.EventId).ToList();
        try
        {
            await sync.SyncAsync(connection, target.Type, target.Id, cancellationToken).ConfigureAwait(false);
            await inbox.CompleteAsync(connection.EnvironmentId, ids, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var attempts = events.Max(x => x.Attempts);
            var error = e is StripeCallException stripe ? StripeConnections.Describe(stripe) : $"{target.Type} {target.Id}: {e.Message}";
            var next = attempts >= MaxAttempts ? (DateTimeOffset?)null : time.GetUtcNow() + RetryBackoff.DelayAfter(attempts, (e as StripeCallException)?.RetryAfter);
            LogSyncFailed(logger, target.Type, target.Id, attempts, error);
            await inbox.RetryLaterAsync(connection.EnvironmentId, ids, next, error, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteStatusAsync(string environmentId, CancellationToken cancellationToken)
    {
        var summary = await inbox.SummarizeAsync(environmentId, cancellationToken).ConfigureAwait(false);
        await status.WriteAsync(environmentId, StripeSyncStatus.Webhooks, WebhookStatus.From(summary), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The Stripe webhook inbox could not be worked off")]
    private static partial void LogDrainFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Syncing Stripe {ObjectType} {ObjectId} failed (attempt {Attempts}): {Error}")]
    private static partial void LogSyncFailed(ILogger logger, string objectType, string objectId, int attempts, string error);
}
