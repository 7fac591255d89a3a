namespace Tollgate.Engine.Model;

/// <summary>Pre-aggregated usage of one event subtype over one period for a company.</summary>
public sealed record CompanyMetric
{
    /// <summary>The account that owns the metric.</summary>
    public required string AccountId { get; init; }

    /// <summary>The environment the metric lives in.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>The company the usage belongs to.</summary>
    public required string CompanyId { get; init; }

    /// <summary>The event subtype counted.</summary>
    public required string EventSubtype { get; init; }

    /// <summary>The window counted over.</summary>
    public required MetricPeriod Period { get; init; }

    /// <summary>When a monthly window resets.</summary>
    public required MonthReset MonthReset { get; init; }

    /// <summary>The usage in the current window.</summary>
    public required long Value { get; init; }

    /// <summary>When the row was created (not used in evaluation).</summary>
    public required string CreatedAt { get; init; }

    /// <summary>When the row stops being current (ignored by the reference engine, and so here).</summary>
    public string? ValidUntil { get; init; }
}
