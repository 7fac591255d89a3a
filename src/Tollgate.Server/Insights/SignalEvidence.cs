namespace Tollgate.Server.Insights;

/// <summary>The figures a signal rests on (stored as JSON beside it; every field that does not apply is null).</summary>
internal sealed record SignalEvidence
{
    /// <summary>The feature's flag key, as the reason names it.</summary>
    public string? FeatureKey { get; init; }

    /// <summary>The limit's period (<c>current_month</c>, <c>current_day</c>, …).</summary>
    public string? Period { get; init; }

    /// <summary>The current period's usage.</summary>
    public long? Usage { get; init; }

    /// <summary>The limit (allocation).</summary>
    public long? Limit { get; init; }

    /// <summary>Usage ÷ limit now.</summary>
    public double? Ratio { get; init; }

    /// <summary>Of the last <see cref="WindowDays"/> days, how many ended at or above the near-limit ratio.</summary>
    public int? DaysNearLimit { get; init; }

    /// <summary>The days <see cref="DaysNearLimit"/> counts over.</summary>
    public int? WindowDays { get; init; }

    /// <summary>Usage in the last trend window.</summary>
    public long? RecentUsage { get; init; }

    /// <summary>Usage in the trend window before it.</summary>
    public long? PriorUsage { get; init; }

    /// <summary>The change from <see cref="PriorUsage"/> to <see cref="RecentUsage"/> in percent; null when there was none before.</summary>
    public double? ChangePercent { get; init; }

    /// <summary>Ended periods over the limit, of <see cref="PeriodsLookedAt"/>.</summary>
    public int? PeriodsOver { get; init; }

    /// <summary>Ended periods looked at (over-use and under-use).</summary>
    public int? PeriodsLookedAt { get; init; }

    /// <summary>The highest usage ÷ allocation in those periods (under-use).</summary>
    public double? HighestRatio { get; init; }

    /// <summary>When the company's trial ends (at-risk).</summary>
    public DateTimeOffset? TrialEndsAt { get; init; }

    /// <summary>What remains of the credit a feature burns (expansion by credit burn).</summary>
    public double? CreditRemaining { get; init; }

    /// <summary>Credits burnt per day over the last <see cref="WindowDays"/> days.</summary>
    public double? DailyBurn { get; init; }

    /// <summary>When the credit runs out at that burn.</summary>
    public DateTimeOffset? RunsOutAt { get; init; }

    /// <summary>When the billing period ends.</summary>
    public DateTimeOffset? PeriodEndsAt { get; init; }
}
