namespace Tollgate.Server.Storage;

/// <summary>A change waiting in a <see cref="ChangeQueue"/>, with when it was published (Unix milliseconds, for the lag).</summary>
internal readonly record struct QueuedChange(Change Change, long PublishedAtMs);

/// <summary>
/// A bounded first-in first-out queue of changes between a producer that must never block (a writer after its commit,
/// a connection's notification callback) and one consumer that may be slow or stuck (the database is down). It never
/// grows past its capacity and never drops a change silently: when full, what it holds is coalesced into one
/// <see cref="ChangeKind.Everything"/> change per environment (or one for all environments), which tells subscribers
/// to drop or reread everything they hold for it — less precise, never wrong.
/// </summary>
internal sealed class ChangeQueue(int capacity)
{
    private readonly Lock _lock = new();
    private List<QueuedChange> _items = [];
    private TaskCompletionSource? _waiter;
    private bool _completed;

    /// <summary>How many changes it holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>How many times it was full and coalesced.</summary>
    public long Coalesced { get; private set; }

    /// <summary>Adds a change; answers true when the queue was full and has coalesced. Ignored once completed.</summary>
    public bool Add(Change change, long publishedAtMs)
    {
        TaskCompletionSource? waiter;
        var coalesced = false;
        lock (_lock)
        {
            if (_completed)
            {
                return false;
            }

            _items.Add(new QueuedChange(change, publishedAtMs));
            if (_items.Count > capacity)
            {
                _items = Coalesce(_items, capacity);
                Coalesced++;
                coalesced = true;
            }

            (waiter, _waiter) = (_waiter, null);
        }

        waiter?.TrySetResult();
        return coalesced;
    }

    /// <summary>Takes everything queued, oldest first (empty when there is nothing).</summary>
    public List<QueuedChange> TakeAll()
    {
        lock (_lock)
        {
            var taken = _items;
            _items = [];
            return taken;
        }
    }

    /// <summary>Waits until there is something to take: true then, false once the queue is completed and empty.</summary>
    public async Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_items.Count > 0)
                {
                    return true;
                }

                if (_completed)
                {
                    return false;
                }

                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Accepts no more changes; <see cref="WaitAsync"/> answers false once the rest is taken.</summary>
    public void Complete()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _completed = true;
            (waiter, _waiter) = (_waiter, null);
        }

        waiter?.TrySetResult();
    }

    /// <summary>
    /// Merges each run of consecutive changes of one environment and kind into one change of all their ids (the
    /// oldest publication time), keeping the order of the runs: applying it is applying them one after the other, in
    /// one pass. Under ingestion, another node's notices come a commit at a time and every delivery reaches every
    /// subscriber; one delivery per run keeps the delivery from falling behind (issue 16, item 4).
    /// </summary>
    public static List<QueuedChange> MergeAdjacent(List<QueuedChange> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var merged = new List<QueuedChange>(items.Count);
        var run = 0;
        for (var i = 1; i <= items.Count; i++)
        {
            if (i < items.Count && SameRun(items[run].Change, items[i].Change))
            {
                continue;
            }

            merged.Add(i - run == 1 ? items[run] : Merge(items, run, i));
            run = i;
        }

        return merged;
    }

    private static bool SameRun(Change first, Change next) =>
        first.Kind == next.Kind && first.Kind != ChangeKind.Everything && first.FromOtherNode == next.FromOtherNode
        && string.Equals(first.EnvironmentId, next.EnvironmentId, StringComparison.Ordinal);

    private static QueuedChange Merge(List<QueuedChange> items, int from, int to)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<string>();
        var publishedAtMs = long.MaxValue;
        for (var i = from; i < to; i++)
        {
            foreach (var id in items[i].Change.Ids)
            {
                if (ids.Add(id))
                {
                    ordered.Add(id);
                }
            }

            publishedAtMs = Math.Min(publishedAtMs, items[i].PublishedAtMs);
        }

        return new QueuedChange(items[from].Change with { Ids = ordered }, publishedAtMs);
    }

    private static List<QueuedChange> Coalesce(List<QueuedChange> items, int capacity)
    {
        // Per environment, the oldest publication time: the lag of a coalesced change is that of its oldest part.
        var oldest = new Dictionary<string, long>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var item in items)
        {
            var environment = item.Change.EnvironmentId;
            if (oldest.TryGetValue(environment, out var at))
            {
                oldest[environment] = Math.Min(at, item.PublishedAtMs);
            }
            else
            {
                oldest[environment] = item.PublishedAtMs;
                order.Add(environment);
            }
        }

        if (oldest.ContainsKey(Change.AllEnvironments) || order.Count > Math.Max(1, capacity / 2))
        {
            return [new QueuedChange(Change.Everything(Change.AllEnvironments), oldest.Values.Min())];
        }

        return [.. order.Select(environment => new QueuedChange(Change.Everything(environment), oldest[environment]))];
    }
}
