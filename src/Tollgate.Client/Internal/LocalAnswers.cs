using Tollgate.Engine;
using Tollgate.Engine.Model;

namespace Tollgate.Client.Internal;

/// <summary>The engine's in-process answer in the shape of a REST answer.</summary>
internal static class LocalAnswers
{
    public static FlagCheckResult From(in CheckResult result, CheckSource source, DateTimeOffset? asOf) => new()
    {
        FlagKey = result.FlagKey,
        Value = result.Value,
        Reason = result.Reason,
        Source = source,
        AsOf = asOf,
        Error = result.Error,
        FlagId = result.FlagId,
        RuleId = result.RuleId,
        RuleType = result.RuleType is { } type ? WireFormat.NameOf(type) : null,
        CompanyId = result.CompanyId,
        UserId = result.UserId,
        FeatureAllocation = result.FeatureAllocation,
        FeatureUsage = result.FeatureUsage,
        Entitlement = result.Entitlement is { } e ? From(e) : null,
    };

    private static EntitlementInfo From(FeatureEntitlement e) => new()
    {
        FeatureId = e.FeatureId,
        FeatureKey = e.FeatureKey,
        ValueType = WireFormat.NameOf(e.ValueType),
        Allocation = e.Allocation,
        Usage = e.Usage,
        EventName = e.EventName,
        MetricPeriod = e.MetricPeriod is { } period ? WireFormat.NameOf(period) : null,
        CreditRemaining = e.CreditRemaining,
    };
}
