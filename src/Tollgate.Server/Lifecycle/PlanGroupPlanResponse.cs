using Tollgate.Server.Catalog;

namespace Tollgate.Server.Lifecycle;

/// <summary>
/// A plan inside a plan group's answer (Schematic's <c>PlanGroupPlanDetailResponseData</c>): the plan as the plan
/// endpoints answer it (<see cref="PlanResponse"/>: versions, features, icon, billing, default and trial facts) with
/// what the group adds: its compatible add-ons and whether it is the group's custom plan. Prices, credits and
/// catalogs Tollgate does not keep per plan are null or empty.
/// </summary>
internal sealed record PlanGroupPlanResponse(
    PlanVersionResponse? ActiveVersion,
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
    PlanVersionResponse? DraftVersion,
    object? Entitlements,
    IReadOnlyList<FeatureResponse> Features,
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
    IReadOnlyList<PlanVersionResponse> Versions,
    object? YearlyPrice)
{
    public static PlanGroupPlanResponse From(PlanResponse plan, PlanGroupRecord group)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(group);
        return new(
            plan.ActiveVersion,
            null,
            [],
            null,
            null,
            plan.BillingStrategy,
            null,
            plan.ChargeType,
            plan.CompanyCount,
            null,
            null,
            null,
            [.. group.AddOnCompatibilities.Where(a => a.SourcePlanId == plan.Id).SelectMany(a => a.CompatiblePlanIds).Distinct(StringComparer.Ordinal)],
            plan.ControlledBy,
            null,
            plan.CreatedAt,
            plan.Credits,
            plan.CurrencyPrices,
            plan.Id == group.CustomPlanId && group.CustomPlanConfig is { } config ? new CustomPlanConfigResponse(config.CtaText, config.CtaWebSite, config.PriceText) : null,
            plan.Description,
            plan.DraftVersion,
            null,
            plan.Features,
            plan.Icon,
            plan.Id,
            null,
            plan.Id == group.CustomPlanId,
            plan.IsDefault,
            null,
            plan.IsTrialable,
            null,
            plan.Name,
            null,
            plan.PlanType,
            null,
            plan.TrialDays,
            plan.UpdatedAt,
            plan.Versions,
            null);
    }
}
