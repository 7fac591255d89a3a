using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>Company overrides: a feature value for one company that beats its plans until <c>expiration_date</c>.</summary>
internal sealed class OverrideService(ResourceStore store, AuditLog audit, RuntimeRegistry runtimes, ChangeFeed changes, TimeProvider time)
{
    public async Task<CompanyOverrideRecord> CreateAsync(RequestScope scope, GrantRequest request, CancellationToken cancellationToken)
    {
        var companyId = Validate.Required(request.CompanyId, "company_id");
        var runtime = runtimes.For(scope.EnvironmentId);
        var catalog = await runtime.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (await store.GetAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false) is null)
        {
            Errors.BadRequest("company_id", "must name an existing company");
        }

        var record = Build(Ids.New("cmov"), companyId, request, catalog, null);
        return await SaveAsync(scope, record.Id, _ => record, cancellationToken).ConfigureAwait(false);
    }

    public async Task<CompanyOverrideRecord> UpdateAsync(RequestScope scope, string overrideId, GrantRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        return await SaveAsync(
            scope,
            overrideId,
            before => before is null
                ? throw new RequestException(StatusCodes.Status404NotFound, "company override not found")
                : Build(before.Id, before.CompanyId, request with { FeatureId = request.FeatureId ?? before.FeatureId }, catalog, before),
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(RequestScope scope, string overrideId, CancellationToken cancellationToken)
    {
        var before = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var before = await store.GetForUpdateAsync<CompanyOverrideRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.CompanyOverride, overrideId).ConfigureAwait(false);
                if (before is not null)
                {
                    await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.CompanyOverride, overrideId).ConfigureAwait(false);
                    await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", ResourceKinds.CompanyOverride, overrideId, before.CompanyId, before, null).ConfigureAwait(false);
                }

                return before;
            },
            cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return false;
        }

        await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Company, [before.CompanyId])).ConfigureAwait(false);
        return true;
    }

    public async Task<CompanyOverrideRecord> GetAsync(RequestScope scope, string overrideId, CancellationToken cancellationToken) =>
        await store.GetAsync<CompanyOverrideRecord>(scope.EnvironmentId, ResourceKinds.CompanyOverride, overrideId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "company override not found");

    /// <summary>
    /// Writes what <paramref name="change"/> makes of the stored override (null when there is none), read inside the
    /// write's transaction and held until it commits, so concurrent updates take turns.
    /// </summary>
    private async Task<CompanyOverrideRecord> SaveAsync(
        RequestScope scope, string overrideId, Func<CompanyOverrideRecord?, CompanyOverrideRecord> change, CancellationToken cancellationToken)
    {
        var after = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var before = await store.GetForUpdateAsync<CompanyOverrideRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.CompanyOverride, overrideId).ConfigureAwait(false);
                var after = change(before);
                await store.PutAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.CompanyOverride, after.Id, null, after.CompanyId, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", ResourceKinds.CompanyOverride, after.Id, after.CompanyId, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Company, [after.CompanyId])).ConfigureAwait(false);
        return after;
    }

    private CompanyOverrideRecord Build(string id, string companyId, GrantRequest request, CatalogSnapshot catalog, CompanyOverrideRecord? before)
    {
        var grant = GrantValidation.Check(request, catalog);
        var record = new CompanyOverrideRecord
        {
            Id = id,
            CompanyId = companyId,
            FeatureId = grant.Feature.Id,
            ValueType = grant.ValueType,
            ExpirationDate = request.ExpirationDate?.ToUniversalTime(),
            Note = Validate.Bounded(request.Note, "note"),
        };
        return grant.Apply(record, request, time.GetUtcNow(), before);
    }
}
