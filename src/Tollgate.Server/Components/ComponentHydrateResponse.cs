using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Tollgate.Server.Billing.Push;
using Tollgate.Server.Companies;

namespace Tollgate.Server.Components;

/// <summary>
/// What a component draws for one company, in Schematic's shape (<c>ComponentHydrateResponseData</c>; with
/// <see cref="Invoices"/>, <c>ComponentPreviewResponseData</c>).
/// </summary>
internal sealed record ComponentHydrateResponse(
    IReadOnlyList<JsonObject> ActiveAddOns,
    IReadOnlyList<JsonObject> ActivePlans,
    IReadOnlyList<UsageBasedEntitlementResponse> ActiveUsageBasedEntitlements,
    IReadOnlyList<CompatiblePlansResponse> AddOnCompatibilities,
    ComponentCapabilitiesResponse Capabilities,
    ComponentCheckoutSettingsResponse CheckoutSettings,
    CompanyResponse? Company,
    ComponentResponse? Component,
    IReadOnlyList<ComponentCreditBundleResponse> CreditBundles,
    IReadOnlyList<ComponentCreditGrantResponse> CreditGrants,
    IReadOnlyList<CheckoutFieldWithValueResponse> CustomCheckoutFields,
    JsonObject? DefaultPlan,
    ComponentDisplaySettingsResponse DisplaySettings,
    ComponentFeatureUsageResponse? FeatureUsage,
    JsonObject? PostTrialPlan,
    bool PreventSelfServiceDowngrade,
    string? PreventSelfServiceDowngradeButtonText,
    string? PreventSelfServiceDowngradeUrl,
    ScheduledDowngradeResponse? ScheduledDowngrade,
    bool ShowAsMonthlyPrices,
    bool ShowCredits,
    bool ShowPeriodToggle,
    bool ShowZeroPriceAsFree,
    StripeEmbedResponse? StripeEmbed,
    ComponentSubscriptionResponse? Subscription,
    bool? TrialPaymentMethodRequired,
    InvoiceResponse? UpcomingInvoice)
{
    /// <summary>
    /// The company's invoices, in the editor's preview only (<c>GET /components/preview-data</c>). Left out of the
    /// hydrate answer, not written as null: the invoice list takes any <c>invoices</c> field of the data it is given
    /// over the list it fetched itself.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<InvoiceResponse>? Invoices { get; init; }
}

/// <summary>
/// The company's usage of each feature (<c>FeatureUsageDetailResponseData</c>): the usage answer of the usage area, with
/// the plan entitlement it comes from (<c>plan_entitlement</c>, whose <c>warning_tiers</c> the usage meter draws).
/// </summary>
internal sealed record ComponentFeatureUsageResponse(IReadOnlyList<JsonObject> Features);

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
