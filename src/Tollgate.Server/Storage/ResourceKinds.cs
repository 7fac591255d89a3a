namespace Tollgate.Server.Storage;

/// <summary>The kinds of document kept in the <c>resources</c> table.</summary>
public static class ResourceKinds
{
    /// <summary>A feature; its key column is the flag key.</summary>
    public const string Feature = "feature";

    /// <summary>A flag; its key column is the flag key.</summary>
    public const string Flag = "flag";

    /// <summary>A trait definition; its key column is <c>entity_type:name</c>.</summary>
    public const string TraitDefinition = "trait_definition";

    /// <summary>A plan or add-on.</summary>
    public const string Plan = "plan";

    /// <summary>A plan version; its parent is the plan.</summary>
    public const string PlanVersion = "plan_version";

    /// <summary>A plan entitlement; its parent is the plan.</summary>
    public const string PlanEntitlement = "plan_entitlement";

    /// <summary>A company.</summary>
    public const string Company = "company";

    /// <summary>A user.</summary>
    public const string User = "user";

    /// <summary>A company override; its parent is the company.</summary>
    public const string CompanyOverride = "company_override";

    /// <summary>A Stripe product (<c>billing_product</c>); its id and key are Stripe's product id.</summary>
    public const string BillingProduct = "billing_product";

    /// <summary>A Stripe price; its id and key are Stripe's price id, its parent the product.</summary>
    public const string BillingPrice = "billing_price";

    /// <summary>A Stripe billing meter; its id is Stripe's meter id, its key the event subtype it meters.</summary>
    public const string BillingMeter = "billing_meter";

    /// <summary>A billing customer pushed from a billing system (<c>POST /billing/customer/upsert</c>); its key is the external id.</summary>
    public const string BillingCustomer = "billing_customer";

    /// <summary>A billing subscription pushed from a billing system; its key is the external id, its parent the company.</summary>
    public const string BillingSubscription = "billing_subscription";

    /// <summary>A billing coupon; its key is the external id.</summary>
    public const string BillingCoupon = "billing_coupon";

    /// <summary>A billing invoice; its key is the external id, its parent the company.</summary>
    public const string BillingInvoice = "billing_invoice";

    /// <summary>A billing payment method; its key is the external id, its parent the company.</summary>
    public const string BillingPaymentMethod = "billing_payment_method";

    /// <summary>A company's billing profile as set by hand; its parent is the company.</summary>
    public const string BillingProfile = "billing_profile";

    /// <summary>A company's billing details (address, email, phone, tax ids); its id is <c>cbd_</c> + the company's, its parent the company.</summary>
    public const string CompanyBillingDetails = "company_billing_details";

    /// <summary>A scheduled checkout (a plan change at a set time); its parent is the company.</summary>
    public const string ScheduledCheckout = "scheduled_checkout";
}
