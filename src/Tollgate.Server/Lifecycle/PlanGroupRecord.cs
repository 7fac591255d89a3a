namespace Tollgate.Server.Lifecycle;

/// <summary>
/// The environment's plan group (one per environment, as in Schematic): which plans and add-ons are offered and in what
/// order, the plan new companies start on (<see cref="InitialPlanId"/>, served as both <c>initial_plan_id</c> and
/// <c>default_plan_id</c>), the plan a company falls back to when its subscription ends, trial settings, checkout and
/// component settings and downgrade rules. Stored as a <c>plan_group</c> resource whose key is <see cref="Key"/>.
/// </summary>
internal sealed record PlanGroupRecord
{
    /// <summary>The key column of the single plan group of an environment; the unique (kind, key) keeps it single.</summary>
    public const string Key = "plan_group";

    /// <summary>The plan group's id (<c>plgr_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Base plans in display order, each with its entitlements in display order.</summary>
    public IReadOnlyList<OrderedPlan> OrderedPlans { get; init; } = [];

    /// <summary>Add-ons in display order.</summary>
    public IReadOnlyList<OrderedPlan> OrderedAddOns { get; init; } = [];

    /// <summary>The add-ons offered (Schematic's <c>add_on_ids</c>).</summary>
    public IReadOnlyList<string> AddOnIds { get; init; } = [];

    /// <summary>Which add-ons may be bought with which plan.</summary>
    public IReadOnlyList<AddOnCompatibility> AddOnCompatibilities { get; init; } = [];

    /// <summary>Plan bundles in display order, by bundle id.</summary>
    public IReadOnlyList<string> OrderedBundleIds { get; init; } = [];

    /// <summary>The plan every new company is put on, however it was created; null: none.</summary>
    public string? InitialPlanId { get; init; }

    /// <summary>The billing price of the initial plan, when it is a paid plan.</summary>
    public string? InitialPlanPriceId { get; init; }

    /// <summary>The plan a company is put on when its subscription ends (canceled, unpaid, expired); null: none.</summary>
    public string? FallbackPlanId { get; init; }

    /// <summary>Trial length offered on trialable plans; null or 0: no trials offered.</summary>
    public int? TrialDays { get; init; }

    /// <summary>Whether a trial may only start with a payment method on file.</summary>
    public bool? TrialPaymentMethodRequired { get; init; }

    /// <summary>The plan a company moves to when a trial ends without being converted; null: the fallback plan.</summary>
    public string? TrialExpiryPlanId { get; init; }

    /// <summary>The billing price of the trial expiry plan.</summary>
    public string? TrialExpiryPlanPriceId { get; init; }

    /// <summary>Whether trial eligibility is per plan (a company may trial each plan once) rather than once overall.</summary>
    public bool TrialEligibilityPerPlan { get; init; }

    /// <summary>Checkout settings.</summary>
    public PlanGroupCheckout Checkout { get; init; } = new();

    /// <summary>Component (pricing table, plan manager) display settings.</summary>
    public PlanGroupComponents Components { get; init; } = new();

    /// <summary>Custom checkout fields.</summary>
    public IReadOnlyList<CheckoutField> CustomCheckoutFields { get; init; } = [];

    /// <summary>The plan shown as "custom" (contact sales), and how it is shown.</summary>
    public string? CustomPlanId { get; init; }

    /// <summary>How the custom plan is shown.</summary>
    public CustomPlanDisplay? CustomPlanConfig { get; init; }

    /// <summary>Whether taxes are collected at checkout.</summary>
    public bool TaxCollectionEnabled { get; init; }

    /// <summary>Whether billing details entered at checkout are synced to the billing customer.</summary>
    public bool SyncCustomerBillingDetails { get; init; }

    /// <summary>The downgrade rules (stored and served here; the components use them).</summary>
    public PlanGroupDowngrades Downgrades { get; init; } = new();

