using Tollgate.Server.Storage;

namespace Tollgate.Server.Datastream;

/// <summary>A live connection that pushes what changed: a datastream client or a browser's flag bootstrap.</summary>
internal interface IStreamSubscriber
{
    /// <summary>The environment the connection's key belongs to.</summary>
    string EnvironmentId { get; }

    /// <summary>
    /// A committed change of its environment that touches what it follows in its <see cref="SubscriberIndex"/> (or the
    /// catalog, a reset, a key). Called on the change feed's delivery (the writer's commit path, on ingestion too), so it
    /// only marks what to send and wakes the connection's sender: it never waits or reads the store. It may still be
    /// told of an id it has just stopped following, and checks.
    /// </summary>
    void Notify(Change change);

    /// <summary>
    /// Serves the connection until the client leaves or <paramref name="cancellationToken"/> ends it, and before
    /// returning unfollows every id it followed in its <see cref="SubscriberIndex"/>.
    /// </summary>
    Task RunAsync(CancellationToken cancellationToken);
}
