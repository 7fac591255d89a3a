using Tollgate.Server.Audit;
using Tollgate.Server.Catalog;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Subscriptions;

/// <summary>
/// Plans, features and plan entitlements linked to a billing provider's resource (Schematic's <c>…/billing-linked</c>
/// upserts): the first call creates the Tollgate resource and records the link (<c>billing_link</c>, key
/// <c>{provider}:{kind}:{external id}</c>); later calls with the same external id update that resource. The resources are
/// written through their own services.
/// </summary>
internal sealed class BillingLinks(ResourceStore store, AuditLog audit, PlanService plans, FeatureService features, TimeProvider time)
{
    private static readonly (string, string)[] Providers = [("metronome", "metronome"), ("orb", "orb"), ("schematic", "schematic"), ("stripe", "stripe")];

    public async Task<PlanRecord> UpsertPlanAsync(RequestScope scope, BillingLinkedPlanRequest request, CancellationToken cancellationToken)
    {
        var (key, link) = await FindAsync(scope, request.BillingProvider, "plan", request.ExternalResourceId, cancellationToken).ConfigureAwait(false);
        var body = new PlanRequest(request.Name, request.Description, request.PlanType, request.Icon);
        if (link is not null && await store.GetAsync<PlanRecord>(scope.EnvironmentId, ResourceKinds.Plan, link.TargetId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return await plans.UpdateAsync(scope, link.TargetId, body, cancellationToken).ConfigureAwait(false);
        }

        var plan = await plans.CreateAsync(scope, body, cancellationToken).ConfigureAwait(false);
        await SaveAsync(scope, key, link, plan.Id, cancellationToken).ConfigureAwait(false);
        return plan;
    }

    public async Task<FeatureRecord> UpsertFeatureAsync(RequestScope scope, BillingLinkedFeatureRequest request, CancellationToken cancellationToken)
    {
        var (key, link) = await FindAsync(scope, request.BillingProvider, "feature", request.ExternalResourceId, cancellationToken).ConfigureAwait(false);
        var body = new FeatureRequest(request.Name, request.Description, request.FeatureType, request.EventSubtype, request.TraitId, request.Flag);
        if (link is not null && await store.GetAsync<FeatureRecord>(scope.EnvironmentId, ResourceKinds.Feature, link.TargetId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return await features.UpdateAsync(scope, link.TargetId, body, cancellationToken).ConfigureAwait(false);
        }

        var feature = await features.CreateAsync(scope, body, cancellationToken).ConfigureAwait(false);
        await SaveAsync(scope, key, link, feature.Id, cancellationToken).ConfigureAwait(false);
        return feature;
    }

    public async Task<PlanEntitlementRecord> UpsertEntitlementAsync(RequestScope scope, BillingLinkedEntitlementRequest request, CancellationToken cancellationToken)
    {
        var (key, link) = await FindAsync(scope, request.BillingProvider, "plan_entitlement", request.ExternalResourceId, cancellationToken).ConfigureAwait(false);
        var grant = request.Grant;
        if (link is not null
            && await store.GetAsync<PlanEntitlementRecord>(scope.EnvironmentId, ResourceKinds.PlanEntitlement, link.TargetId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return await plans.UpdateEntitlementAsync(scope, link.TargetId, grant, cancellationToken).ConfigureAwait(false);
        }

        var entitlement = await plans.CreateEntitlementAsync(scope, grant, cancellationToken).ConfigureAwait(false);
        await SaveAsync(scope, key, link, entitlement.Id, cancellationToken).ConfigureAwait(false);
        return entitlement;
    }

    private async Task<(string Key, BillingLinkRecord? Link)> FindAsync(RequestScope scope, string? provider, string kind, string? externalId, CancellationToken cancellationToken)
    {
        var checkedProvider = Validate.OneOf(provider, "billing_provider", Providers);
        var external = Validate.Bounded(Validate.Required(externalId, "external_resource_id"), "external_resource_id")!;
        var key = $"{checkedProvider}:{kind}:{external}";
        return (key, await store.GetByKeyAsync<BillingLinkRecord>(scope.EnvironmentId, SubscriptionKinds.BillingLink, key, cancellationToken).ConfigureAwait(false));
    }

    private Task<bool> SaveAsync(RequestScope scope, string key, BillingLinkRecord? before, string targetId, CancellationToken cancellationToken)
    {
        var after = new BillingLinkRecord(before?.Id ?? Ids.New("blnk"), key, targetId, time.GetUtcNow());
        return store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, SubscriptionKinds.BillingLink, after.Id, key, null, before, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", SubscriptionKinds.BillingLink, after.Id, null, before, after)
                    .ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }
}

/// <summary>A link from a billing provider's resource (<see cref="Key"/>) to the Tollgate resource made for it.</summary>
public sealed record BillingLinkRecord(string Id, string Key, string TargetId, DateTimeOffset UpdatedAt);

/// <summary>Body of <c>POST /plans/billing-linked</c>.</summary>
public sealed record BillingLinkedPlanRequest(string? BillingProvider, string? ExternalResourceId, string? Name, string? Description, string? PlanType, string? Icon);

/// <summary>Body of <c>POST /features/billing-linked</c>.</summary>
public sealed record BillingLinkedFeatureRequest(
    string? BillingProvider, string? ExternalResourceId, string? Name, string? Description, string? FeatureType, string? EventSubtype, string? TraitId, FlagSpec? Flag);

/// <summary>Body of <c>POST /plan-entitlements/billing-linked</c>: the link and the entitlement as <c>POST /plan-entitlements</c> takes it.</summary>
public sealed record BillingLinkedEntitlementRequest(
    string? BillingProvider,
    string? ExternalResourceId,
    string? PlanId,
    string? PlanVersionId,
    string? FeatureId,
    string? ValueType,
    bool? ValueBool,
    long? ValueNumeric,
    string? ValueTraitId,
    string? ValueCreditId,
    double? CreditConsumptionRate,
    string? MetricPeriod,
    string? MetricPeriodMonthReset,
    long? SoftLimit)
{
    internal GrantRequest Grant => new(
        PlanId, null, FeatureId, ValueType, ValueBool, ValueNumeric, ValueTraitId, ValueCreditId, CreditConsumptionRate, MetricPeriod, MetricPeriodMonthReset, SoftLimit, null, null, null,
        PlanVersionId);
}
