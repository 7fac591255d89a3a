namespace Tollgate.Engine.Model;

/// <summary>The window a usage metric counts over (spec §3.5).</summary>
public enum MetricPeriod
{
    /// <summary>Never resets.</summary>
    AllTime,

    /// <summary>Resets at 00:00 UTC every day.</summary>
    CurrentDay,

    /// <summary>Resets at 00:00 UTC every Sunday.</summary>
    CurrentWeek,

    /// <summary>Resets monthly, on the first or on the billing anchor (see <see cref="MonthReset"/>).</summary>
    CurrentMonth,
}
