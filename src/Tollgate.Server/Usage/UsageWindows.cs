namespace Tollgate.Server.Usage;

/// <summary>When the current metric period of an entitlement began (UTC; weeks start on Sunday, spec's metric periods).</summary>
public static class UsageWindows
{
    /// <summary>
    /// The start of the period containing <paramref name="now"/>: all time from the epoch; a billing-cycle month from the
    /// subscription's period start when there is one, else from the first of the month.
    /// </summary>
    public static DateTimeOffset StartOf(string? period, string? monthReset, DateTimeOffset now, DateTimeOffset? billingPeriodStart)
    {
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return period switch
        {
            "current_day" => day,
            "current_week" => day.AddDays(-(int)day.DayOfWeek),
            "current_month" when monthReset == "billing_cycle" && billingPeriodStart is { } start && start <= now => start,
            "current_month" => new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero),
            _ => DateTimeOffset.UnixEpoch,
        };
    }
}
