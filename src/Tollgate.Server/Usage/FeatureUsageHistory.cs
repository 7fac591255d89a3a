namespace Tollgate.Server.Usage;

/// <summary>The usage of one bucket of a history: events whose time falls in [<see cref="Start"/>, <see cref="End"/>).</summary>
/// <param name="Start">The bucket's first instant (UTC).</param>
/// <param name="End">The instant after its last one; null for a period that has no end yet (a billing period not renewed).</param>
/// <param name="Usage">The sum of the quantities of the company's track events of the subtype in the bucket (0 when none).</param>
public sealed record UsageBucket(DateTimeOffset Start, DateTimeOffset? End, long Usage);

/// <summary>
/// A company's usage of one metered feature over time, with the entitlement it is held against: what a chart needs to
/// draw the buckets, the limit line and the current period's total.
/// </summary>
public sealed record FeatureUsageHistory
{
    /// <summary>The feature (<c>feat_…</c>).</summary>
    public required string FeatureId { get; init; }

    /// <summary>The feature's display name.</summary>
    public required string FeatureName { get; init; }

    /// <summary>The key of the feature's flag, when it has one.</summary>
    public string? FlagKey { get; init; }

    /// <summary>The event subtype the feature counts.</summary>
    public required string EventSubtype { get; init; }

    /// <summary>The width of the buckets.</summary>
    public required UsageGranularity Granularity { get; init; }

    /// <summary>Consecutive buckets, oldest first; the last one contains the time the history was read at.</summary>
    public required IReadOnlyList<UsageBucket> Buckets { get; init; }

    /// <summary>The entitlement's value type (<c>numeric</c>, <c>unlimited</c>, <c>credit</c>, <c>boolean</c>); null when the company has none.</summary>
    public string? AllocationType { get; init; }

    /// <summary>The limit of a numeric entitlement, per <see cref="LimitPeriod"/>.</summary>
    public long? Limit { get; init; }

    /// <summary>The soft limit, when the entitlement has one.</summary>
    public long? SoftLimit { get; init; }

    /// <summary>True when the entitlement is unlimited.</summary>
    public bool IsUnlimited { get; init; }

    /// <summary>Whether the company may use the feature now (the check's answer).</summary>
    public bool Access { get; init; }

    /// <summary>The metric period the limit applies to (<c>current_month</c>, …); null without an entitlement.</summary>
    public string? LimitPeriod { get; init; }

    /// <summary>The month reset of a monthly limit (<c>first_of_month</c>, <c>billing_cycle</c>).</summary>
    public string? MonthReset { get; init; }

    /// <summary>
    /// True when each bucket is one period of the limit (a monthly limit charted by month): the limit line applies to
    /// every bar. Otherwise a chart compares the limit with the running total within each period.
    /// </summary>
    public bool BucketIsLimitPeriod { get; init; }

    /// <summary>When the limit's current period started (the epoch for all time).</summary>
    public required DateTimeOffset CurrentPeriodStart { get; init; }

    /// <summary>When the limit's current period ends (its reset); null for all time or an open period.</summary>
    public DateTimeOffset? CurrentPeriodEnd { get; init; }

    /// <summary>The current period's usage summed from the event log.</summary>
    public required long CurrentPeriodUsage { get; init; }

    /// <summary>The current period's usage counter, which checks hold against the limit.</summary>
    public required long CounterUsage { get; init; }
}
