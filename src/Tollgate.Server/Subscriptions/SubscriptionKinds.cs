namespace Tollgate.Server.Subscriptions;

/// <summary>The <c>resources</c> kinds this area owns.</summary>
internal static class SubscriptionKinds
{
    public const string PlanBilling = "plan_billing";

    public const string PlanChange = "plan_change";

    public const string CustomPlanBilling = "custom_plan_billing";

    public const string ScheduledChange = "plan_change_schedule";

    public const string PlanTrait = "plan_trait";

    public const string BillingLink = "billing_link";
}
