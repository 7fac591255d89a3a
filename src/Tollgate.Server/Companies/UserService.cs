using System.Data.Common;
using Tollgate.Engine.Model;
using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>Users: upsert by keys, with their company memberships.</summary>
internal sealed class UserService(ResourceStore store, AuditLog audit, RuntimeRegistry runtimes, ChangeFeed changes, TraitDefinitionService traits, EntityWriter entities, TimeProvider time)
{
    /// <summary>
    /// Creates or updates the user the keys name. An event's upsert passes its <paramref name="rules"/>: they are
    /// checked against the stored user inside the transaction, and name the event's fields in messages.
    /// </summary>
    public async Task<UserRecord> UpsertAsync(RequestScope scope, UpsertUserRequest request, bool createOnly, CancellationToken cancellationToken, EventWriteRules? rules = null)
    {
        var keysField = rules?.KeysField ?? "keys";
        var keys = CompanyService.CheckKeys(request.Keys, keysField);
        CompanyService.CheckTraits(request.Traits, rules?.TraitsField ?? "traits");
        var runtime = runtimes.For(scope.EnvironmentId);
        var catalog = await runtime.CatalogAsync(cancellationToken).ConfigureAwait(false);
        var catalogChanged = false;
        var result = await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                var companyIds = new List<string>();
                for (var i = 0; i < (request.CompanyIds?.Count ?? 0); i++)
                {
                    companyIds.Add(await ExistingCompanyAsync(connection, transaction, scope, request.CompanyIds![i], $"company_ids[{i}]").ConfigureAwait(false));
                }

                if (request.CompanyId is not null)
                {
                    companyIds.Add(await ExistingCompanyAsync(connection, transaction, scope, request.CompanyId, "company_id").ConfigureAwait(false));
                }

                foreach (var (companyKeys, i) in (request.Company is null ? [] : new[] { request.Company }).Concat(request.Companies ?? []).Select((k, i) => (k, i)))
                {
                    var field = request.Company is not null && i == 0 ? "company" : "companies";
                    var companyId = await EntityKeys.FindAsync(connection, transaction, scope.EnvironmentId, EntityKeys.Company, CompanyService.CheckKeys(companyKeys, field)).ConfigureAwait(false);
                    if (companyId is null)
                    {
                        Errors.BadRequest(field, "names no company; upsert the company first");
                    }

                    companyIds.Add(companyId);
                }

                var id = await EntityKeys.FindAsync(connection, transaction, scope.EnvironmentId, EntityKeys.User, keys).ConfigureAwait(false);
                var before = id is null ? null : await store.GetForUpdateAsync<UserRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.User, id).ConfigureAwait(false);
                if (before is not null && createOnly)
                {
                    Errors.Conflict("keys", "a user with these keys already exists");
                }

                if (before is null && request.UpdateOnly == true)
                {
                    Errors.NotFound("user");
                }

                rules?.CheckUser(before, keys, request.Name, request.Traits, companyIds);
                var now = time.GetUtcNow();

                var after = new UserRecord
                {
                    Id = before?.Id ?? Ids.New("user"),
                    Name = request.Name is null ? before?.Name : Validate.Bounded(request.Name, "name"),
                    Keys = EntityKeys.Merge(before?.Keys, keys),
                    Traits = TraitChange.Merge(before?.Traits, request.Traits),
                    CompanyIds = [.. (before?.CompanyIds ?? []).Concat(companyIds).Distinct(StringComparer.Ordinal)],
                    CreatedAt = before?.CreatedAt ?? now,
                    UpdatedAt = now,
                    LastSeenAt = request.LastSeenAt ?? before?.LastSeenAt,
                };
                CompanyService.CheckKeyCount(after.Keys, keysField, "user");
                await EntityKeys.EnsureFreeAsync(connection, transaction, scope.EnvironmentId, EntityKeys.User, after.Id, after.Keys).ConfigureAwait(false);

                catalogChanged = await traits.EnsureDefinedAsync(connection, transaction, scope, catalog, EntityType.User, after.Traits, rules?.TraitsField).ConfigureAwait(false);
                await EntityKeys.ReplaceAsync(connection, transaction, scope.EnvironmentId, EntityKeys.User, after.Id, after.Keys).ConfigureAwait(false);
                await store.PutAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.User, after.Id, null, null, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", ResourceKinds.User, after.Id, null, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
        if (catalogChanged)
        {
            await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.Catalog, [])).ConfigureAwait(false);
        }

        await changes.PublishAsync(new Change(scope.EnvironmentId, ChangeKind.User, [result.Id])).ConfigureAwait(false);
        return result;
    }

    public Task<UserRecord> ChangeTraitAsync(RequestScope scope, TraitChangeRequest request, CancellationToken cancellationToken) =>
        entities.ChangeTraitAsync(scope, EntityKinds.User, request, cancellationToken);

    public Task<bool> DeleteAsync(RequestScope scope, string userId, CancellationToken cancellationToken) =>
        entities.DeleteAsync(scope, EntityKinds.User, userId, cancellationToken);

    public async Task<UserRecord> GetAsync(RequestScope scope, string userId, CancellationToken cancellationToken) =>
        await store.GetAsync<UserRecord>(scope.EnvironmentId, ResourceKinds.User, userId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "user not found");

    /// <summary>A company id given by the caller, checked to name a company of the caller's environment.</summary>
    private static async Task<string> ExistingCompanyAsync(DbConnection connection, DbTransaction transaction, RequestScope scope, string? companyId, string field)
    {
        if (companyId is null || !await ResourceStore.ExistsAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.Company, companyId).ConfigureAwait(false))
        {
            Errors.BadRequest(field, "must name an existing company");
        }

        return companyId;
    }
}
