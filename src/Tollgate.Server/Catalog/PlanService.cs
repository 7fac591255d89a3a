using Tollgate.Server.Api;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Catalog;

/// <summary>Plans, add-ons and what they grant.</summary>
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
            CreatedAt = now,
            UpdatedAt = now,
        };
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                await writer.PutAsync(connection, transaction, scope, ResourceKinds.Plan, plan.Id, null, null, null, plan).ConfigureAwait(false);
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

        var entitlements = await writer.Store.ListAsync<PlanEntitlementRecord>(scope.EnvironmentId, ResourceKinds.PlanEntitlement, planId, int.MaxValue, 0, cancellationToken).ConfigureAwait(false);
        return await writer.WriteAsync(
            scope,
            async (connection, transaction) =>
            {
                foreach (var entitlement in entitlements)
                {
                    await writer.DeleteAsync(connection, transaction, scope, ResourceKinds.PlanEntitlement, entitlement.Id, entitlement).ConfigureAwait(false);
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

        var entitlement = Build(Ids.New("pent"), planId, request, catalog, time.GetUtcNow(), null);
        if ((catalog.EntitlementsByFeature.GetValueOrDefault(entitlement.FeatureId) ?? []).Any(e => e.PlanId == planId))
        {
            Errors.Conflict("feature_id", "the plan already has an entitlement for this feature; update it instead");
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
        var after = Build(before.Id, before.PlanId, request with { FeatureId = request.FeatureId ?? before.FeatureId }, catalog, time.GetUtcNow(), before);
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

    private static PlanEntitlementRecord Build(string id, string planId, GrantRequest request, CatalogSnapshot catalog, DateTimeOffset now, PlanEntitlementRecord? before)
    {
        var checkedGrant = GrantValidation.Check(request, catalog);
        return new PlanEntitlementRecord
        {
            Id = id,
            PlanId = planId,
            FeatureId = checkedGrant.Feature.Id,
            ValueType = checkedGrant.ValueType,
            ValueBool = request.ValueBool,
            ValueNumeric = request.ValueNumeric,
            ValueTraitId = request.ValueTraitId,
            ValueCreditId = request.ValueCreditId,
            CreditConsumptionRate = request.CreditConsumptionRate,
            MetricPeriod = checkedGrant.Period,
            MetricPeriodMonthReset = checkedGrant.Reset,
            SoftLimit = request.SoftLimit,
            WarningTiers = request.WarningTiers,
            CreatedAt = before?.CreatedAt ?? now,
            UpdatedAt = now,
        };
    }
}
