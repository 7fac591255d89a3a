using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Lifecycle;

/// <summary>
/// A plan inside a plan group's answer (Schematic's <c>PlanGroupPlanDetailResponseData</c>), with the fields Tollgate
/// has: versions, company count, whether it is the default, trialable or custom, and its compatible add-ons. Billing
/// fields are those of a plan without prices (<c>billing_strategy</c> <c>no_billing</c>, <c>charge_type</c> <c>none</c>, no
/// price objects), and the feature list is empty: plans' features are served by the plan endpoints.
/// </summary>
internal sealed record PlanGroupPlanResponse(
    PlanGroupPlanVersionResponse? ActiveVersion,
    string? AudienceType,
    IReadOnlyList<string> AvailablePeriods,
    object? BillingLinkedResource,
    object? BillingProduct,
    string BillingStrategy,
    object? Catalogs,
    string ChargeType,
    long CompanyCount,
    string? CompanyId,
    string? CompanyLogoUrl,
    string? CompanyName,
    IReadOnlyList<string> CompatiblePlanIds,
    string ControlledBy,
    string? CopiedFromPlanId,
    DateTimeOffset CreatedAt,
    IReadOnlyList<object> Credits,
    IReadOnlyList<object> CurrencyPrices,
    CustomPlanConfigResponse? CustomPlanConfig,
    string Description,
    PlanGroupPlanVersionResponse? DraftVersion,
    object? Entitlements,
    IReadOnlyList<object> Features,
    string Icon,
    string Id,
    object? IncludedCreditGrants,
    bool IsCustom,
    bool IsDefault,
    bool? IsFree,
    bool IsTrialable,
    object? MonthlyPrice,
    string Name,
    object? OneTimePrice,
    PlanType PlanType,
    object? QuarterlyPrice,
    int? TrialDays,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<PlanGroupPlanVersionResponse> Versions,
    object? YearlyPrice)
{
    /// <summary>Schematic's icon for a plan that names none (a required field; Tollgate's plans have no icon).</summary>
    public const string DefaultIcon = "gray";

    public static PlanGroupPlanResponse From(PlanRecord plan, PlanGroupRecord group, CatalogSnapshot catalog, long companyCount)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(catalog);
        List<PlanGroupPlanVersionResponse> versions =
            [.. (catalog.VersionsByPlan.GetValueOrDefault(plan.Id) ?? [PlanVersions.Implicit(plan)]).Select(v => PlanGroupPlanVersionResponse.From(v, plan, catalog.EnvironmentId))];
        var trialable = plan.PlanType == PlanType.Plan && group.IsTrialable(plan.Id);
        return new(
            versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Published),
            null,
            [],
            null,
            null,
            "no_billing",
            null,
            "none",
            companyCount,
            null,
            null,
            null,
            [.. group.AddOnCompatibilities.Where(a => a.SourcePlanId == plan.Id).SelectMany(a => a.CompatiblePlanIds).Distinct(StringComparer.Ordinal)],
            "schematic",
            null,
            plan.CreatedAt,
            [],
            [],
            plan.Id == group.CustomPlanId && group.CustomPlanConfig is { } config ? new CustomPlanConfigResponse(config.CtaText, config.CtaWebSite, config.PriceText) : null,
            plan.Description ?? string.Empty,
            versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Draft),
            null,
            [],
            DefaultIcon,
            plan.Id,
            null,
            plan.Id == group.CustomPlanId,
            plan.Id == group.InitialPlanId,
            null,
            trialable,
            null,
            plan.Name,
            null,
            plan.PlanType,
            null,
            trialable ? group.TrialDays : null,
            plan.UpdatedAt,
            versions,
            null);
    }
}

/// <summary>A plan version in Schematic's <c>PlanVersionResponseData</c> shape.</summary>
internal sealed record PlanGroupPlanVersionResponse(
    DateTimeOffset CreatedAt,
    string Description,
    string EnvironmentId,
    string Icon,
    string Id,
    string Name,
    string? OriginalPlanId,
    PlanType PlanType,
    PlanVersionStatus Status,
    DateTimeOffset UpdatedAt,
    int Version)
{
    public static PlanGroupPlanVersionResponse From(PlanVersionRecord version, PlanRecord plan, string environmentId) =>
        new(version.CreatedAt, plan.Description ?? string.Empty, environmentId, PlanGroupPlanResponse.DefaultIcon, version.Id, plan.Name, plan.Id, plan.PlanType, version.Status, version.UpdatedAt, version.Version);
}
