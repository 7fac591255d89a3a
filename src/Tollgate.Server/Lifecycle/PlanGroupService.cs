using System.Data.Common;
using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Lifecycle;

/// <summary>
/// The environment's plan group: created once, then replaced by updates. Each write commits with its audit record and
/// publishes a catalog change (the catalog snapshot carries the group: the Stripe sync's fallback reads it there).
/// </summary>
internal sealed class PlanGroupService(ResourceStore store, AuditLog audit, RuntimeRegistry runtimes, ChangeFeed changes, TimeProvider time)
{
    public async Task<PlanGroupRecord> GetAsync(RequestScope scope, CancellationToken cancellationToken) =>
        await PlanGroupStore.GetAsync(store, scope.EnvironmentId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "plan group not found");

    public Task<PlanGroupRecord> CreateAsync(RequestScope scope, PlanGroupRequest request, CancellationToken cancellationToken) =>
        WriteAsync(scope, null, request, cancellationToken);

    public Task<PlanGroupRecord> UpdateAsync(RequestScope scope, string planGroupId, PlanGroupRequest request, CancellationToken cancellationToken) =>
        WriteAsync(scope, planGroupId, request, cancellationToken);

    /// <summary>
    /// Sets the fallback plan inside the caller's transaction (the Stripe connection's former <c>fallback_plan_id</c>
    /// input, kept for compatibility), making the plan group with defaults when the environment has none. The caller
    /// checked the plan and publishes the catalog change after commit.
    /// </summary>
    public async Task SetFallbackAsync(DbConnection connection, DbTransaction transaction, RequestScope scope, string? fallbackPlanId)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var existing = await PlanGroupStore.ReadAsync(connection, transaction, scope.EnvironmentId).ConfigureAwait(false);
        var before = existing is null ? null : await store.GetForUpdateAsync<PlanGroupRecord>(connection, transaction, scope.EnvironmentId, PlanGroupStore.Kind, existing.Id).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var after = (before ?? new PlanGroupRecord { Id = Ids.New("plgr"), CreatedAt = now }) with { FallbackPlanId = fallbackPlanId, UpdatedAt = now };
        await store.PutAsync(connection, transaction, scope.EnvironmentId, PlanGroupStore.Kind, after.Id, PlanGroupRecord.Key, null, after).ConfigureAwait(false);
        await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", PlanGroupStore.Kind, after.Id, null, before, after).ConfigureAwait(false);
    }

    /// <summary>A create when <paramref name="planGroupId"/> is null (409 if the environment has a group), else an update of that group.</summary>
    private async Task<PlanGroupRecord> WriteAsync(RequestScope scope, string? planGroupId, PlanGroupRequest? request, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            Errors.BadRequest("body", "is required");
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var written = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var existing = await PlanGroupStore.ReadAsync(connection, transaction, scope.EnvironmentId).ConfigureAwait(false);
                var before = existing is null ? null : await store.GetForUpdateAsync<PlanGroupRecord>(connection, transaction, scope.EnvironmentId, PlanGroupStore.Kind, existing.Id).ConfigureAwait(false);
                if (planGroupId is null && before is not null)
                {
                    Errors.Conflict("plan_group", $"the environment already has plan group {before.Id}; update it with PUT /plan-groups/{before.Id}");
                }

                if (planGroupId is not null && before?.Id != planGroupId)
                {
                    Errors.NotFound("plan group");
                }

                var after = PlanGroupValidation.ToRecord(request, catalog, before, time.GetUtcNow());

                // The unique (environment, kind, key) index keeps a second concurrent create from committing.
                await store.PutAsync(connection, transaction, scope.EnvironmentId, PlanGroupStore.Kind, after.Id, PlanGroupRecord.Key, null, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", PlanGroupStore.Kind, after.Id, null, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Catalog, [])).ConfigureAwait(false);
        return written;
    }
}
