using System.Data.Common;

namespace Tollgate.Server.Notifications;

/// <summary>
/// The outbox of outgoing webhooks. Writers call it inside their own store transaction, so a notice exists exactly when
/// the change that caused it committed: a change-feed subscriber could not promise that (the feed runs after commit, and
/// a node may stop in between).
/// </summary>
public interface INoticeOutbox
{
    /// <summary>
    /// Appends <paramref name="notice"/> in the caller's transaction. A notice with a <see cref="Notice.DedupeKey"/> is
    /// written once per environment ever: answers false (and writes nothing) when the key was used before.
    /// </summary>
    Task<bool> AppendAsync(DbConnection connection, DbTransaction transaction, Notice notice);

    /// <summary>
    /// Appends the notice a management write raises (<c>feature.created</c>, <c>company.override.deleted</c>…), if
    /// Schematic sends one for it, with the record written (or deleted) as its body; an override's write also keeps the
    /// schedule of its <c>company.override.expired</c>.
    /// </summary>
    Task AppendWriteAsync(DbConnection connection, DbTransaction transaction, string environmentId, string action, string resourceType, string resourceId, object? before, object? after);
}

/// <summary>
/// Something to tell the environment's webhooks: a request type, the id the endpoints' trigger configs filter on
/// (<see cref="SubjectId"/>: a feature for <c>entitlement.*</c>, a credit type for <c>credit.*</c>), and the body sent.
/// <see cref="DedupeUntil"/> is when the <see cref="DedupeKey"/> stops mattering (the end of the period it counts in;
/// null: never), after which the cleanup may delete it.
/// </summary>
public sealed record Notice(string EnvironmentId, string RequestType, string? SubjectId, string? DedupeKey, object? Body, DateTimeOffset? DedupeUntil = null);
