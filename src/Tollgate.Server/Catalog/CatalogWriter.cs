using System.Data.Common;
using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Catalog;

/// <summary>
/// The write path of the catalog (DESIGN.md "How data flows", step 1): one transaction with its audit record, then the
/// catalog change is published: this node's compiled catalog is rebuilt before the write returns, so the next check
/// sees it, and the other nodes' soon after.
/// </summary>
internal sealed class CatalogWriter(ResourceStore store, AuditLog audit, ChangeFeed changes)
{
    public ResourceStore Store => store;

    public async Task<T> WriteAsync<T>(RequestScope scope, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var result = await store.Database.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Catalog, [])).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Writes a document and its audit record (create when there is no <paramref name="before"/>, else update, refused
    /// with 409 when the document is no longer <paramref name="before"/>: see <see cref="ResourceStore.PutIfUnchangedAsync"/>).
    /// </summary>
    public async Task PutAsync<T>(DbConnection connection, DbTransaction transaction, RequestScope scope, string kind, string id, string? key, string? parentId, T? before, T after)
        where T : class
    {
        await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, kind, id, key, parentId, before, after).ConfigureAwait(false);
        await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", kind, id, null, before, after).ConfigureAwait(false);
    }

    public async Task DeleteAsync<T>(DbConnection connection, DbTransaction transaction, RequestScope scope, string kind, string id, T before)
        where T : class
    {
        await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, kind, id).ConfigureAwait(false);
        await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", kind, id, null, before, null).ConfigureAwait(false);
    }
}
