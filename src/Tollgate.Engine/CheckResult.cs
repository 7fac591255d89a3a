using Tollgate.Engine.Compiled;
using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine;

/// <summary>
/// The answer to a check (spec §3.2, §3.8): the value, why, and for entitlement rules the usage behind it. A value
/// type: a check allocates nothing.
/// </summary>
public readonly struct CheckResult
{
    private readonly Timestamp _resetAt;
    private readonly long _allocation;
    private readonly long _usage;

    internal CheckResult(
        bool value,
        string reason,
        string? error,
        CompiledRule? rule,
        string? companyId,
        string? userId,
        FeatureEntitlement? entitlement,
        string flagId,
        string flagKey,
        in UsageFields usage)
    {
        Value = value;
        Reason = reason;
        Error = error;
        RuleId = rule?.Id;
        RuleType = rule?.RuleType;
        CompanyId = companyId;
        UserId = userId;
        Entitlement = entitlement;
        FlagId = flagId;
        FlagKey = flagKey;
        HasUsage = usage.HasUsage;
        _allocation = usage.Allocation;
        _usage = usage.Usage;
        FeatureUsageEvent = usage.Event;
        FeatureUsagePeriod = usage.Period;
        HasResetAt = usage.HasResetAt;
        _resetAt = usage.ResetAt;
    }

    /// <summary>The flag's value for this company and user.</summary>
    public bool Value { get; }

    /// <summary>Why: the matched rule, or that none matched.</summary>
    public string Reason { get; }

    /// <summary>Set when the check could not be made as asked (negative preflight usage or cost).</summary>
    public string? Error { get; }

    /// <summary>The matched rule's id.</summary>
    public string? RuleId { get; }

    /// <summary>The matched rule's type.</summary>
    public RuleType? RuleType { get; }

    /// <summary>The company checked, if any.</summary>
    public string? CompanyId { get; }

    /// <summary>The user checked, if any.</summary>
    public string? UserId { get; }

    /// <summary>The company's entitlement to the flag's feature, as the server computed it.</summary>
    public FeatureEntitlement? Entitlement { get; }

    /// <summary>The flag's id.</summary>
    public string FlagId { get; }

    /// <summary>The flag's key.</summary>
    public string FlagKey { get; }

    /// <summary>Whether the usage fields are set (an entitlement rule with a metric or trait condition matched).</summary>
    public bool HasUsage { get; }

    /// <summary>The limit.</summary>
    public long? FeatureAllocation => HasUsage ? _allocation : null;

    /// <summary>The usage counted against the limit (without preflight usage).</summary>
    public long? FeatureUsage => HasUsage ? _usage : null;

    /// <summary>The event subtype counted.</summary>
    public string? FeatureUsageEvent { get; }

    /// <summary>The window counted over.</summary>
    public MetricPeriod? FeatureUsagePeriod { get; }

    internal bool HasResetAt { get; }

    internal Timestamp ResetAtTimestamp => _resetAt;

    /// <summary>When the usage window resets.</summary>
    public DateTimeOffset? FeatureUsageResetAt => HasResetAt ? _resetAt.ToDateTimeOffset() : null;
}
