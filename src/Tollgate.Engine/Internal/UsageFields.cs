using Tollgate.Engine.Model;

namespace Tollgate.Engine.Internal;

/// <summary>The usage fields of a result, filled when an entitlement rule with a usage condition matches (spec §3.8).</summary>
internal struct UsageFields
{
    public bool HasUsage;
    public long Allocation;
    public long Usage;
    public string? Event;
    public MetricPeriod? Period;
    public bool HasResetAt;
    public Timestamp ResetAt;
}
