using System.Text.Json.Serialization;

namespace Tollgate.Server.Lifecycle;

/// <summary>
/// Body of <c>POST /plan-groups</c> and <c>PUT /plan-groups/{id}</c> (Schematic's <c>CreatePlanGroupRequestBody</c>,
/// the same for both): the whole configuration, so a PUT replaces it (an optional field left out is cleared, a boolean
/// left out is false). <c>default_plan_id</c> is Tollgate's alias of <c>initial_plan_id</c>.
/// </summary>
internal sealed record PlanGroupRequest
{
    public IReadOnlyList<OrderedPlanRequest>? OrderedPlans { get; init; }

    public IReadOnlyList<OrderedPlanRequest>? OrderedAddOns { get; init; }

    public IReadOnlyList<string>? AddOnIds { get; init; }

    public IReadOnlyList<CompatiblePlansRequest>? AddOnCompatibilities { get; init; }

    public IReadOnlyList<BundleOrderRequest>? OrderedBundleList { get; init; }

    public string? InitialPlanId { get; init; }

    public string? DefaultPlanId { get; init; }

    public string? InitialPlanPriceId { get; init; }

    public string? FallbackPlanId { get; init; }

    public int? TrialDays { get; init; }

    public bool? TrialEligibilityPerPlan { get; init; }

    public string? TrialExpiryPlanId { get; init; }

    public string? TrialExpiryPlanPriceId { get; init; }

    public bool? TrialPaymentMethodRequired { get; init; }

    public string? CheckoutBundlePurchaseBehavior { get; init; }

    public bool? CheckoutCollectAddress { get; init; }

    public bool? CheckoutCollectEmail { get; init; }

    public bool? CheckoutCollectPhone { get; init; }

    public bool? CheckoutCollectTaxId { get; init; }

    public IReadOnlyList<CheckoutFieldRequest>? CustomCheckoutFields { get; init; }

    public CustomPlanConfigRequest? CustomPlanConfig { get; init; }

    public string? CustomPlanId { get; init; }

    public bool? EnableTaxCollection { get; init; }

    public bool? OptInEnabled { get; init; }

    public string? OptInText { get; init; }

    public string? OptInTitle { get; init; }

    public bool? PreventDowngradesWhenOverLimit { get; init; }

    public bool? PreventSelfServiceDowngrade { get; init; }

    public string? PreventSelfServiceDowngradeButtonText { get; init; }

    public string? PreventSelfServiceDowngradeUrl { get; init; }

    public string? ProrationBehavior { get; init; }

    public string? ScheduledDowngradeBehavior { get; init; }

    public bool? ScheduledDowngradePreventWhenOverLimit { get; init; }

    public bool? ShowAsMonthlyPrices { get; init; }

    public bool? ShowCredits { get; init; }

    public bool? ShowFeatureDescription { get; init; }

    public bool? ShowHardLimit { get; init; }

    public bool? ShowPeriodToggle { get; init; }

    public bool? ShowZeroPriceAsFree { get; init; }

    public bool? SyncCustomerBillingDetails { get; init; }
}

/// <summary>A plan in order, with its entitlements in order (<c>OrderedPlansInGroup</c>).</summary>
internal sealed record OrderedPlanRequest(string? PlanId, IReadOnlyList<EntitlementInPlanRequest>? Entitlements);

/// <summary>An entitlement in order (<c>EntitlementsInPlan</c>).</summary>
internal sealed record EntitlementInPlanRequest(string? EntitlementId, bool? Visible);

/// <summary><c>CompatiblePlans</c>.</summary>
internal sealed record CompatiblePlansRequest(string? SourcePlanId, IReadOnlyList<string>? CompatiblePlanIds);

/// <summary><c>PlanGroupBundleOrder</c>: Schematic spells its one field in camelCase.</summary>
internal sealed record BundleOrderRequest([property: JsonPropertyName("bundleId")] string? BundleId);

/// <summary><c>CheckoutFieldInput</c>.</summary>
internal sealed record CheckoutFieldRequest(string? Id, string? Name, bool? Required, string? StripeMetadataKey, string? HelperText, string? DefinitionId);

/// <summary><c>CustomPlanConfig</c>.</summary>
internal sealed record CustomPlanConfigRequest(string? CtaText, string? CtaWebSite, string? PriceText);
