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
/// stamp into the key.
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
