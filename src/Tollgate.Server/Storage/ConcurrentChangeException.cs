namespace Tollgate.Server.Storage;

/// <summary>
/// A write found the document it was built from changed by another writer since it was read (answered 409: read
/// again and retry). Raised instead of silently overwriting the other writer's change.
/// </summary>
public sealed class ConcurrentChangeException(string kind, string id)
    : Exception($"the {kind} {id} was changed by a concurrent request; read it again and retry")
{
    /// <summary>The kind of document.</summary>
    public string Kind { get; } = kind;

    /// <summary>The document's id.</summary>
    public string Id { get; } = id;
}
