using Tollgate.Server.Catalog;

namespace Tollgate.Server.Subscriptions;

/// <summary>Schematic's <c>PlanBundleResponseData</c>: the plan, the version its entitlements are in, those entitlements and its price.</summary>
public sealed record PlanBundleResponse(
    PlanSummaryResponse? Plan,
    PlanVersionResponse? PlanVersion,
    IReadOnlyList<PlanEntitlementResponse>? Entitlements,
    BillingProductPlanResponse? BillingProduct,
    IReadOnlyList<object>? CreditGrants)
{
    internal static PlanBundleResponse From(PlanBundleResult result, Evaluation.CatalogSnapshot catalog)
    {
        var plan = catalog.Plans.GetValueOrDefault(result.Plan.Id) ?? result.Plan;
        var version = result.VersionId is { } id && catalog.VersionsById.TryGetValue(id, out var named) ? named : catalog.PublishedVersionOf(plan.Id);
        IReadOnlyList<PlanEntitlementResponse> entitlements = version is null
            ? []
            : [.. (catalog.EntitlementsByVersion.GetValueOrDefault(version.Id) ?? []).Select(e => PlanEntitlementResponse.From(e, catalog.EnvironmentId))];
        return new(
            PlanSummaryResponse.From(plan),
            version is null ? null : PlanVersionResponse.From(version, plan, catalog.EnvironmentId),
            entitlements,
            result.Billing is null ? null : BillingProductPlanResponse.From(result.Billing, catalog.EnvironmentId),
            null);
    }
}

/// <summary>Schematic's <c>PlanResponseData</c>.</summary>
public sealed record PlanSummaryResponse(
    string Id, string Name, string Description, PlanType PlanType, string Icon, string? CompanyId, string? CopiedFromPlanId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    internal static PlanSummaryResponse From(PlanRecord plan) =>
        new(plan.Id, plan.Name, plan.Description ?? string.Empty, plan.PlanType, plan.Icon ?? PlanIcons.Default, plan.CompanyId, plan.CopiedFromPlanId, plan.CreatedAt, plan.UpdatedAt);
}
