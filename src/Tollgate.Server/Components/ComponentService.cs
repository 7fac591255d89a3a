using Tollgate.Server.Audit;
using Tollgate.Server.Catalogs;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Components;

/// <summary>
/// Stored components (resources of kind <see cref="Kind"/>): create, read, list, update, delete, bind a catalog. Nothing
/// caches them, so writes publish no change; each write is in the audit log.
/// </summary>
internal sealed class ComponentService(ResourceStore store, AuditLog audit, CatalogService catalogs, TimeProvider time)
{
    /// <summary>The resource kind of components.</summary>
    public const string Kind = "component";

    // Schematic's ComponentEntityType and ComponentState.
    private static readonly (string, string)[] Types = [("billing", "billing"), ("entitlement", "entitlement")];
    private static readonly (string, string)[] States = [("draft", "draft"), ("live", "live")];

    public async Task<ComponentRecord> CreateAsync(RequestScope scope, ComponentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        var record = new ComponentRecord
        {
            Id = Ids.New("cmpn"),
            Name = Validate.Required(request.Name, "name"),
            Type = Validate.OneOf(Validate.Required(request.EntityType, "entity_type"), "entity_type", Types),
            State = request.State is null ? "draft" : Validate.OneOf(request.State, "state", States),
            Ast = request.Ast,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await SaveAsync(scope, null, record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<ComponentRecord> UpdateAsync(RequestScope scope, string componentId, ComponentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = await GetAsync(scope.EnvironmentId, componentId, cancellationToken).ConfigureAwait(false);
        var after = before with
        {
            Name = request.Name is null ? before.Name : Validate.Required(request.Name, "name"),
            Type = request.EntityType is null ? before.Type : Validate.OneOf(request.EntityType, "entity_type", Types),
            State = request.State is null ? before.State : Validate.OneOf(request.State, "state", States),
            Ast = request.Ast ?? before.Ast,
            UpdatedAt = time.GetUtcNow(),
        };
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<ComponentRecord> BindCatalogAsync(RequestScope scope, string componentId, BindCatalogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var before = await GetAsync(scope.EnvironmentId, componentId, cancellationToken).ConfigureAwait(false);
        if (request.CatalogId is { } catalogId)
        {
            await catalogs.GetAsync(scope.EnvironmentId, Validate.Required(catalogId, "catalog_id"), cancellationToken).ConfigureAwait(false);
        }

        var after = before with { CatalogId = request.CatalogId, UpdatedAt = time.GetUtcNow() };
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return after;
    }

    public Task<bool> DeleteAsync(RequestScope scope, string componentId, CancellationToken cancellationToken) =>
        store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var before = await store.GetForUpdateAsync<ComponentRecord>(connection, transaction, scope.EnvironmentId, Kind, componentId).ConfigureAwait(false);
                if (before is null)
                {
                    Errors.NotFound("component");
                }

                await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, Kind, componentId).ConfigureAwait(false);
                await audit.RecordAsync<ComponentRecord>(connection, transaction, scope, scope.EnvironmentId, "delete", Kind, componentId, null, before, null).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    public async Task<ComponentRecord> GetAsync(string environmentId, string componentId, CancellationToken cancellationToken) =>
        await store.GetAsync<ComponentRecord>(environmentId, Kind, componentId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "component not found");

    /// <summary>The components, oldest first, whose name contains <paramref name="q"/> (ignoring case) when given.</summary>
    public async Task<IReadOnlyList<ComponentRecord>> ListAsync(string environmentId, string? q, CancellationToken cancellationToken)
    {
        // An environment holds a handful of layouts: they are read whole and filtered here.
        var all = await store.ListAllAsync<ComponentRecord>(environmentId, Kind, cancellationToken).ConfigureAwait(false);
        return q is null ? all : [.. all.Where(c => c.Name.Contains(q, StringComparison.OrdinalIgnoreCase))];
    }

    private Task<bool> SaveAsync(RequestScope scope, ComponentRecord? before, ComponentRecord after, CancellationToken cancellationToken) =>
        store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, Kind, after.Id, null, null, before, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", Kind, after.Id, null, before, after).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
}
