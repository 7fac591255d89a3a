using System.Collections.Concurrent;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Datastream;

/// <summary>
/// The live connections of this node, by environment, fed from the change feed (this node's writes and, through
/// PostgreSQL, every other node's), so a write anywhere reaches every connection everywhere. Writers never call it.
/// </summary>
internal sealed class DatastreamHub
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<IStreamSubscriber, byte>> _byEnvironment = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PushSource> _sources = new(StringComparer.Ordinal);

    // Taking the runtimes (which take the usage counters) makes them subscribe to the feed first: a change reaches this
    // hub only after the warm views have dropped or reloaded what it touched, so a push never reads the state before it.
    public DatastreamHub(ChangeFeed changes, RuntimeRegistry runtimes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Runtimes = runtimes;
        changes.Subscribe(OnChangeAsync);
    }

    /// <summary>The warm views connections read what they push from.</summary>
    public RuntimeRegistry Runtimes { get; }

    /// <summary>What the datastream connections of an environment push, read once for all of them.</summary>
    public PushSource SourceFor(string environmentId) => _sources.GetOrAdd(environmentId, id => new PushSource(Runtimes.For(id)));

    /// <summary>How many connections are open on this node (for metrics and tests).</summary>
    public int ConnectionCount => _byEnvironment.Values.Sum(c => c.Count);

    /// <summary>Serves a connection, receiving this node's changes while it runs.</summary>
    public async Task ServeAsync(IStreamSubscriber subscriber, CancellationToken cancellationToken)
    {
        Add(subscriber);
        try
        {
            await subscriber.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Remove(subscriber);
        }
    }

    private void Add(IStreamSubscriber subscriber) =>
        _byEnvironment.GetOrAdd(subscriber.EnvironmentId, _ => new ConcurrentDictionary<IStreamSubscriber, byte>())[subscriber] = 0;

    private void Remove(IStreamSubscriber subscriber)
    {
        if (_byEnvironment.TryGetValue(subscriber.EnvironmentId, out var subscribers))
        {
            subscribers.TryRemove(subscriber, out _);
        }
    }

    private Task OnChangeAsync(Change change, CancellationToken cancellationToken)
    {
        // The shared loads forget what the change makes stale before any connection is woken to read it.
        if (change.EnvironmentId == Change.AllEnvironments)
        {
            foreach (var source in _sources.Values)
            {
                source.Changed(change);
            }
        }
        else if (_sources.TryGetValue(change.EnvironmentId, out var source))
        {
            source.Changed(change);
        }

        if (change.EnvironmentId == Change.AllEnvironments)
        {
            foreach (var subscribers in _byEnvironment.Values)
            {
                NotifyAll(subscribers, change);
            }
        }
        else if (_byEnvironment.TryGetValue(change.EnvironmentId, out var subscribers))
        {
            NotifyAll(subscribers, change);
        }

        return Task.CompletedTask;
    }

    private static void NotifyAll(ConcurrentDictionary<IStreamSubscriber, byte> subscribers, Change change)
    {
        foreach (var subscriber in subscribers.Keys)
        {
            subscriber.Notify(change);
        }
    }
}
