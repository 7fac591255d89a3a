using Tollgate.Engine.Model;

namespace Tollgate.Server.Catalog;

/// <summary>What a plan grants of one feature (spec §5 plan entitlements).</summary>
public sealed record PlanEntitlementRecord
{
    /// <summary>The entitlement's id (<c>pent_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The plan granting it.</summary>
    public required string PlanId { get; init; }

    /// <summary>
    /// The version of the plan that holds it. Absent only on entitlements stored before plans had versions: those belong
    /// to the plan's version 1.
    /// </summary>
    public string? PlanVersionId { get; init; }

    /// <summary>The feature granted.</summary>
    public required string FeatureId { get; init; }

    /// <summary>The kind of value.</summary>
    public required EntitlementValueKind ValueType { get; init; }

    /// <summary>For boolean entitlements.</summary>
    public bool? ValueBool { get; init; }

    /// <summary>For numeric entitlements: the limit.</summary>
    public long? ValueNumeric { get; init; }

    /// <summary>For trait entitlements: the company trait holding the limit.</summary>
    public string? ValueTraitId { get; init; }

    /// <summary>For credit entitlements: the credit burned.</summary>
    public string? ValueCreditId { get; init; }

    /// <summary>For credit entitlements: credits per use.</summary>
    public double? CreditConsumptionRate { get; init; }

    /// <summary>For event features: the period usage is counted over.</summary>
    public MetricPeriod? MetricPeriod { get; init; }

    /// <summary>For monthly periods: when the month resets.</summary>
    public MonthReset? MetricPeriodMonthReset { get; init; }

    /// <summary>The next tier or overage boundary, shown to users.</summary>
    public long? SoftLimit { get; init; }

    /// <summary>Usage levels that warrant a warning.</summary>
    public IReadOnlyList<WarningTierRecord>? WarningTiers { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A usage level at which to warn.</summary>
public sealed record WarningTierRecord(string Key, long Value);
