using Tollgate.Server.Api;
using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
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
        await SaveAsync(scope, null, record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<CompanyOverrideRecord> UpdateAsync(RequestScope scope, string overrideId, GrantRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var before = await GetAsync(scope, overrideId, cancellationToken).ConfigureAwait(false);
        var after = Build(before.Id, before.CompanyId, request with { FeatureId = request.FeatureId ?? before.FeatureId }, catalog, before);
        await SaveAsync(scope, before, after, cancellationToken).ConfigureAwait(false);
        return after;
    }

    public async Task<bool> DeleteAsync(RequestScope scope, string overrideId, CancellationToken cancellationToken)
    {
        var before = await store.GetAsync<CompanyOverrideRecord>(scope.EnvironmentId, ResourceKinds.CompanyOverride, overrideId, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return false;
        }

        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.CompanyOverride, overrideId).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", ResourceKinds.CompanyOverride, overrideId, before.CompanyId, before, null).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Company, [before.CompanyId])).ConfigureAwait(false);
        return true;
    }

    public async Task<CompanyOverrideRecord> GetAsync(RequestScope scope, string overrideId, CancellationToken cancellationToken) =>
        await store.GetAsync<CompanyOverrideRecord>(scope.EnvironmentId, ResourceKinds.CompanyOverride, overrideId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "company override not found");

    private async Task SaveAsync(RequestScope scope, CompanyOverrideRecord? before, CompanyOverrideRecord after, CancellationToken cancellationToken)
    {
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.CompanyOverride, after.Id, null, after.CompanyId, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", ResourceKinds.CompanyOverride, after.Id, after.CompanyId, before, after).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
        await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Company, [after.CompanyId])).ConfigureAwait(false);
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
