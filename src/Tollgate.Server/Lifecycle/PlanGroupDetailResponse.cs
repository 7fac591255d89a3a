using System.Text.Json.Serialization;

namespace Tollgate.Server.Lifecycle;

/// <summary>
/// The plan group as <c>GET /plan-groups</c> answers it (Schematic's <c>PlanGroupDetailResponseData</c>): the settings
/// with the plans themselves. Prices are those of billing systems Tollgate does not keep per plan group, so the
/// <c>*_plan_price</c> objects are null (their ids are served as set).
/// </summary>
internal sealed record PlanGroupDetailResponse(
    IReadOnlyList<PlanGroupPlanResponse> AddOns,
    CheckoutSettingsResponse CheckoutSettings,
    ComponentSettingsResponse ComponentSettings,
    IReadOnlyList<CheckoutFieldResponse> CustomCheckoutFields,
    CustomPlanConfigResponse? CustomPlanConfig,
    string? CustomPlanId,
    PlanGroupPlanResponse? DefaultPlan,
    string? DefaultPlanId,
    PlanGroupPlanResponse? FallbackPlan,
    string? FallbackPlanId,
    string Id,
    PlanGroupPlanResponse? InitialPlan,
    string? InitialPlanId,
    object? InitialPlanPrice,
    string? InitialPlanPriceId,
    IReadOnlyList<PlanEntitlementsOrderResponse> OrderedAddOnList,
    IReadOnlyList<BundleOrderResponse> OrderedBundleList,
    IReadOnlyList<PlanEntitlementsOrderResponse> OrderedPlanList,
    IReadOnlyList<PlanGroupPlanResponse> Plans,
    bool PreventDowngradesWhenOverLimit,
    bool PreventSelfServiceDowngrade,
    string? PreventSelfServiceDowngradeButtonText,
    string? PreventSelfServiceDowngradeUrl,
    string ProrationBehavior,
    string? ScheduledDowngradeBehavior,
    bool? ScheduledDowngradePreventWhenOverLimit,
    bool ShowAsMonthlyPrices,
    bool ShowCredits,
    bool ShowPeriodToggle,
    bool ShowZeroPriceAsFree,
    bool SyncCustomerBillingDetails,
    bool TaxCollectionEnabled,
    int? TrialDays,
    bool TrialEligibilityPerPlan,
    PlanGroupPlanResponse? TrialExpiryPlan,
    string? TrialExpiryPlanId,
    object? TrialExpiryPlanPrice,
    string? TrialExpiryPlanPriceId,
    bool? TrialPaymentMethodRequired)
{
    /// <summary>Describes the group; <paramref name="plan"/> describes a plan id (null for one the catalog no longer has).</summary>
    public static PlanGroupDetailResponse From(PlanGroupRecord group, Func<string?, PlanGroupPlanResponse?> plan)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(plan);
        var d = group.Downgrades;
        var c = group.Components;
        return new(
            [.. group.OrderedAddOns.Select(p => plan(p.PlanId)).OfType<PlanGroupPlanResponse>()],
            CheckoutSettingsResponse.From(group.Checkout),
            ComponentSettingsResponse.From(c),
            [.. group.CustomCheckoutFields.Select((f, i) => new CheckoutFieldResponse(f.CreatedAt, f.DefinitionId ?? string.Empty, f.HelperText, f.Id, f.Name, i, f.Required, f.StripeMetadataKey, [], group.UpdatedAt))],
            group.CustomPlanConfig is { } config ? new CustomPlanConfigResponse(config.CtaText, config.CtaWebSite, config.PriceText) : null,
            group.CustomPlanId,
            plan(group.InitialPlanId),
            group.InitialPlanId,
            plan(group.FallbackPlanId),
            group.FallbackPlanId,
            group.Id,
            plan(group.InitialPlanId),
            group.InitialPlanId,
            null,
            group.InitialPlanPriceId,
            [.. group.OrderedAddOns.Select(PlanEntitlementsOrderResponse.From)],
            [.. group.OrderedBundleIds.Select(b => new BundleOrderResponse(b))],
            [.. group.OrderedPlans.Select(PlanEntitlementsOrderResponse.From)],
            [.. group.OrderedPlans.Select(p => plan(p.PlanId)).OfType<PlanGroupPlanResponse>()],
            d.PreventDowngradesWhenOverLimit,
            d.PreventSelfServiceDowngrade,
            d.PreventSelfServiceDowngradeButtonText,
            d.PreventSelfServiceDowngradeUrl,
            group.ProrationBehavior,
            d.ScheduledDowngradeBehavior,
            d.ScheduledDowngradePreventWhenOverLimit,
            c.ShowAsMonthlyPrices,
            c.ShowCredits,
            c.ShowPeriodToggle,
            c.ShowZeroPriceAsFree,
            group.SyncCustomerBillingDetails,
            group.TaxCollectionEnabled,
            group.TrialDays,
            group.TrialEligibilityPerPlan,
            plan(group.TrialExpiryPlanId),
            group.TrialExpiryPlanId,
            null,
            group.TrialExpiryPlanPriceId,
            group.TrialPaymentMethodRequired);
    }
}

/// <summary><c>PlanGroupPlanEntitlementsOrder</c>.</summary>
internal sealed record PlanEntitlementsOrderResponse(IReadOnlyList<PlanEntitlementOrderResponse> Entitlements, string PlanId)
{
    public static PlanEntitlementsOrderResponse From(OrderedPlan plan) =>
        new([.. plan.Entitlements.Select(e => new PlanEntitlementOrderResponse(e.EntitlementId, e.Visible))], plan.PlanId);
}

/// <summary><c>PlanEntitlementsOrder</c>.</summary>
internal sealed record PlanEntitlementOrderResponse(string PlanEntitlementId, bool? Visible);

/// <summary><c>PlanGroupBundleOrder</c>: Schematic spells its one field in camelCase.</summary>
internal sealed record BundleOrderResponse([property: JsonPropertyName("bundleId")] string BundleId);

/// <summary><c>CheckoutFieldResponseData</c>.</summary>
internal sealed record CheckoutFieldResponse(
    DateTimeOffset CreatedAt,
    string DefinitionId,
    string? HelperText,
    string Id,
    string Name,
    int Position,
    bool Required,
    string StripeMetadataKey,
    IReadOnlyList<string> TraitHierarchy,
    DateTimeOffset UpdatedAt);

/// <summary><c>CustomPlanViewConfigResponseData</c>.</summary>
internal sealed record CustomPlanConfigResponse(string CtaText, string CtaWebSite, string PriceText);
