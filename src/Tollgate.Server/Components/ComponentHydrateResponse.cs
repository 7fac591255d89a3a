using System.Text.Json.Nodes;
using Tollgate.Server.Companies;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Components;

/// <summary>
/// What a component draws for one company, in Schematic's shape (<c>ComponentHydrateResponseData</c>; with
/// <c>invoices</c>, <c>ComponentPreviewResponseData</c>). Credit bundles and grants, custom checkout field values,
/// usage-based entitlements, the scheduled downgrade, the subscription and the upcoming invoice are not filled yet
/// (empty or null); see the components-api report.
/// </summary>
internal sealed record ComponentHydrateResponse(
    IReadOnlyList<JsonObject> ActiveAddOns,
    IReadOnlyList<JsonObject> ActivePlans,
    IReadOnlyList<object> ActiveUsageBasedEntitlements,
    IReadOnlyList<CompatiblePlansResponse> AddOnCompatibilities,
    ComponentCapabilitiesResponse Capabilities,
    ComponentCheckoutSettingsResponse CheckoutSettings,
    CompanyResponse? Company,
    ComponentResponse? Component,
    IReadOnlyList<object> CreditBundles,
    IReadOnlyList<object> CreditGrants,
    IReadOnlyList<object> CustomCheckoutFields,
    JsonObject? DefaultPlan,
    ComponentDisplaySettingsResponse DisplaySettings,
    FeatureUsageDetailResponse? FeatureUsage,
    JsonObject? PostTrialPlan,
    bool PreventSelfServiceDowngrade,
    string? PreventSelfServiceDowngradeButtonText,
    string? PreventSelfServiceDowngradeUrl,
    object? ScheduledDowngrade,
    bool ShowAsMonthlyPrices,
    bool ShowCredits,
    bool ShowPeriodToggle,
    bool ShowZeroPriceAsFree,
    object? StripeEmbed,
    object? Subscription,
    bool? TrialPaymentMethodRequired,
    object? UpcomingInvoice);

/// <summary>Schematic's <c>CompatiblePlans</c>: the add-ons a plan may be combined with.</summary>
internal sealed record CompatiblePlansResponse(string SourcePlanId, IReadOnlyList<string> CompatiblePlanIds);

/// <summary>Schematic's <c>ComponentCapabilities</c>.</summary>
internal sealed record ComponentCapabilitiesResponse(bool BadgeVisibility, bool Checkout);

/// <summary>Schematic's <c>ComponentCheckoutSettings</c>, from the plan group's checkout settings.</summary>
internal sealed record ComponentCheckoutSettingsResponse(
    string BundlePurchaseBehavior, bool CollectAddress, bool CollectEmail, bool CollectPhone, bool CollectTaxId, string ProrationBehavior, bool TaxCollectionEnabled);

/// <summary>Schematic's <c>ComponentDisplaySettings</c>, from the plan group's component settings.</summary>
internal sealed record ComponentDisplaySettingsResponse(
    bool ShowAsMonthlyPrices, bool ShowCredits, bool ShowFeatureDescription, bool ShowHardLimit, bool ShowPeriodToggle, bool ShowZeroPriceAsFree);
