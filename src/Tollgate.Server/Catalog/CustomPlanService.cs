using System.Data.Common;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Catalog;

/// <summary>
/// Custom plans for sales-led deals: a base plan that belongs to one company (<see cref="PlanRecord.CompanyId"/>), made
/// with its own version 1 holding copies of a base plan's published entitlements, which are then edited like any plan's.
/// Its entitlements compile into plan rules like every plan's; since only its company may hold it (see
/// <see cref="CustomPlans.EnsureAssignable"/>), they decide checks for that company only.
/// </summary>
internal sealed class CustomPlanService(CatalogWriter writer, RuntimeRegistry runtimes, TimeProvider time)
{
    public async Task<PlanRecord> CreateAsync(RequestScope scope, CustomPlanRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var companyId = Validate.Required(request.CompanyId, "company_id");
        var name = Validate.Required(request.Name, "name");
        if (await writer.Store.GetAsync<Companies.CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, companyId, cancellationToken).ConfigureAwait(false) is null)
        {
            Errors.BadRequest("company_id", "must name an existing company");
        }

        PlanRecord? source = null;
        if (request.CopiedFromPlanId is { } sourceId && (!catalog.Plans.TryGetValue(sourceId, out source) || source.PlanType != PlanType.Plan))
        {
            Errors.BadRequest("copied_from_plan_id", "must name an existing base plan (not an add-on)");
        }

        var now = time.GetUtcNow();
        var plan = new PlanRecord
        {
            Id = Ids.New("plan"),
            Name = name,
            Description = Validate.Bounded(request.Description, "description"),
            PlanType = PlanType.Plan,
            Icon = PlanIcons.Validate(request.Icon),
            CompanyId = companyId,
            CopiedFromPlanId = source?.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var version = new PlanVersionRecord
        {
            Id = Ids.New("plvr"), PlanId = plan.Id, Version = 1, Status = PlanVersionStatus.Published, CreatedAt = now, UpdatedAt = now, PublishedAt = now,
        };
        var copies = source is null ? [] : Copies(catalog, source.Id, plan.Id, version.Id, now);
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.Plan, plan.Id, null, null, null, plan).ConfigureAwait(false);
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.PlanVersion, version.Id, null, plan.Id, null, version).ConfigureAwait(false);
                await PutAllAsync(connection, transaction, scope, copies).ConfigureAwait(false);
                return plan;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies the source plan's published entitlements into the target plan's published version. A feature the target
    /// already grants is skipped (its own entitlement stays), and so is everything when the target's version is archived.
    /// </summary>
    public async Task<(IReadOnlyList<PlanEntitlementRecord> Copied, IReadOnlyList<(PlanEntitlementRecord Source, string Reason)> Skipped)> DuplicateAsync(
        RequestScope scope, DuplicateEntitlementsRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var sourceId = Validate.Required(request.SourcePlanId, "source_plan_id");
        var targetId = Validate.Required(request.TargetPlanId, "target_plan_id");
        if (!catalog.Plans.ContainsKey(sourceId))
        {
            Errors.BadRequest("source_plan_id", "must name an existing plan");
        }

        if (!catalog.Plans.ContainsKey(targetId))
        {
            Errors.BadRequest("target_plan_id", "must name an existing plan");
        }

        if (sourceId == targetId)
        {
            Errors.BadRequest("target_plan_id", "must differ from source_plan_id");
        }

        var target = catalog.PublishedVersionOf(targetId) ?? throw new InvalidOperationException($"Plan {targetId} has no published version.");
        var granted = (catalog.EntitlementsByVersion.GetValueOrDefault(target.Id) ?? []).Select(e => e.FeatureId).ToHashSet(StringComparer.Ordinal);
        var all = Copies(catalog, sourceId, targetId, target.Id, time.GetUtcNow());
        var sources = catalog.PublishedVersionOf(sourceId) is { } v ? catalog.EntitlementsByVersion.GetValueOrDefault(v.Id) ?? [] : [];
        var copied = all.Where(e => !granted.Contains(e.FeatureId)).ToList();
        var skipped = sources.Where(e => granted.Contains(e.FeatureId)).Select(e => (e, "the target plan already grants this feature")).ToList();
        if (copied.Count > 0)
        {
            await writer.WriteAsync(
                scope,
                async (connection, transaction) =>
                {
                    await PutAllAsync(connection, transaction, scope, copied).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }

        return (copied, skipped);
    }

    private static List<PlanEntitlementRecord> Copies(CatalogSnapshot catalog, string sourcePlanId, string targetPlanId, string targetVersionId, DateTimeOffset now)
    {
        var published = catalog.PublishedVersionOf(sourcePlanId);
        return published is null
            ? []
            : [.. (catalog.EntitlementsByVersion.GetValueOrDefault(published.Id) ?? []).Select(e => e with { Id = Ids.New("pent"), PlanId = targetPlanId, PlanVersionId = targetVersionId, CreatedAt = now, UpdatedAt = now })];
    }

    private async Task PutAllAsync(DbConnection connection, DbTransaction transaction, RequestScope scope, IReadOnlyList<PlanEntitlementRecord> entitlements)
    {
        foreach (var entitlement in entitlements)
        {
            await writer.PutAsync(connection, transaction, scope, ResourceKinds.PlanEntitlement, entitlement.Id, null, entitlement.PlanId, null, entitlement).ConfigureAwait(false);
        }
    }
}
