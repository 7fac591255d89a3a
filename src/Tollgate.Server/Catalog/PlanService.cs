using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Catalog;

/// <summary>Plans, add-ons and what their versions grant. A new plan starts with version 1, published.</summary>
internal sealed class PlanService(CatalogWriter writer, RuntimeRegistry runtimes, TimeProvider time)
{
    private static readonly (string, PlanType)[] PlanTypes = [("plan", PlanType.Plan), ("add_on", PlanType.AddOn)];

    public async Task<PlanRecord> CreateAsync(RequestScope scope, PlanRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var plan = new PlanRecord
        {
            Id = Ids.New("plan"),
            Name = Validate.Required(request.Name, "name"),
            Description = Validate.Bounded(request.Description, "description"),
            PlanType = request.PlanType is null ? PlanType.Plan : Validate.OneOf(request.PlanType, "plan_type", PlanTypes),
            Icon = PlanIcons.Validate(request.Icon),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var first = new PlanVersionRecord
        {
            Id = Ids.New("plvr"),
            PlanId = plan.Id,
            Version = 1,
            Status = PlanVersionStatus.Published,
            CreatedAt = now,
            UpdatedAt = now,
            PublishedAt = now,
        };
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.Plan, plan.Id, null, null, null, plan).ConfigureAwait(false);
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.PlanVersion, first.Id, null, plan.Id, null, first).ConfigureAwait(false);
                return plan;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<PlanRecord> UpdateAsync(RequestScope scope, string planId, PlanRequest request, CancellationToken cancellationToken)
    {
        var before = await GetAsync(scope, planId, cancellationToken).ConfigureAwait(false);
        var after = before with
        {
            Name = request.Name is null ? before.Name : Validate.Required(request.Name, "name"),
            Description = request.Description is null ? before.Description : Validate.Bounded(request.Description, "description"),
            PlanType = request.PlanType is null ? before.PlanType : Validate.OneOf(request.PlanType, "plan_type", PlanTypes),
            Icon = request.Icon is null ? before.Icon : PlanIcons.Validate(request.Icon),
            UpdatedAt = time.GetUtcNow(),
        };
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.Plan, after.Id, null, null, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteAsync(RequestScope scope, string planId, CancellationToken cancellationToken)
    {
        var plan = await writer.Store.GetAsync<PlanRecord>(scope.EnvironmentId, ResourceKinds.Plan, planId, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return false;
        }

        // Every version's entitlements (their parent is the plan), then the versions.
        var entitlements = await writer.Store.ListAsync<PlanEntitlementRecord>(scope.EnvironmentId, ResourceKinds.PlanEntitlement, planId, int.MaxValue, 0, cancellationToken).ConfigureAwait(false);
        var versions = await writer.Store.ListAsync<PlanVersionRecord>(scope.EnvironmentId, ResourceKinds.PlanVersion, planId, int.MaxValue, 0, cancellationToken).ConfigureAwait(false);
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                foreach (var entitlement in entitlements)
                {
                    await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.PlanEntitlement, entitlement.Id, entitlement).ConfigureAwait(false);
                }

                foreach (var version in versions)
                {
                    await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.PlanVersion, version.Id, version).ConfigureAwait(false);
                }

