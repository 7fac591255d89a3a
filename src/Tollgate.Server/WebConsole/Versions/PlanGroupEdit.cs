using Tollgate.Server.Lifecycle;

namespace Tollgate.Server.WebConsole.Versions;

/// <summary>
/// A plan group's whole configuration as the request the plan group service takes. A PUT replaces the group, so the
/// console starts from what is stored and changes only what its form edits (checkout, components and downgrade
/// settings it does not show are kept as they are).
/// </summary>
internal static class PlanGroupEdit
{
    public static PlanGroupRequest From(PlanGroupRecord g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return new PlanGroupRequest
        {
            OrderedPlans = [.. g.OrderedPlans.Select(Ordered)],
            OrderedAddOns = [.. g.OrderedAddOns.Select(Ordered)],
            AddOnIds = g.AddOnIds,
            AddOnCompatibilities = [.. g.AddOnCompatibilities.Select(c => new CompatiblePlansRequest(c.SourcePlanId, c.CompatiblePlanIds))],
            OrderedBundleList = [.. g.OrderedBundleIds.Select(b => new BundleOrderRequest(b))],
            InitialPlanId = g.InitialPlanId,
            InitialPlanPriceId = g.InitialPlanPriceId,
            FallbackPlanId = g.FallbackPlanId,
            TrialDays = g.TrialDays,
            TrialEligibilityPerPlan = g.TrialEligibilityPerPlan,
            TrialExpiryPlanId = g.TrialExpiryPlanId,
            TrialExpiryPlanPriceId = g.TrialExpiryPlanPriceId,
            TrialPaymentMethodRequired = g.TrialPaymentMethodRequired,
            CheckoutBundlePurchaseBehavior = g.Checkout.BundlePurchaseBehavior,
            CheckoutCollectAddress = g.Checkout.CollectAddress,
            CheckoutCollectEmail = g.Checkout.CollectEmail,
            CheckoutCollectPhone = g.Checkout.CollectPhone,
            CheckoutCollectTaxId = g.Checkout.CollectTaxId,
            CustomCheckoutFields = [.. g.CustomCheckoutFields.Select(f => new CheckoutFieldRequest(f.Id, f.Name, f.Required, f.StripeMetadataKey, f.HelperText, f.DefinitionId))],
            CustomPlanConfig = g.CustomPlanConfig is { } c ? new CustomPlanConfigRequest(c.CtaText, c.CtaWebSite, c.PriceText) : null,
            CustomPlanId = g.CustomPlanId,
            EnableTaxCollection = g.TaxCollectionEnabled,
            OptInEnabled = g.Checkout.OptInEnabled,
            OptInText = g.Checkout.OptInText,
            OptInTitle = g.Checkout.OptInTitle,
            PreventDowngradesWhenOverLimit = g.Downgrades.PreventDowngradesWhenOverLimit,
            PreventSelfServiceDowngrade = g.Downgrades.PreventSelfServiceDowngrade,
            PreventSelfServiceDowngradeButtonText = g.Downgrades.PreventSelfServiceDowngradeButtonText,
            PreventSelfServiceDowngradeUrl = g.Downgrades.PreventSelfServiceDowngradeUrl,
            ProrationBehavior = g.ProrationBehavior,
            ScheduledDowngradeBehavior = g.Downgrades.ScheduledDowngradeBehavior,
            ScheduledDowngradePreventWhenOverLimit = g.Downgrades.ScheduledDowngradePreventWhenOverLimit,
            ShowAsMonthlyPrices = g.Components.ShowAsMonthlyPrices,
            ShowCredits = g.Components.ShowCredits,
            ShowFeatureDescription = g.Components.ShowFeatureDescription,
            ShowHardLimit = g.Components.ShowHardLimit,
            ShowPeriodToggle = g.Components.ShowPeriodToggle,
            ShowZeroPriceAsFree = g.Components.ShowZeroPriceAsFree,
            SyncCustomerBillingDetails = g.SyncCustomerBillingDetails,
        };
    }

    private static OrderedPlanRequest Ordered(OrderedPlan p) =>
        new(p.PlanId, [.. p.Entitlements.Select(e => new EntitlementInPlanRequest(e.EntitlementId, e.Visible))]);
}
