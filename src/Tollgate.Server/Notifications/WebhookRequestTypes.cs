namespace Tollgate.Server.Notifications;

/// <summary>The request types of Schematic's webhooks (the Node SDK's <c>WebhookRequestType</c>), as sent in <c>action</c>.</summary>
internal static class WebhookRequestTypes
{
    public const string EntitlementLimitWarning = "entitlement.limit.warning";
    public const string EntitlementLimitReached = "entitlement.limit.reached";
    public const string EntitlementSoftLimitWarning = "entitlement.soft_limit.warning";
    public const string EntitlementSoftLimitReached = "entitlement.soft_limit.reached";
    public const string EntitlementTierLimitWarning = "entitlement.tier_limit.warning";
    public const string EntitlementTierLimitReached = "entitlement.tier_limit.reached";
    public const string CompanyOverrideExpired = "company.override.expired";
    public const string CompanyScheduledDowngrade = "company.scheduled_downgrade";
    public const string CreditLimitWarning = "credit.limit.warning";
    public const string CreditLimitReached = "credit.limit.reached";
    public const string TestSend = "test.send";

    /// <summary>Every request type an endpoint may subscribe to.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "subscription.trial.ended", "company.created", "company.deleted", "company.override.created", "company.override.deleted",
        CompanyOverrideExpired, "company.override.updated", "company.plan_changed", CompanyScheduledDowngrade, "company.updated",
        CreditLimitReached, CreditLimitWarning, "credit.purchase.success", EntitlementLimitReached, EntitlementLimitWarning,
        EntitlementSoftLimitReached, EntitlementSoftLimitWarning, EntitlementTierLimitReached, EntitlementTierLimitWarning,
        "feature.created", "feature.deleted", "feature.updated", "flag.created", "flag.deleted", "flag_rules.updated", "flag.updated",
        "plan.created", "plan.deleted", "plan.entitlement.created", "plan.entitlement.deleted", "plan.entitlement.updated", "plan.updated",
        "plan_version.deleted", "rule.deleted", TestSend, "user.created", "user.deleted", "user.updated",
        "auto.topup.hard.failure", "auto.topup.retry.exceeded", "auto.topup.success",
    };

    /// <summary>The types raised by usage crossing an entitlement's limits; an endpoint's entitlement trigger configs filter them by feature.</summary>
    public static bool IsEntitlementTrigger(string requestType) => requestType.StartsWith("entitlement.", StringComparison.Ordinal);

    /// <summary>The types raised by credit balances; an endpoint's credit trigger configs filter them by credit type.</summary>
    public static bool IsCreditTrigger(string requestType) => requestType.StartsWith("credit.limit.", StringComparison.Ordinal);

    /// <summary>
    /// The request type a management write raises (<c>{resource}.{created|updated|deleted}</c> as Schematic names them),
    /// or null when Schematic sends none for it.
    /// </summary>
    public static string? OfWrite(string resourceType, string action)
    {
        var verb = action switch
        {
            "create" => "created",
            "update" => "updated",
            "delete" => "deleted",
            _ => null,
        };
        if (verb is null)
        {
            return null;
        }

        var type = resourceType switch
        {
            Storage.ResourceKinds.Company => "company." + verb,
            Storage.ResourceKinds.User => "user." + verb,
            Storage.ResourceKinds.CompanyOverride => "company.override." + verb,
            Storage.ResourceKinds.Feature => "feature." + verb,
            Storage.ResourceKinds.Flag => "flag." + verb,
            Storage.ResourceKinds.Plan => "plan." + verb,
            Storage.ResourceKinds.PlanEntitlement => "plan.entitlement." + verb,
            Storage.ResourceKinds.PlanVersion when verb == "deleted" => "plan_version.deleted",
            _ => null,
        };
        return type is not null && All.Contains(type) ? type : null;
    }
}
