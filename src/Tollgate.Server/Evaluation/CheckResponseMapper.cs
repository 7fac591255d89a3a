using Tollgate.Engine;
using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;

namespace Tollgate.Server.Evaluation;

/// <summary>The engine's result in Schematic's REST shape.</summary>
internal static class CheckResponseMapper
{
    public static CheckFlagResponse ToResponse(in CheckResult result) => new(
        result.FlagKey,
        result.Value,
        result.Reason,
        result.FlagId,
        result.RuleId,
        result.RuleType is { } type ? WireFormat.NameOf(type) : null,
        result.CompanyId,
        result.UserId,
        result.Error,
        result.FeatureAllocation,
        result.FeatureUsage,
        result.FeatureUsageEvent,
        result.FeatureUsagePeriod is { } period ? WireFormat.NameOf(period) : null,
        result.FeatureUsageResetAt,
        result.Entitlement is { } e ? ToResponse(e) : null);

    /// <summary>An entitlement in the wire shape (checks and company answers).</summary>
    public static EntitlementResponse ToResponse(FeatureEntitlement e) => new(
        e.FeatureId,
        e.FeatureKey,
        WireFormat.NameOf(e.ValueType),
        e.Allocation,
        e.Usage,
        e.MetricPeriod is { } period ? WireFormat.NameOf(period) : null,
        e.MonthReset is { } reset ? WireFormat.NameOf(reset) : null,
        e.MetricResetAt,
        e.EventName,
        e.SoftLimit,
        [.. e.WarningTiers?.Select(t => new WarningTierRecord(t.Key, t.Value)) ?? []],
        e.CreditId,
        e.ConsumptionRate,
        e.CreditTotal,
        e.CreditUsed,
        e.CreditRemaining,
        e.CreditReserved,
        e.CreditSettled);
}
