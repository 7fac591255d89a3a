using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// The one writer of the pushed billing documents (customers, subscriptions, coupons, invoices, payment methods,
/// profiles, billing details, scheduled checkouts): each in the resource store under its external id as key, written
/// with its audit record in the same transaction, refused (409) when another writer changed it or took its key meanwhile.
/// </summary>
internal sealed class BillingDocuments(ResourceStore store, AuditLog audit)
{
    public Task<T?> GetAsync<T>(string environmentId, string kind, string id, CancellationToken cancellationToken)
        where T : class =>
        store.GetAsync<T>(environmentId, kind, id, cancellationToken);

    /// <summary>The document whose id or external id (key) is <paramref name="idOrKey"/>.</summary>
    public async Task<T?> FindAsync<T>(string environmentId, string kind, string idOrKey, CancellationToken cancellationToken)
        where T : class =>
        await store.GetAsync<T>(environmentId, kind, idOrKey, cancellationToken).ConfigureAwait(false)
        ?? await store.GetByKeyAsync<T>(environmentId, kind, idOrKey, cancellationToken).ConfigureAwait(false);

    public Task<T?> ByKeyAsync<T>(string environmentId, string kind, string key, CancellationToken cancellationToken)
        where T : class =>
        store.GetByKeyAsync<T>(environmentId, kind, key, cancellationToken);

    public Task<IReadOnlyList<T>> ListAsync<T>(string environmentId, string kind, string? parentId, CancellationToken cancellationToken) =>
        store.ListAsync<T>(environmentId, kind, parentId, int.MaxValue, 0, cancellationToken);

    /// <summary>Writes <paramref name="after"/> over <paramref name="before"/> (the version read; null: a create).</summary>
    public Task<T> SaveAsync<T>(RequestScope scope, string kind, string id, string? key, string? parentId, string? companyId, T? before, T after, CancellationToken cancellationToken)
        where T : class =>
        store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                // Every id here is Tollgate's own and prefixed by kind; checked all the same, as a write would replace another kind's document.
                if (await ResourceStore.KindOfAsync(connection, transaction, scope.EnvironmentId, id).ConfigureAwait(false) is { } taken && taken != kind)
                {
                    throw new InvalidOperationException($"The id {id} of a {kind} is already a {taken}'s.");
                }

                if (key is not null && await ResourceStore.KeyTakenAsync(connection, transaction, scope.EnvironmentId, kind, key, id).ConfigureAwait(false))
                {
                    // Two creates of one external id raced: the second reads again and updates.
                    throw new ConcurrentChangeException(kind, key);
                }

                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, kind, id, key, parentId, before, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", kind, id, companyId, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken);

    /// <summary>Deletes a document; answers false when it was already gone.</summary>
    public Task<bool> DeleteAsync<T>(RequestScope scope, string kind, string id, string? companyId, T before, CancellationToken cancellationToken)
        where T : class =>
        store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                if (!await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, kind, id).ConfigureAwait(false))
                {
                    return false;
                }

                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", kind, id, companyId, before, (T?)null).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
