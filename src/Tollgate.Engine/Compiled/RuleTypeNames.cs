using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>The wire names of rule types.</summary>
internal static class RuleTypeNames
{
    public static string WireName(RuleType type) => type switch
    {
        RuleType.GlobalOverride => "global_override",
        RuleType.CompanyOverride => "company_override",
        RuleType.PlanEntitlement => "plan_entitlement",
        RuleType.CompanyOverrideUsageExceeded => "company_override_usage_exceeded",
        RuleType.PlanEntitlementUsageExceeded => "plan_entitlement_usage_exceeded",
        RuleType.Standard => "standard",
        RuleType.Default => "default",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The wire name with underscores as spaces, as reasons quote it.</summary>
    public static string DisplayName(RuleType type) => WireName(type).Replace('_', ' ');
}
