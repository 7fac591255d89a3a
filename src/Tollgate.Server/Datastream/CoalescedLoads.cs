using System.Collections.Concurrent;

namespace Tollgate.Server.Datastream;

/// <summary>
/// One load per id at a time, shared by every connection that asks while it runs: a change to a company that 10,000
/// connections follow is read and built once, not 10,000 times (issue 15, item 1).
/// </summary>
/// <remarks>
/// Invariant: a caller never joins a load that began before the latest change of its id. <see cref="Forget"/> runs
/// on the change feed before any connection is told of the change, so a connection woken by a change finds either no
/// load (and starts one, which reads after the change) or one started after it. Finished loads are not kept: the warm
/// view of the runtime answers the connections that come later, without reading the store.
/// </remarks>
internal sealed class CoalescedLoads<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, Task<T?>> _running = new(StringComparer.Ordinal);

    /// <summary>The result of the load of <paramref name="id"/> running now, or of a new one.</summary>
    public Task<T?> GetAsync(string id, Func<string, ValueTask<T?>> load, CancellationToken cancellationToken)
    {
        if (_running.TryGetValue(id, out var running))
        {
            return running.WaitAsync(cancellationToken);
        }

        var completion = new TaskCompletionSource<T?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var winner = _running.GetOrAdd(id, completion.Task);
        if (winner == completion.Task)
        {
            _ = RunAsync(id, load, completion);
        }

        return winner.WaitAsync(cancellationToken);
    }

    /// <summary>These ids changed: loads running now read before the change, so no later caller may join them.</summary>
    public void Forget(IReadOnlyList<string> ids)
    {
        foreach (var id in ids)
        {
            _running.TryRemove(id, out _);
        }
    }

    /// <summary>Anything may have changed (the catalog, or notices were missed).</summary>
    public void ForgetAll() => _running.Clear();

    private async Task RunAsync(string id, Func<string, ValueTask<T?>> load, TaskCompletionSource<T?> completion)
    {
        try
        {
            // Not cancelled by any one connection: others wait for the same result.
            completion.TrySetResult(await load(id).ConfigureAwait(false));
        }
#pragma warning disable CA1031 // The failure is every waiter's: it reaches them through the task, each ends its connection.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            completion.TrySetException(exception);
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<string, Task<T?>>(id, completion.Task));
        }
    }
}
