using System.Collections.Concurrent;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Datastream;

/// <summary>
/// The live connections of this node, by environment, fed from the change feed (this node's writes and, through
/// PostgreSQL, every other node's), so a write anywhere reaches every connection everywhere. Writers never call it.
/// Within an environment, a change reaches only the connections that follow what it touched (<see cref="SubscriberIndex"/>).
/// </summary>
internal sealed class DatastreamHub
{
    private readonly ConcurrentDictionary<string, SubscriberIndex> _byEnvironment = new(StringComparer.Ordinal);
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

    /// <summary>The connections of an environment by what they follow; a connection follows and unfollows there.</summary>
    public SubscriberIndex IndexFor(string environmentId) => _byEnvironment.GetOrAdd(environmentId, _ => new SubscriberIndex());

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

    private void Add(IStreamSubscriber subscriber) => IndexFor(subscriber.EnvironmentId).Add(subscriber);

    private void Remove(IStreamSubscriber subscriber) => IndexFor(subscriber.EnvironmentId).Remove(subscriber);

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
            foreach (var index in _byEnvironment.Values)
            {
                index.Notify(change);
            }
        }
        else if (_byEnvironment.TryGetValue(change.EnvironmentId, out var index))
        {
            index.Notify(change);
        }

        return Task.CompletedTask;
    }
}
