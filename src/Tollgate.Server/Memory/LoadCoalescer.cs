using System.Collections.Concurrent;

namespace Tollgate.Server.Memory;

/// <summary>
/// Runs one load per key at a time: callers asking for a key whose load is in flight wait for that load instead of
/// starting their own (a burst of checks of one cold company reads the store once).
/// </summary>
/// <remarks>
/// The load runs without the callers' cancellation (one caller giving up must not fail the others); each caller stops
/// waiting when its own token is cancelled. The key leaves the map before its waiters are woken, so a caller arriving
/// after the load finished starts a fresh one. Callers that must not share a load started before a write put a write
/// stamp into the key, or call <see cref="Forget"/> when the write is seen: a caller never joins a load that began
/// before the latest change of its key once that change has been forgotten.
/// </remarks>
internal sealed class LoadCoalescer<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Task<TValue>> _inFlight = new();

    /// <summary>How many loads are in flight (for tests).</summary>
    public int InFlight => _inFlight.Count;

    public Task<TValue> LoadAsync(TKey key, Func<Task<TValue>> load, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = _inFlight.GetOrAdd(key, mine.Task);
        if (ReferenceEquals(shared, mine.Task))
        {
            _ = RunAsync(key, mine, load);
        }

        return shared.WaitAsync(cancellationToken);
    }

    /// <summary>These keys changed: loads running now read before the change, so no later caller may join them.</summary>
    public void Forget(IEnumerable<TKey> keys)
    {
        foreach (var key in keys)
        {
            _inFlight.TryRemove(key, out _);
        }
    }

    /// <summary>Anything may have changed: no load running now may be joined.</summary>
    public void ForgetAll() => _inFlight.Clear();

    private async Task RunAsync(TKey key, TaskCompletionSource<TValue> completion, Func<Task<TValue>> load)
    {
        try
        {
            var value = await load().ConfigureAwait(false);
            _inFlight.TryRemove(KeyValuePair.Create(key, completion.Task));
            completion.SetResult(value);
        }
        catch (Exception exception)
        {
            // Every waiter sees the failure (as each would have, loading alone); the next caller tries again.
            _inFlight.TryRemove(KeyValuePair.Create(key, completion.Task));
            completion.SetException(exception);
        }
    }
}