                await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.Plan, plan.Id, plan).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<PlanRecord> GetAsync(RequestScope scope, string planId, CancellationToken cancellationToken) =>
        await writer.Store.GetAsync<PlanRecord>(scope.EnvironmentId, ResourceKinds.Plan, planId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "plan not found");

    public async Task<PlanEntitlementRecord> CreateEntitlementAsync(RequestScope scope, GrantRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var planId = Validate.Required(request.PlanId, "plan_id");
        if (!catalog.Plans.ContainsKey(planId))
        {
            Errors.BadRequest("plan_id", "must name an existing plan");
        }

        var version = TargetVersion(catalog, planId, request.PlanVersionId);
        var entitlement = Build(Ids.New("pent"), planId, version.Id, request, catalog, time.GetUtcNow(), null);
        EnsureEditable(version);
        if ((catalog.EntitlementsByVersion.GetValueOrDefault(version.Id) ?? []).Any(e => e.FeatureId == entitlement.FeatureId))
        {
            Errors.Conflict("feature_id", "the plan version already has an entitlement for this feature; update it instead");
        }

        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.PlanEntitlement, entitlement.Id, null, planId, null, entitlement).ConfigureAwait(false);
                return entitlement;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<PlanEntitlementRecord> UpdateEntitlementAsync(RequestScope scope, string entitlementId, GrantRequest request, CancellationToken cancellationToken)
    {
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var before = await GetEntitlementAsync(scope, entitlementId, cancellationToken).ConfigureAwait(false);
        // An entitlement stays in its version (and plan); one stored before plans had versions is given its version 1.
        var versionId = catalog.VersionIdOf(before);
        var after = Build(before.Id, before.PlanId, versionId, request with { FeatureId = request.FeatureId ?? before.FeatureId }, catalog, time.GetUtcNow(), before);
        if (catalog.VersionsById.TryGetValue(versionId, out var version))
        {
            EnsureEditable(version);
        }

        if (after.FeatureId != before.FeatureId && (catalog.EntitlementsByVersion.GetValueOrDefault(versionId) ?? []).Any(e => e.FeatureId == after.FeatureId))
        {
            Errors.Conflict("feature_id", "the plan version already has an entitlement for this feature; update it instead");
        }

        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.PlanEntitlement, after.Id, null, after.PlanId, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> DeleteEntitlementAsync(RequestScope scope, string entitlementId, CancellationToken cancellationToken)
    {
        var entitlement = await writer.Store.GetAsync<PlanEntitlementRecord>(scope.EnvironmentId, ResourceKinds.PlanEntitlement, entitlementId, cancellationToken).ConfigureAwait(false);
        if (entitlement is null)
        {
            return false;
        }

        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        if (catalog.VersionsById.TryGetValue(catalog.VersionIdOf(entitlement), out var version))
        {
            EnsureEditable(version);
        }

        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.PlanEntitlement, entitlement.Id, entitlement).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<PlanEntitlementRecord> GetEntitlementAsync(RequestScope scope, string entitlementId, CancellationToken cancellationToken) =>
        await writer.Store.GetAsync<PlanEntitlementRecord>(scope.EnvironmentId, ResourceKinds.PlanEntitlement, entitlementId, cancellationToken).ConfigureAwait(false)
        ?? throw new RequestException(StatusCodes.Status404NotFound, "plan entitlement not found");

    /// <summary>The version a new entitlement goes to: the one named, which must be the plan's, or else the published one.</summary>
    private static PlanVersionRecord TargetVersion(CatalogSnapshot catalog, string planId, string? planVersionId)
    {
        if (planVersionId is null)
        {
            return catalog.PublishedVersionOf(planId) ?? throw new InvalidOperationException($"Plan {planId} has no published version.");
        }

        if (!catalog.VersionsById.TryGetValue(planVersionId, out var version))
        {
            Errors.BadRequest("plan_version_id", "must name an existing plan version");
        }

        if (version.PlanId != planId)
        {
            Errors.BadRequest("plan_version_id", "must be a version of the plan named by plan_id");
        }

        return version;
    }

    /// <summary>Drafts and the published version may change (as Schematic allows); an archived version is kept as it was.</summary>
    private static void EnsureEditable(PlanVersionRecord version)
    {
        if (version.Status == PlanVersionStatus.Archived)
        {
            Errors.Unprocessable("plan_version_id", $"version {version.Version} of the plan is archived; its entitlements can no longer change");
        }
    }

    private static PlanEntitlementRecord Build(
        string id, string planId, string planVersionId, GrantRequest request, CatalogSnapshot catalog, DateTimeOffset now, PlanEntitlementRecord? before)
    {
        var grant = GrantValidation.Check(request, catalog);
        var entitlement = new PlanEntitlementRecord
        {
            Id = id,
            PlanId = planId,
            PlanVersionId = planVersionId,
            FeatureId = grant.Feature.Id,
            ValueType = grant.ValueType,
            SoftLimit = request.SoftLimit,
            WarningTiers = request.WarningTiers,
        };
        return grant.Apply(entitlement, request, now, before);
    }
}