    /// <summary>Proration of plan changes: <c>create_prorations</c> or <c>invoice_immediately</c>.</summary>
    public string ProrationBehavior { get; init; } = ProrationBehaviors.CreateProrations;

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Whether a plan is in the group's ordered plans.</summary>
    public bool Offers(string planId) => OrderedPlans.Any(p => p.PlanId == planId);

    /// <summary>Whether a trial can be started on the plan: trials are offered and the plan is an offered base plan other than the expiry plan.</summary>
    public bool IsTrialable(string planId) => TrialDays is > 0 && Offers(planId) && planId != TrialExpiryPlanId;

    /// <summary>What the group says of a plan in plan answers (<c>is_default</c>, <c>is_trialable</c>, <c>trial_days</c>).</summary>
    public static Catalog.PlanGroupFacts FactsOf(PlanGroupRecord? group, string planId)
    {
        if (group is null)
        {
            return Catalog.PlanGroupFacts.None;
        }

        var trialable = group.IsTrialable(planId);
        return new(planId == group.InitialPlanId, trialable, trialable ? group.TrialDays : null);
    }
}

/// <summary>A plan in a group's order, with its entitlements in display order.</summary>
internal sealed record OrderedPlan(string PlanId, IReadOnlyList<OrderedEntitlement> Entitlements);

/// <summary>An entitlement in display order, and whether it is shown.</summary>
internal sealed record OrderedEntitlement(string EntitlementId, bool? Visible);

/// <summary>The add-ons compatible with a plan.</summary>
internal sealed record AddOnCompatibility(string SourcePlanId, IReadOnlyList<string> CompatiblePlanIds);

/// <summary>A custom checkout field.</summary>
internal sealed record CheckoutField(string Id, string Name, bool Required, string StripeMetadataKey, string? HelperText, string? DefinitionId, DateTimeOffset CreatedAt);

/// <summary>How a custom (contact sales) plan is shown.</summary>
internal sealed record CustomPlanDisplay(string CtaText, string CtaWebSite, string PriceText);

/// <summary>Checkout settings of a plan group.</summary>
internal sealed record PlanGroupCheckout
{
    public bool CollectAddress { get; init; }

    public bool CollectEmail { get; init; }

    public bool CollectPhone { get; init; }

    public bool CollectTaxId { get; init; }

    public bool OptInEnabled { get; init; }

    public string? OptInText { get; init; }

    public string? OptInTitle { get; init; }

    /// <summary><c>individual</c> or <c>quantity</c>.</summary>
    public string BundlePurchaseBehavior { get; init; } = "individual";
}

/// <summary>Component display settings of a plan group.</summary>
internal sealed record PlanGroupComponents
{
    public bool ShowAsMonthlyPrices { get; init; }

    public bool ShowCredits { get; init; }

    public bool ShowFeatureDescription { get; init; }

    public bool ShowHardLimit { get; init; }

    public bool ShowPeriodToggle { get; init; }

    public bool ShowZeroPriceAsFree { get; init; }
}

/// <summary>Downgrade rules of a plan group.</summary>
internal sealed record PlanGroupDowngrades
{
    /// <summary>A downgrade is refused while the company's usage is over the lower plan's limits.</summary>
    public bool PreventDowngradesWhenOverLimit { get; init; }

    /// <summary>Companies cannot downgrade themselves (through the components).</summary>
    public bool PreventSelfServiceDowngrade { get; init; }

    public string? PreventSelfServiceDowngradeButtonText { get; init; }

    public string? PreventSelfServiceDowngradeUrl { get; init; }

    /// <summary><c>end_of_billing_period</c> (downgrades wait for the period end) or <c>none</c>; null: not set.</summary>
    public string? ScheduledDowngradeBehavior { get; init; }

    public bool? ScheduledDowngradePreventWhenOverLimit { get; init; }
}

/// <summary>Values of <see cref="PlanGroupRecord.ProrationBehavior"/>.</summary>
internal static class ProrationBehaviors
{
    public const string CreateProrations = "create_prorations";

    public const string InvoiceImmediately = "invoice_immediately";
}
