namespace Tollgate.Client;

/// <summary>The company's entitlement to the checked flag's feature (spec §3.8): the limit, the usage and the window.</summary>
public sealed record EntitlementInfo
{
    /// <summary>The feature's id.</summary>
    public required string FeatureId { get; init; }

    /// <summary>The feature's key.</summary>
    public required string FeatureKey { get; init; }

    /// <summary><c>boolean</c>, <c>numeric</c>, <c>unlimited</c>, <c>trait</c> or <c>credit</c>.</summary>
    public required string ValueType { get; init; }

    /// <summary>The limit, for a numeric or trait entitlement.</summary>
    public long? Allocation { get; init; }

    /// <summary>The usage counted against the limit.</summary>
    public long? Usage { get; init; }

    /// <summary>The event counted.</summary>
    public string? EventName { get; init; }

    /// <summary>The window counted over (<c>current_month</c>…).</summary>
    public string? MetricPeriod { get; init; }

    /// <summary>Credits left, for a credit entitlement.</summary>
    public double? CreditRemaining { get; init; }
}
