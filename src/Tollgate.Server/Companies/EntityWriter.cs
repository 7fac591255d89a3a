using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// The writes companies and users share: one trait set or incremented, and delete. Each commits with its audit record,
/// then publishes the change (and a catalog change when a trait definition was created).
/// </summary>
internal sealed class EntityWriter(ResourceStore store, AuditLog audit, ChangeFeed changes, RuntimeRegistry runtimes, TraitDefinitionService traits, TimeProvider time)
{
    public async Task<T> ChangeTraitAsync<T>(RequestScope scope, EntityKind<T> kind, TraitChangeRequest request, CancellationToken cancellationToken)
        where T : class, IEntityRecord
    {
        var (keys, name) = TraitChange.Check(request);
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var catalogChanged = false;
        var result = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var id = await EntityKeys.FindAsync(connection, transaction, scope.EnvironmentId, kind.KeyType, keys).ConfigureAwait(false);
                var before = id is null ? null : await store.GetForUpdateAsync<T>(connection, transaction, scope.EnvironmentId, kind.ResourceKind, id).ConfigureAwait(false);
                if (before is null)
                {
                    Errors.NotFound(kind.Name);
                }

                var after = kind.WithTraits(before, TraitChange.Apply(before.Traits, name, request), time.GetUtcNow());
                catalogChanged = await traits.EnsureDefinedAsync(connection, transaction, scope, catalog, kind.TraitEntityType, after.Traits).ConfigureAwait(false);
                await store.PutAsync(connection, transaction, scope.EnvironmentId, kind.ResourceKind, after.Id, null, null, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "update", kind.ResourceKind, after.Id, kind.AuditCompanyId(after), before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
        if (catalogChanged)
        {
            await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Catalog, [])).ConfigureAwait(false);
        }

        await changes.PublishAsync(new Change(scope.EnvironmentId, kind.ChangeKind, [result.Id])).ConfigureAwait(false);
        return result;
    }

    /// <summary>Deletes the entity and frees its keys; answers whether it existed.</summary>
    public async Task<bool> DeleteAsync<T>(RequestScope scope, EntityKind<T> kind, string id, CancellationToken cancellationToken)
        where T : class, IEntityRecord
    {
        var deleted = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var before = await store.GetForUpdateAsync<T>(connection, transaction, scope.EnvironmentId, kind.ResourceKind, id).ConfigureAwait(false);
                if (before is null)
                {
                    return false;
                }

                await EntityKeys.ReplaceAsync(connection, transaction, scope.EnvironmentId, kind.KeyType, id, new Dictionary<string, string>()).ConfigureAwait(false);
                await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, kind.ResourceKind, id).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", kind.ResourceKind, id, kind.AuditCompanyId(before), before, null).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(scope.EnvironmentId, kind.ChangeKind, [id])).ConfigureAwait(false);
        return deleted;
    }
}
