namespace Tollgate.Engine.Model;

/// <summary>The kind of a rule; the engine visits rule types in the order of this enum's values (spec §3.2 step 5).</summary>
public enum RuleType
{
    /// <summary>Global on/off toggle; matches unconditionally.</summary>
    GlobalOverride,

    /// <summary>A per-company override of a feature value.</summary>
    CompanyOverride,

    /// <summary>A plan's entitlement to a feature.</summary>
    PlanEntitlement,

    /// <summary>A company override whose usage limit has been reached.</summary>
    CompanyOverrideUsageExceeded,

    /// <summary>A plan entitlement whose usage limit has been reached.</summary>
    PlanEntitlementUsageExceeded,

    /// <summary>A targeting rule, ordered by priority.</summary>
    Standard,

    /// <summary>Default on/off toggle; matches unconditionally.</summary>
    Default,
}
