namespace Tollgate.Engine.Model;

/// <summary>
/// A company's entitlement to a feature as the server computed it (spec §3.8). The engine does not evaluate it: a check
/// returns the company's entitlement whose <see cref="FeatureKey"/> is the flag's key, as it is.
/// </summary>
public sealed record FeatureEntitlement
{
    /// <summary>The feature's id.</summary>
    public required string FeatureId { get; init; }

    /// <summary>The feature's key, which is its flag's key.</summary>
    public required string FeatureKey { get; init; }

    /// <summary>The kind of value granted.</summary>
    public required EntitlementValueType ValueType { get; init; }

    /// <summary>The numeric allocation.</summary>
    public long? Allocation { get; init; }

    /// <summary>The next tier or overage boundary.</summary>
    public long? SoftLimit { get; init; }

    /// <summary>The company's usage.</summary>
    public long? Usage { get; init; }

    /// <summary>The event name counted.</summary>
    public string? EventName { get; init; }

    /// <summary>The event subtype counted.</summary>
    public string? EventSubtype { get; init; }

    /// <summary>The window usage is counted over.</summary>
    public MetricPeriod? MetricPeriod { get; init; }

    /// <summary>When a monthly window resets.</summary>
    public MonthReset? MonthReset { get; init; }

    /// <summary>When usage resets; passed through verbatim.</summary>
    public string? MetricResetAt { get; init; }

    /// <summary>The credit drawn on.</summary>
    public string? CreditId { get; init; }

    /// <summary>Credits granted in total.</summary>
    public double? CreditTotal { get; init; }

    /// <summary>Credits used.</summary>
    public double? CreditUsed { get; init; }

    /// <summary>Credits available for new holds.</summary>
    public double? CreditRemaining { get; init; }

    /// <summary>Credits held by open reservations.</summary>
    public double? CreditReserved { get; init; }

    /// <summary>Remaining plus reserved: the number to show users.</summary>
    public double? CreditSettled { get; init; }

    /// <summary>Credits per unit of usage.</summary>
    public double? ConsumptionRate { get; init; }

    /// <summary>Usage levels that warrant a warning.</summary>
    public IReadOnlyList<WarningTier>? WarningTiers { get; init; }
}
