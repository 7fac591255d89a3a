namespace Tollgate.Server.Storage;

/// <summary>
/// The change feed over PostgreSQL <c>LISTEN/NOTIFY</c>: besides this node's subscribers, changes go to the other nodes
/// on channel <c>tollgate_changes</c> as small JSON payloads naming the sending node, so a node ignores its own.
/// </summary>
/// <remarks>
/// Faults of the database never end it. The sender retries a notice until it is sent, with backoff; the listener
/// reconnects after any failure, with backoff, and then tells every subscriber that everything may have changed
/// (notices sent while nobody listened are lost). Both queues are bounded <see cref="ChangeQueue"/>s: when the
/// database stays away long enough to fill one, it coalesces rather than grows or drops.
/// </remarks>
internal sealed partial class PostgresChangeFeed : ChangeFeed, IHostedService, IAsyncDisposable
{
    public const string Channel = "tollgate_changes";

    /// <summary>How many changes each queue holds before it coalesces.</summary>
    public const int QueueCapacity = 10_000;

    // NOTIFY payloads must stay under 8,000 bytes; ids are chunked well below that.
    private const int MaxPayloadChars = 6_000;

    // At most 6,000 characters each: a round trip of notices stays under a megabyte.
    private const int MaxNoticesPerRoundTrip = 128;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly ChangeQueue _outgoing = new(QueueCapacity);
    private readonly ChangeQueue _incoming = new(QueueCapacity);
    private readonly CancellationTokenSource _stopping = new();
    private readonly PostgresDatabase _database;
    private readonly ILogger<PostgresChangeFeed> _logger;
    private Task? _listener;
    private Task? _sender;
    private Task? _deliverer;
    private Task? _stop;
    private long _reconnects;
    private volatile bool _listening;

    public PostgresChangeFeed(PostgresDatabase database, ILogger<PostgresChangeFeed> logger)
        : base(logger)
    {
        (_database, _logger) = (database, logger);
    }

    /// <summary>How many times the listener reconnected (and told every subscriber to resync).</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>True while a listening connection is open.</summary>
    public bool Listening => _listening;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = Task.Run(() => ListenAsync(_stopping.Token), CancellationToken.None);
        _sender = Task.Run(() => SendAsync(_stopping.Token), CancellationToken.None);
        _deliverer = Task.Run(() => DeliverIncomingAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Sends what is queued (for up to 2 s) and stops listening. The host and the container may both stop it, even at
    /// once: every caller awaits the one stop.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_outgoing)
        {
            return _stop ??= StopOnceAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <inheritdoc />
    protected override void Send(Change change)
    {
        if (_outgoing.Add(change, NowMs()))
        {
            LogOutgoingCoalesced(QueueCapacity);
        }
    }

    private static long NowMs() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Exponential backoff from 100 ms to <see cref="MaxBackoff"/>, with jitter so nodes do not retry in step.</summary>
    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures - 1, 10))) * (0.75 + (Random.Shared.NextDouble() / 2)));

    private async Task StopOnceAsync()
    {
        _outgoing.Complete();
        if (_sender is not null)
        {
            // Let the last notices go out, but do not hold shutdown hostage.
            await Task.WhenAny(_sender, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _incoming.Complete();
        foreach (var task in new[] { _sender, _listener, _deliverer })
        {
            if (task is not null)
            {
                await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
            }
        }
    }
}
