namespace Tollgate.Server.Storage;

/// <summary>What a write changed, for the in-memory state of other Tollgate nodes on the same database.</summary>
internal enum ChangeKind
{
    /// <summary>Features, flags, plans, versions, entitlements or trait definitions: the catalog is reloaded.</summary>
    Catalog,

    /// <summary>Companies (record, keys, plans, overrides): their warm views are dropped.</summary>
    Company,

    /// <summary>Users: their warm views are dropped.</summary>
    User,

    /// <summary>Usage counters of companies: reloaded from the store.</summary>
    Usage,
}

/// <summary>One change notice: in an environment, these ids of this kind changed.</summary>
internal sealed record Change(string EnvironmentId, ChangeKind Kind, IReadOnlyList<string> Ids);

/// <summary>
/// Tells the other nodes sharing the database what this node wrote (DESIGN.md "How data flows", step 1). On SQLite,
/// which one process owns, there is no one to tell: this base class drops every notice. Notices are sent after the
/// write commits; a node that misses some (its listening connection broke) forgets everything it holds warm.
/// </summary>
internal class ChangeFeed
{
    private readonly List<Func<Change, CancellationToken, Task>> _subscribers = [];

    /// <summary>Sends a notice to the other nodes; never blocks and never throws.</summary>
    public virtual void Publish(Change change)
    {
    }

    /// <summary>Registers a handler of notices from other nodes.</summary>
    public void Subscribe(Func<Change, CancellationToken, Task> handler)
    {
        lock (_subscribers)
        {
            _subscribers.Add(handler);
        }
    }

    /// <summary>Hands a notice from another node to every subscriber.</summary>
    protected async Task DeliverAsync(Change change, CancellationToken cancellationToken)
    {
        Func<Change, CancellationToken, Task>[] handlers;
        lock (_subscribers)
        {
            handlers = [.. _subscribers];
        }

        foreach (var handler in handlers)
        {
            await handler(change, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Starts and stops the change feed with the host, when it has anything to run (PostgreSQL).</summary>
internal sealed class ChangeFeedHost(ChangeFeed feed) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => (feed as IHostedService)?.StartAsync(cancellationToken) ?? Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => (feed as IHostedService)?.StopAsync(cancellationToken) ?? Task.CompletedTask;
}
