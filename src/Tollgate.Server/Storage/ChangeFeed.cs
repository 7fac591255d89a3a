namespace Tollgate.Server.Storage;

/// <summary>
/// The one path by which a committed write reaches everything that caches or pushes (DESIGN.md "How data flows",
/// step 5). A writer publishes a <see cref="Change"/> after its commit; the feed hands it to this node's subscribers
/// before <see cref="PublishAsync"/> returns (so the writer's caller reads its own write) and sends it to the other
/// nodes sharing the database. On SQLite, which one process owns, there are no other nodes: this base class delivers
/// in-process only. <see cref="PostgresChangeFeed"/> adds the other nodes.
/// </summary>
internal partial class ChangeFeed(ILogger logger)
{
    private readonly Lock _subscribing = new();

    // Replaced, never changed, on Subscribe: a delivery (one per commit on the ingestion path) reads it without a lock.
    private Func<Change, CancellationToken, Task>[] _subscribers = [];
    private long _lastLagTicks = -1;

    /// <summary>
    /// Raised on each change another node published, once this node's subscribers have applied it, with the time from
    /// its publication there to here (wall clocks of the two nodes; never negative). For metrics.
    /// </summary>
    public event Action<TimeSpan>? RemoteChangeDelivered;

    /// <summary>The lag of the last change delivered from another node (see <see cref="RemoteChangeDelivered"/>); null before the first.</summary>
    public TimeSpan? LastRemoteLag => Interlocked.Read(ref _lastLagTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>
    /// Publishes a committed change: sends it to the other nodes (queued, never blocks), then applies it to this node's
    /// subscribers. Never throws: a subscriber that fails is logged, and the others still get the change.
    /// </summary>
    public async Task PublishAsync(Change change)
    {
        ArgumentNullException.ThrowIfNull(change);
        Send(change);
        // The write has committed: the caller's cancellation must not stop this node from hearing of it.
        await DeliverAsync(change, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Registers a handler of every change, this node's and the other nodes'.</summary>
    public void Subscribe(Func<Change, CancellationToken, Task> handler)
    {
        lock (_subscribing)
        {
            Volatile.Write(ref _subscribers, [.. _subscribers, handler]);
        }
    }

    /// <summary>Queues a change for the other nodes; there are none here.</summary>
    protected virtual void Send(Change change)
    {
    }

    /// <summary>Hands a change to every subscriber, one after the other; a failing one does not keep it from the rest.</summary>
    protected async Task DeliverAsync(Change change, CancellationToken cancellationToken)
    {
        foreach (var handler in Volatile.Read(ref _subscribers))
        {
            try
            {
                await handler(change, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A subscriber's failure is its own (it drops what it could not refresh); the feed goes on.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogSubscriberFailed(exception, change.Kind, change.EnvironmentId);
            }
        }
    }

    /// <summary>Records the lag of a change from another node, after delivering it.</summary>
    protected void RecordRemoteLag(TimeSpan lag)
    {
        lag = lag < TimeSpan.Zero ? TimeSpan.Zero : lag;
        Interlocked.Exchange(ref _lastLagTicks, lag.Ticks);
        try
        {
            RemoteChangeDelivered?.Invoke(lag);
        }
#pragma warning disable CA1031 // A metrics listener that throws must not stop the delivery of changes.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogLagListenerFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying a {Kind} change of environment {Environment} failed")]
    private partial void LogSubscriberFailed(Exception exception, ChangeKind kind, string environment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A listener of the change feed's lag failed")]
    private partial void LogLagListenerFailed(Exception exception);
}

/// <summary>Starts and stops the change feed with the host, when it has anything to run (PostgreSQL).</summary>
internal sealed class ChangeFeedHost(ChangeFeed feed) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => (feed as IHostedService)?.StartAsync(cancellationToken) ?? Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => (feed as IHostedService)?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
