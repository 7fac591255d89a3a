using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Lifecycle;

/// <summary>Turns a plan group request into the record to store, answering 400 naming the field for anything wrong.</summary>
internal static class PlanGroupValidation
{
    /// <summary>The most days a trial may last.</summary>
    public const int MaxTrialDays = 730;

    public static PlanGroupRecord ToRecord(PlanGroupRequest request, CatalogSnapshot catalog, PlanGroupRecord? before, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entitlementIds = catalog.EntitlementsByFeature.Values.SelectMany(e => e).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var orderedPlans = Ordered(request.OrderedPlans, "ordered_plans", catalog, PlanType.Plan, entitlementIds);
        var orderedAddOns = Ordered(request.OrderedAddOns, "ordered_add_ons", catalog, PlanType.AddOn, entitlementIds);
        var addOnIds = new List<string>();
        foreach (var (id, i) in (request.AddOnIds ?? []).Select((a, i) => (a, i)))
        {
            addOnIds.Add(Plan(id, $"add_on_ids[{i}]", catalog, PlanType.AddOn)!);
        }

        var compatibilities = new List<AddOnCompatibility>();
        foreach (var (c, i) in (request.AddOnCompatibilities ?? []).Select((c, i) => (c, i)))
        {
            var field = $"add_on_compatibilities[{i}]";
            var source = AnyPlan(c?.SourcePlanId, $"{field}.source_plan_id", catalog);
            var compatible = (c?.CompatiblePlanIds ?? []).Select((p, j) => AnyPlan(p, $"{field}.compatible_plan_ids[{j}]", catalog)).ToList();
            compatibilities.Add(new AddOnCompatibility(source, compatible));
        }

        var bundles = (request.OrderedBundleList ?? []).Select((b, i) => Validate.Required(b?.BundleId, $"ordered_bundle_list[{i}].bundleId")).ToList();
        if (request.InitialPlanId is not null && request.DefaultPlanId is not null && request.InitialPlanId != request.DefaultPlanId)
        {
            Errors.BadRequest("default_plan_id", "is an alias of initial_plan_id; give one, or both equal");
        }

        var trialDays = request.TrialDays;
        if (trialDays is < 0 or > MaxTrialDays)
        {
            Errors.BadRequest("trial_days", $"must be between 0 and {MaxTrialDays}");
        }

        var fields = (request.CustomCheckoutFields ?? []).Select((f, i) => new CheckoutField(
            f?.Id is { Length: > 0 } id ? Validate.Bounded(id, $"custom_checkout_fields[{i}].id")! : Ids.New("chkf"),
            Validate.Required(f?.Name, $"custom_checkout_fields[{i}].name"),
            f?.Required ?? false,
            Validate.Required(f?.StripeMetadataKey, $"custom_checkout_fields[{i}].stripe_metadata_key"),
            Validate.Bounded(f?.HelperText, $"custom_checkout_fields[{i}].helper_text"),
            Validate.Bounded(f?.DefinitionId, $"custom_checkout_fields[{i}].definition_id"),
            before?.CustomCheckoutFields.FirstOrDefault(b => b.Id == f?.Id)?.CreatedAt ?? now)).ToList();
        CustomPlanDisplay? customConfig = request.CustomPlanConfig is { } config
            ? new CustomPlanDisplay(
                Validate.Required(config.CtaText, "custom_plan_config.cta_text"),
                Validate.Required(config.CtaWebSite, "custom_plan_config.cta_web_site"),
                Validate.Required(config.PriceText, "custom_plan_config.price_text"))
            : null;

        return new PlanGroupRecord
        {
            Id = before?.Id ?? Ids.New("plgr"),
            OrderedPlans = orderedPlans,
            OrderedAddOns = orderedAddOns,
            AddOnIds = addOnIds,
            AddOnCompatibilities = compatibilities,
            OrderedBundleIds = bundles,
            InitialPlanId = Plan(request.InitialPlanId ?? request.DefaultPlanId, request.InitialPlanId is null ? "default_plan_id" : "initial_plan_id", catalog, PlanType.Plan),
            InitialPlanPriceId = Validate.Bounded(request.InitialPlanPriceId, "initial_plan_price_id"),
            FallbackPlanId = Plan(request.FallbackPlanId, "fallback_plan_id", catalog, PlanType.Plan),
            TrialDays = trialDays,
            TrialEligibilityPerPlan = request.TrialEligibilityPerPlan ?? false,
            TrialExpiryPlanId = Plan(request.TrialExpiryPlanId, "trial_expiry_plan_id", catalog, PlanType.Plan),
            TrialExpiryPlanPriceId = Validate.Bounded(request.TrialExpiryPlanPriceId, "trial_expiry_plan_price_id"),
            TrialPaymentMethodRequired = request.TrialPaymentMethodRequired,
            Checkout = new PlanGroupCheckout
            {
                CollectAddress = request.CheckoutCollectAddress ?? false,
                CollectEmail = request.CheckoutCollectEmail ?? false,
                CollectPhone = request.CheckoutCollectPhone ?? false,
                CollectTaxId = request.CheckoutCollectTaxId ?? false,
                OptInEnabled = request.OptInEnabled ?? false,
                OptInText = Validate.Bounded(request.OptInText, "opt_in_text"),
                OptInTitle = Validate.Bounded(request.OptInTitle, "opt_in_title"),
                BundlePurchaseBehavior = request.CheckoutBundlePurchaseBehavior is null
                    ? "individual"
                    : Validate.OneOf(request.CheckoutBundlePurchaseBehavior, "checkout_bundle_purchase_behavior", ("individual", "individual"), ("quantity", "quantity")),
            },
            Components = new PlanGroupComponents
            {
                ShowAsMonthlyPrices = request.ShowAsMonthlyPrices ?? false,
                ShowCredits = request.ShowCredits ?? false,
                ShowFeatureDescription = request.ShowFeatureDescription ?? false,
                ShowHardLimit = request.ShowHardLimit ?? false,
                ShowPeriodToggle = request.ShowPeriodToggle ?? false,
                ShowZeroPriceAsFree = request.ShowZeroPriceAsFree ?? false,
            },
            CustomCheckoutFields = fields,
            CustomPlanId = AnyPlanOrNull(request.CustomPlanId, "custom_plan_id", catalog),
            CustomPlanConfig = customConfig,
            TaxCollectionEnabled = request.EnableTaxCollection ?? false,
            SyncCustomerBillingDetails = request.SyncCustomerBillingDetails ?? false,
            Downgrades = new PlanGroupDowngrades
            {
                PreventDowngradesWhenOverLimit = request.PreventDowngradesWhenOverLimit ?? false,
                PreventSelfServiceDowngrade = request.PreventSelfServiceDowngrade ?? false,
                PreventSelfServiceDowngradeButtonText = Validate.Bounded(request.PreventSelfServiceDowngradeButtonText, "prevent_self_service_downgrade_button_text"),
                PreventSelfServiceDowngradeUrl = Validate.Bounded(request.PreventSelfServiceDowngradeUrl, "prevent_self_service_downgrade_url"),
                ScheduledDowngradeBehavior = request.ScheduledDowngradeBehavior is null
                    ? null
                    : Validate.OneOf(request.ScheduledDowngradeBehavior, "scheduled_downgrade_behavior", ("end_of_billing_period", "end_of_billing_period"), ("none", "none")),
                ScheduledDowngradePreventWhenOverLimit = request.ScheduledDowngradePreventWhenOverLimit,
            },
            ProrationBehavior = request.ProrationBehavior is null
                ? ProrationBehaviors.CreateProrations
                : Validate.OneOf(
                    request.ProrationBehavior, "proration_behavior", (ProrationBehaviors.CreateProrations, ProrationBehaviors.CreateProrations), (ProrationBehaviors.InvoiceImmediately, ProrationBehaviors.InvoiceImmediately)),
            CreatedAt = before?.CreatedAt ?? now,
            UpdatedAt = now,
        };
    }

