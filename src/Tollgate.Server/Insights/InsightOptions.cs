namespace Tollgate.Server.Insights;

/// <summary>
/// The thresholds of the insight signals (<c>Tollgate:Insights:*</c>). Ratios are usage ÷ limit; windows are whole UTC
/// days; "month over month" compares the last <see cref="TrendDays"/> days with the same number of days before them.
/// </summary>
public sealed class InsightOptions
{
    /// <summary>Usage at or above this share of a limit is "near" it (expansion). Default 0.8.</summary>
    public double NearLimitRatio { get; set; } = 0.8;

    /// <summary>The days looked back over for "in X of the last N days". Default 10.</summary>
    public int RecentDays { get; set; } = 10;

    /// <summary>The length of each side of a trend comparison, in days. Default 30.</summary>
    public int TrendDays { get; set; } = 30;

    /// <summary>Expansion needs usage up at least this many percent over the trend window (or new in it). Default 10.</summary>
    public double GrowthPercent { get; set; } = 10;

    /// <summary>Over-users: at least this many of the last <see cref="OveragePeriods"/> ended periods over the limit. Default 2.</summary>
    public int RepeatedOverages { get; set; } = 2;

    /// <summary>The ended periods looked back over for repeated overage. Default 3.</summary>
    public int OveragePeriods { get; set; } = 3;

    /// <summary>Under-users: usage at most this share of the allocation in each period. Default 0.2.</summary>
    public double UnderUseRatio { get; set; } = 0.2;

    /// <summary>Under-users: for this many ended periods in a row. Default 3.</summary>
    public int UnderUsePeriods { get; set; } = 3;

    /// <summary>At-risk: usage down at least this many percent over the trend window. Default 50.</summary>
    public double FallPercent { get; set; } = 50;

    /// <summary>At-risk: a fall counts only from at least this much usage in the earlier window. Default 10.</summary>
    public long FallMinimum { get; set; } = 10;

    /// <summary>At-risk: a trial ending within this many days with no usage tracked. Default 7.</summary>
    public int TrialEndingDays { get; set; } = 7;

    /// <summary>How many companies one refresh reads and writes at a time. Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Checks the values once at start-up; answers the first problem, naming the option.</summary>
    public string? Problem() =>
        NearLimitRatio is <= 0 or > 10 ? "Tollgate:Insights:NearLimitRatio must be above 0 and at most 10"
        : RecentDays is < 1 or > 60 ? "Tollgate:Insights:RecentDays must be from 1 to 60"
        : TrendDays is < 1 or > 90 ? "Tollgate:Insights:TrendDays must be from 1 to 90"
        : OveragePeriods is < 1 or > 12 ? "Tollgate:Insights:OveragePeriods must be from 1 to 12"
        : RepeatedOverages < 1 || RepeatedOverages > OveragePeriods ? "Tollgate:Insights:RepeatedOverages must be from 1 to OveragePeriods"
        : UnderUsePeriods is < 1 or > 12 ? "Tollgate:Insights:UnderUsePeriods must be from 1 to 12"
        : UnderUseRatio is < 0 or >= 1 ? "Tollgate:Insights:UnderUseRatio must be from 0 to below 1"
        : FallPercent is <= 0 or > 100 ? "Tollgate:Insights:FallPercent must be above 0 and at most 100"
        : GrowthPercent < 0 ? "Tollgate:Insights:GrowthPercent must not be negative"
        : FallMinimum < 1 ? "Tollgate:Insights:FallMinimum must be at least 1"
        : TrialEndingDays is < 0 or > 90 ? "Tollgate:Insights:TrialEndingDays must be from 0 to 90"
        : BatchSize is < 1 or > 5000 ? "Tollgate:Insights:BatchSize must be from 1 to 5000"
        : null;
}
