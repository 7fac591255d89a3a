using System.Data.Common;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.PlanMigrations;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Catalog;

/// <summary>
/// Plan versions (spec §5 plans): a draft copies the published version's entitlements and is edited freely; publishing
/// it archives the previous version and moves the plan's companies as the migration strategy says, through a plan
/// version migration (<see cref="PlanMigrationService"/>) like any other: one path moves companies between versions.
/// </summary>
internal sealed class PlanVersionService(CatalogWriter writer, RuntimeRegistry runtimes, PlanMigrationService migrations, TimeProvider time)
{
    /// <summary>The most companies one publish may exclude.</summary>
    public const int MaxExcludedCompanies = 1000;

    private static readonly (string, MigrationStrategy)[] Strategies =
        [(PlanMigrationValues.Immediate, MigrationStrategy.Immediate), (PlanMigrationValues.EndOfBillingPeriod, MigrationStrategy.EndOfBillingPeriod), (PlanMigrationValues.Leave, MigrationStrategy.Leave)];

    /// <summary>A page of the plan's versions, oldest first.</summary>
    public async Task<IReadOnlyList<PlanVersionResponse>> ListAsync(RequestScope scope, string planId, Paging paging, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.VersionsByPlan.TryGetValue(planId, out var versions))
        {
            Errors.NotFound("plan");
        }