    private static List<OrderedPlan> Ordered(
        IReadOnlyList<OrderedPlanRequest>? requested, string field, CatalogSnapshot catalog, PlanType type, HashSet<string> entitlementIds)
    {
        var result = new List<OrderedPlan>();
        foreach (var (entry, i) in (requested ?? []).Select((e, i) => (e, i)))
        {
            var planId = Plan(entry?.PlanId, $"{field}[{i}].plan_id", catalog, type)!;
            if (result.Any(p => p.PlanId == planId))
            {
                Errors.BadRequest($"{field}[{i}].plan_id", "is listed twice");
            }

            var entitlements = new List<OrderedEntitlement>();
            foreach (var (e, j) in (entry?.Entitlements ?? []).Select((e, j) => (e, j)))
            {
                var id = Validate.Required(e?.EntitlementId, $"{field}[{i}].entitlements[{j}].entitlement_id");
                if (!entitlementIds.Contains(id))
                {
                    Errors.BadRequest($"{field}[{i}].entitlements[{j}].entitlement_id", "must name an existing plan entitlement");
                }

                entitlements.Add(new OrderedEntitlement(id, e!.Visible));
            }

            result.Add(new OrderedPlan(planId, entitlements));
        }

        return result;
    }

    /// <summary>Null stays null; anything else must name a plan of the type.</summary>
    private static string? Plan(string? id, string field, CatalogSnapshot catalog, PlanType type)
    {
        if (id is null)
        {
            return null;
        }

        if (!(catalog.Plans.TryGetValue(id, out var plan) && plan.PlanType == type))
        {
            Errors.BadRequest(field, type == PlanType.Plan ? "must name an existing plan (not an add-on)" : "must name an existing add-on");
        }

        return id;
    }

    private static string AnyPlan(string? id, string field, CatalogSnapshot catalog) =>
        AnyPlanOrNull(Validate.Required(id, field), field, catalog)!;

    private static string? AnyPlanOrNull(string? id, string field, CatalogSnapshot catalog)
    {
        if (id is not null && !catalog.Plans.ContainsKey(id))
        {
            Errors.BadRequest(field, "must name an existing plan or add-on");
        }

        return id;
    }
}
