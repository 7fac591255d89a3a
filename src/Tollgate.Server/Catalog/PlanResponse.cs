namespace Tollgate.Server.Catalog;

/// <summary>
/// A plan in Schematic's shape (<c>PlanDetailResponseData</c>): <c>description</c> is a string, and the plan carries its
/// versions, oldest first, with the published one as <c>active_version</c> and the draft, if any, as
/// <c>draft_version</c>; <c>company_count</c> counts the companies holding it as base plan or add-on; <c>features</c>
/// are the features its published version grants. How it is billed comes from <see cref="PlanBilling"/> (the billing
/// area's links); prices in several currencies and credits sold with the plan are not kept by Tollgate, so those
/// lists are empty. A custom plan names its company (<c>company_id</c>) and the plan it was copied from.
/// </summary>
public sealed record PlanResponse(
    string Id,
    string EnvironmentId,
    string Name,
    string Description,
    string Icon,
    PlanType PlanType,
    IReadOnlyList<PlanVersionResponse> Versions,
    PlanVersionResponse? ActiveVersion,
    PlanVersionResponse? DraftVersion,
    long CompanyCount,
    IReadOnlyList<FeatureResponse> Features,
    bool IsDefault,
    bool IsTrialable,
    int? TrialDays,
    string BillingStrategy,
    string ChargeType,
    string ControlledBy,
    IReadOnlyList<object> Credits,
    IReadOnlyList<object> CurrencyPrices,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? CompanyId = null,
    string? CopiedFromPlanId = null)
{
    internal static PlanResponse From(PlanRecord plan, Evaluation.CatalogSnapshot catalog, long companyCount, PlanBilling? billing = null, PlanGroupFacts? group = null)
    {
        List<PlanVersionResponse> versions =
            [.. (catalog.VersionsByPlan.GetValueOrDefault(plan.Id) ?? [PlanVersions.Implicit(plan)]).Select(v => PlanVersionResponse.From(v, plan, catalog.EnvironmentId))];
        var published = catalog.PublishedVersionOf(plan.Id);
        List<FeatureResponse> features = published is null
            ? []
            : [.. (catalog.EntitlementsByVersion.GetValueOrDefault(published.Id) ?? [])
                .Select(e => e.FeatureId).Distinct(StringComparer.Ordinal)
                .Select(catalog.Features.GetValueOrDefault).OfType<FeatureRecord>()
                .OrderBy(f => f.CreatedAt).ThenBy(f => f.Id, StringComparer.Ordinal)
                .Select(f => FeatureResponse.From(f, catalog))];
        billing ??= PlanBilling.Unbilled;
        group ??= PlanGroupFacts.None;
        return new(
            plan.Id, catalog.EnvironmentId, plan.Name, plan.Description ?? string.Empty, plan.Icon ?? PlanIcons.Default, plan.PlanType, versions,
            versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Published), versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Draft),
            companyCount, features, group.IsDefault, group.IsTrialable, group.TrialDays, billing.BillingStrategy, billing.ChargeType, billing.ControlledBy,
            [], [], plan.CreatedAt, plan.UpdatedAt, plan.CompanyId, plan.CopiedFromPlanId);
    }
}

/// <summary>
/// How a plan is billed, in Schematic's words: <c>billing_strategy</c> (<c>provider_managed</c> when a billing
/// provider's product is linked to it, else <c>no_billing</c>), <c>charge_type</c> (<c>recurring</c> or
/// <c>one_time</c> from the linked prices, <c>none</c> without any) and <c>controlled_by</c> (the provider, or
/// <c>schematic</c> — Tollgate itself — when none is linked).
/// </summary>
public sealed record PlanBilling(string BillingStrategy, string ChargeType, string ControlledBy)
{
    /// <summary>A plan no billing provider's product is linked to.</summary>
    public static PlanBilling Unbilled { get; } = new("no_billing", "none", "schematic");
}

/// <summary>What the plan group says of a plan: whether new companies get it, and whether it can be trialled.</summary>
public sealed record PlanGroupFacts(bool IsDefault, bool IsTrialable, int? TrialDays)
{
    /// <summary>A plan no plan group names.</summary>
    public static PlanGroupFacts None { get; } = new(false, false, null);
}