        return [.. versions.Skip(paging.Offset).Take(paging.Limit).Select(v => Describe(catalog, v))];
    }

    public async Task<PlanVersionResponse> GetAsync(RequestScope scope, string versionId, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.VersionsById.TryGetValue(versionId, out var version))
        {
            Errors.NotFound("plan version");
        }

        return Describe(catalog, version);
    }

    /// <summary>A new draft of the plan holding copies (new ids) of the published version's entitlements.</summary>
    public async Task<PlanVersionResponse> CreateDraftAsync(RequestScope scope, string planId, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.Plans.TryGetValue(planId, out var plan))
        {
            Errors.NotFound("plan");
        }

        var versions = catalog.VersionsByPlan[planId];
        if (versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Draft) is { } existing)
        {
            Errors.Conflict("plan_id", $"the plan already has a draft (version {existing.Version}, {existing.Id}); publish or delete it first");
        }

        var published = catalog.PublishedVersionOf(planId) ?? throw new InvalidOperationException($"Plan {planId} has no published version.");
        var now = time.GetUtcNow();
        var draft = new PlanVersionRecord
        {
            Id = Ids.New("plvr"),
            PlanId = planId,
            Version = versions.Max(v => v.Version) + 1,
            Status = PlanVersionStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var copies = (catalog.EntitlementsByVersion.GetValueOrDefault(published.Id) ?? [])
            .Select(e => e with { Id = Ids.New("pent"), PlanVersionId = draft.Id, CreatedAt = now, UpdatedAt = now })
            .ToList();
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                var draftKey = PlanVersions.DraftKey(planId);
                if (await ResourceStore.KeyTakenAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.PlanVersion, draftKey, draft.Id).ConfigureAwait(false))
                {
                    Errors.Conflict("plan_id", "the plan already has a draft version; publish or delete it first");
                }

                await WriteImplicitVersionAsync(connection, transaction, scope, catalog, plan).ConfigureAwait(false);
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.PlanVersion, draft.Id, draftKey, planId, null, draft).ConfigureAwait(false);
                foreach (var copy in copies)
                {
                    await writer.PutAsync(connection, transaction, scope, ResourceKinds.PlanEntitlement, copy.Id, null, planId, null, copy).ConfigureAwait(false);
                }

                return PlanVersionResponse.From(draft, plan, scope.EnvironmentId);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a draft and its entitlements; false if there is no such version.</summary>
    public async Task<bool> DeleteAsync(RequestScope scope, string versionId, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.VersionsById.TryGetValue(versionId, out var version))
        {
            return false;
        }

        OnlyDrafts(version, "deleted");
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                // Read from the store, not the catalog snapshot: an entitlement added a moment ago must not outlive its version.
                var entitlements = await writer.Store.ListAsync<PlanEntitlementRecord>(
                    scope.EnvironmentId, ResourceKinds.PlanEntitlement, version.PlanId, int.MaxValue, 0, cancellationToken).ConfigureAwait(false);
                foreach (var entitlement in entitlements.Where(e => e.PlanVersionId == versionId))
                {
                    await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.PlanEntitlement, entitlement.Id, entitlement).ConfigureAwait(false);
                }

                await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.PlanVersion, version.Id, version).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes a draft: it becomes the plan's published version (new assignments get it), the previous published version
    /// is archived, and a migration is created in the same transaction that moves the plan's companies on any older
    /// version, but the excluded ones, as <c>migration_strategy</c> says. The migration runs before the answer (up to
    /// <see cref="PlanMigrationOptions.InlineTimeout"/>; a larger one goes on in the background, see its progress under
    /// <c>/plan-version-migrations</c>).
    /// </summary>
    public async Task<PlanVersionResponse> PublishAsync(RequestScope scope, string versionId, PublishPlanVersionRequest? request, CancellationToken cancellationToken)
    {
        var runtime = runtimes.For(scope.EnvironmentId);
        var catalog = await runtime.CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (!catalog.VersionsById.TryGetValue(versionId, out var draft))
        {
            Errors.NotFound("plan version");
        }

        var strategy = Validate.OneOf(request?.MigrationStrategy, "migration_strategy", Strategies);
        var excluded = CheckExcluded(request?.ExcludedCompanyIds);
        OnlyDrafts(draft, "published");
        var previous = catalog.PublishedVersionOf(draft.PlanId) ?? throw new InvalidOperationException($"Plan {draft.PlanId} has no published version.");
        var now = time.GetUtcNow();
        var published = draft with { Status = PlanVersionStatus.Published, PublishedAt = now, UpdatedAt = now, MigrationStrategy = strategy };
        var archived = previous with { Status = PlanVersionStatus.Archived, ArchivedAt = now, UpdatedAt = now };
        var migration = await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                // Checked again in the transaction: another request may have published or deleted it meanwhile.
                var current = await writer.Store.GetForUpdateAsync<PlanVersionRecord>(connection, transaction, scope.EnvironmentId, ResourceKinds.PlanVersion, versionId).ConfigureAwait(false);
                if (current is null)
                {
                    Errors.NotFound("plan version");
                }

                OnlyDrafts(current, "published");
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.PlanVersion, published.Id, null, published.PlanId, draft, published).ConfigureAwait(false);
                await writer.PutAsync(
                    connection, transaction, scope, ResourceKinds.PlanVersion, archived.Id, null, archived.PlanId, catalog.IsImplicit(previous) ? null : previous, archived).ConfigureAwait(false);
                var target = new MigrationTarget(
                    catalog.Plans[published.PlanId], published, [.. catalog.VersionsByPlan[published.PlanId].Where(v => v.Id != published.Id).Select(v => v.Id)]);
                return await migrations.CreateInTransactionAsync(
                    connection, transaction, scope, catalog, target, request!.MigrationStrategy!, null, null, excluded, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        if (migration.IsOpen)
        {
            await migrations.RunInlineAsync(scope.EnvironmentId, migration.Id, cancellationToken).ConfigureAwait(false);
        }

        return Describe(catalog, published);
    }

    /// <summary>
    /// Writes the document of a plan's implicit version 1 (a plan stored before plans had versions) the first time the
    /// plan gets another version, and gives its entitlements that version's id. Ids do not change, so companies on the
    /// plan need no rewrite.
    /// </summary>
    private async Task WriteImplicitVersionAsync(DbConnection connection, DbTransaction transaction, RequestScope scope, CatalogSnapshot catalog, PlanRecord plan)
    {
        var first = catalog.VersionsByPlan[plan.Id][0];
        if (!catalog.IsImplicit(first))
        {
            return;
        }

        await writer.PutAsync(connection, transaction, scope, ResourceKinds.PlanVersion, first.Id, null, plan.Id, null, first).ConfigureAwait(false);
        foreach (var entitlement in (catalog.EntitlementsByVersion.GetValueOrDefault(first.Id) ?? []).Where(e => e.PlanVersionId is null))
        {
            await writer.PutAsync(
                connection, transaction, scope, ResourceKinds.PlanEntitlement, entitlement.Id, null, plan.Id, entitlement, entitlement with { PlanVersionId = first.Id })
                .ConfigureAwait(false);
        }
    }

    private static PlanVersionResponse Describe(CatalogSnapshot catalog, PlanVersionRecord version) =>
        PlanVersionResponse.From(version, catalog.Plans[version.PlanId], catalog.EnvironmentId);

    private static List<string> CheckExcluded(IReadOnlyList<string?>? ids)
    {
        if (ids is null)
        {
            return [];
        }

        if (ids.Count > MaxExcludedCompanies)
        {
            Errors.BadRequest("excluded_company_ids", $"at most {MaxExcludedCompanies} companies");
        }

        var result = new List<string>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            result.Add(Validate.Required(ids[i], $"excluded_company_ids[{i}]"));
        }

        return result;
    }

    private static void OnlyDrafts(PlanVersionRecord version, string action)
    {
        if (version.Status != PlanVersionStatus.Draft)
        {
            Errors.Unprocessable("status", $"only a draft can be {action}; version {version.Version} of the plan is {Name(version.Status)}");
        }
    }

    private static string Name(PlanVersionStatus status) => status switch
    {
        PlanVersionStatus.Draft => "draft",
        PlanVersionStatus.Published => "published",
        _ => "archived",
    };
}
