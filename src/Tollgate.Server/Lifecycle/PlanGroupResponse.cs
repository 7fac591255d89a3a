namespace Tollgate.Server.Lifecycle;

/// <summary>A plan group as <c>POST</c> and <c>PUT /plan-groups</c> answer it (Schematic's <c>PlanGroupResponseData</c>).</summary>
internal sealed record PlanGroupResponse(
    IReadOnlyList<CompatiblePlansResponse> AddOnCompatibilities,
    IReadOnlyList<string> AddOnIds,
    CheckoutSettingsResponse CheckoutSettings,
    ComponentSettingsResponse ComponentSettings,
    string? DefaultPlanId,
    string? FallbackPlanId,
    string Id,
    string? InitialPlanId,
    string? InitialPlanPriceId,
    IReadOnlyList<OrderedPlanResponse> OrderedAddOnIds,
    IReadOnlyList<OrderedPlanResponse> PlanIds,
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
    string? TrialExpiryPlanId,
    string? TrialExpiryPlanPriceId,
    bool? TrialPaymentMethodRequired)
{
    public static PlanGroupResponse From(PlanGroupRecord group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var d = group.Downgrades;
        var c = group.Components;
        return new(
            [.. group.AddOnCompatibilities.Select(a => new CompatiblePlansResponse(a.CompatiblePlanIds, a.SourcePlanId))],
            group.AddOnIds,
            CheckoutSettingsResponse.From(group.Checkout),
            ComponentSettingsResponse.From(c),
            group.InitialPlanId,
            group.FallbackPlanId,
            group.Id,
            group.InitialPlanId,
            group.InitialPlanPriceId,
            [.. group.OrderedAddOns.Select(OrderedPlanResponse.From)],
            [.. group.OrderedPlans.Select(OrderedPlanResponse.From)],
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
            group.TrialExpiryPlanId,
            group.TrialExpiryPlanPriceId,
            group.TrialPaymentMethodRequired);
    }
}

/// <summary><c>CompatiblePlansResponseData</c>.</summary>
internal sealed record CompatiblePlansResponse(IReadOnlyList<string> CompatiblePlanIds, string SourcePlanId);

/// <summary><c>OrderedPlansInGroup</c>.</summary>
internal sealed record OrderedPlanResponse(IReadOnlyList<EntitlementInPlanResponse> Entitlements, string PlanId)
{
    public static OrderedPlanResponse From(OrderedPlan plan) =>
        new([.. plan.Entitlements.Select(e => new EntitlementInPlanResponse(e.EntitlementId, e.Visible))], plan.PlanId);
}

/// <summary><c>EntitlementsInPlan</c>.</summary>
internal sealed record EntitlementInPlanResponse(string EntitlementId, bool? Visible);

/// <summary><c>CheckoutSettingsResponseData</c>.</summary>
internal sealed record CheckoutSettingsResponse(
    string BundlePurchaseBehavior, bool CollectAddress, bool CollectEmail, bool CollectPhone, bool CollectTaxId, bool OptInEnabled, string? OptInText, string? OptInTitle)
{
    public static CheckoutSettingsResponse From(PlanGroupCheckout c) =>
        new(c.BundlePurchaseBehavior, c.CollectAddress, c.CollectEmail, c.CollectPhone, c.CollectTaxId, c.OptInEnabled, c.OptInText, c.OptInTitle);
}

/// <summary><c>ComponentSettingsResponseData</c>.</summary>
internal sealed record ComponentSettingsResponse(
    bool ShowAsMonthlyPrices, bool ShowCredits, bool ShowFeatureDescription, bool ShowHardLimit, bool ShowPeriodToggle, bool ShowZeroPriceAsFree)
{
    public static ComponentSettingsResponse From(PlanGroupComponents c) =>
        new(c.ShowAsMonthlyPrices, c.ShowCredits, c.ShowFeatureDescription, c.ShowHardLimit, c.ShowPeriodToggle, c.ShowZeroPriceAsFree);
}
