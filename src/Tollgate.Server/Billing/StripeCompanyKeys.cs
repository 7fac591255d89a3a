namespace Tollgate.Server.Billing;

/// <summary>The company key and customer metadata that tie a Tollgate company to its Stripe customer.</summary>
public static class StripeCompanyKeys
{
    /// <summary>The company key holding the Stripe customer id (<c>{"stripe_customer_id": "cus_…"}</c>).</summary>
    public const string CustomerId = "stripe_customer_id";

    /// <summary>Customer (and product) metadata naming Tollgate's id of the object, set on what Tollgate creates in Stripe.</summary>
    public const string CompanyIdMetadata = "tollgate_company_id";

    /// <summary>Product metadata naming the Tollgate plan a Stripe product sells.</summary>
    public const string PlanIdMetadata = "tollgate_plan_id";

    /// <summary>Price metadata naming the Tollgate plan version a Stripe price belongs to.</summary>
    public const string PlanVersionIdMetadata = "tollgate_plan_version_id";

    /// <summary>Metadata naming the Tollgate environment, on everything Tollgate creates.</summary>
    public const string EnvironmentIdMetadata = "tollgate_environment_id";
}
