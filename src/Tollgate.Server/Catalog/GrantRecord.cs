using Tollgate.Engine.Model;

namespace Tollgate.Server.Catalog;

/// <summary>
/// What a plan entitlement or a company override grants of one feature: the fields both hold, written once
/// (<see cref="PlanEntitlementRecord"/>, <see cref="Companies.CompanyOverrideRecord"/>).
/// </summary>
public abstract record GrantRecord
{
    /// <summary>The grant's id (<c>pent_…</c> or <c>cmov_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The feature granted.</summary>
    public required string FeatureId { get; init; }

    /// <summary>The kind of value.</summary>
    public required EntitlementValueKind ValueType { get; init; }

    /// <summary>For boolean grants: on or off (an override set to off is how access is taken away).</summary>
    public bool? ValueBool { get; init; }

    /// <summary>For numeric grants: the limit.</summary>
    public long? ValueNumeric { get; init; }

    /// <summary>For trait grants: the company trait holding the limit.</summary>
    public string? ValueTraitId { get; init; }

    /// <summary>For credit grants: the credit burned.</summary>
    public string? ValueCreditId { get; init; }

    /// <summary>For credit grants: credits per use.</summary>
    public double? CreditConsumptionRate { get; init; }

    /// <summary>For event features: the period usage is counted over.</summary>
    public MetricPeriod? MetricPeriod { get; init; }

    /// <summary>For monthly periods: when the month resets.</summary>
    public MonthReset? MetricPeriodMonthReset { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
