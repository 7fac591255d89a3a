using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;

namespace Tollgate.Server.Companies;

/// <summary>A feature value for one company that beats its plans, until it expires.</summary>
public sealed record CompanyOverrideRecord
{
    /// <summary>The override's id (<c>cmov_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The company it applies to.</summary>
    public required string CompanyId { get; init; }

    /// <summary>The feature overridden.</summary>
    public required string FeatureId { get; init; }

    /// <summary>The kind of value.</summary>
    public required EntitlementValueKind ValueType { get; init; }

    /// <summary>For boolean overrides: on or off (off is how access is taken away).</summary>
    public bool? ValueBool { get; init; }

    /// <summary>For numeric overrides: the limit.</summary>
    public long? ValueNumeric { get; init; }

    /// <summary>For trait overrides: the company trait holding the limit.</summary>
    public string? ValueTraitId { get; init; }

    /// <summary>For credit overrides: the credit burned.</summary>
    public string? ValueCreditId { get; init; }

    /// <summary>For credit overrides: credits per use.</summary>
    public double? CreditConsumptionRate { get; init; }

    /// <summary>For event features: the period usage is counted over.</summary>
    public MetricPeriod? MetricPeriod { get; init; }

    /// <summary>For monthly periods: when the month resets.</summary>
    public MonthReset? MetricPeriodMonthReset { get; init; }

    /// <summary>The instant the override stops applying; none means it never does.</summary>
    public DateTimeOffset? ExpirationDate { get; init; }

    /// <summary>Why it was granted.</summary>
    public string? Note { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
