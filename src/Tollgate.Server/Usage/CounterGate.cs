namespace Tollgate.Server.Usage;

/// <summary>
/// Orders the commits of the ingestion writers against reads of the stored counters (<see cref="UsageCounters"/>):
/// any number of commits may be in flight together, but a read waits until none is, and no commit starts while a read
/// runs. A read between a commit and the application of its deltas would count those deltas twice; a company registered
/// after deltas were applied to it (then missing) would lose them. A waiting read lets no new commit in, so reads are not
/// starved by a steady stream of overlapping commits.
/// </summary>
internal sealed class CounterGate : IDisposable
{
    /// <summary>A read waiting holds it, so commits arriving after the read wait behind it.</summary>
    private readonly SemaphoreSlim _turnstile = new(1, 1);

    /// <summary>Held by one read, or by all the commits in flight together (taken by the first, given back by the last).</summary>
    private readonly SemaphoreSlim _store = new(1, 1);

    /// <summary>Guards <see cref="_commits"/> and the hand-over of <see cref="_store"/> between commits.</summary>
    private readonly SemaphoreSlim _counting = new(1, 1);

    private int _commits;

    /// <summary>Enters a commit: waits while a read runs or waits.</summary>
    public async Task EnterCommitAsync()
    {
        await _turnstile.WaitAsync().ConfigureAwait(false);
        _turnstile.Release();
        await _counting.WaitAsync().ConfigureAwait(false);
        try
        {
            // Only the first commit of a group waits for the store, so _counting is held while waiting only when no commit
            // is in flight (none can need it to leave).
            if (++_commits == 1)
            {
                await _store.WaitAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _counting.Release();
        }
    }

    /// <summary>Leaves a commit entered with <see cref="EnterCommitAsync"/>.</summary>
    public async Task ExitCommitAsync()
    {
        await _counting.WaitAsync().ConfigureAwait(false);
        try
        {
            if (--_commits == 0)
            {
                _store.Release();
            }
        }
        finally
        {
            _counting.Release();
        }
    }

    /// <summary>Enters a read of the store: waits until no commit is in flight, and keeps new ones out meanwhile.</summary>
    public async Task EnterReadAsync(CancellationToken cancellationToken)
    {
        await _turnstile.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _store.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _turnstile.Release();
        }
    }

    /// <summary>Leaves a read entered with <see cref="EnterReadAsync"/>.</summary>
    public void ExitRead() => _store.Release();

    public void Dispose()
    {
        _turnstile.Dispose();
        _store.Dispose();
        _counting.Dispose();
    }
}
