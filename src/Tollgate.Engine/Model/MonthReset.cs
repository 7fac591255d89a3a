namespace Tollgate.Engine.Model;

/// <summary>When a <see cref="MetricPeriod.CurrentMonth"/> metric resets.</summary>
public enum MonthReset
{
    /// <summary>00:00 UTC on the first of each month.</summary>
    FirstOfMonth,

    /// <summary>On the subscription's anniversary: its start's day of month and time of day.</summary>
    BillingCycle,
}
