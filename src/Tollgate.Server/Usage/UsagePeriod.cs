using Tollgate.Engine.Model;
using Tollgate.Server.Companies;

namespace Tollgate.Server.Usage;

/// <summary>The five counters every tracked event adds to: one per metric period and month reset (spec §3.5).</summary>
internal enum UsagePeriod
{
    AllTime,
    Day,
    Week,
    MonthFromFirst,
    MonthFromBillingAnchor,
}

/// <summary>
/// Period boundaries with the engine's arithmetic (Tollgate.Engine's MetricResets, checked against it by
/// UsagePeriodTests). A counter is keyed by the instant its period ends — the engine's next reset — so that an event and
/// a check agree on the counter by computing the same function: late events land in the period they belong to, and a
/// check after midnight reads a new, empty counter.
/// </summary>
internal static class UsagePeriods
{
    public static readonly UsagePeriod[] All = Enum.GetValues<UsagePeriod>();

    /// <summary>The bucket of the all-time counter, which never resets.</summary>
    public const long Forever = 0;

    /// <summary>The counter bucket (the period's end in Unix milliseconds) an instant falls in.</summary>
    public static long BucketOf(UsagePeriod period, DateTimeOffset at, SubscriptionPeriod? subscription) =>
        NextReset(period, at, subscription) is { } reset ? reset.ToUnixTimeMilliseconds() : Forever;

    /// <summary>When the period containing <paramref name="at"/> ends; null for all time.</summary>
    public static DateTimeOffset? NextReset(UsagePeriod period, DateTimeOffset at, SubscriptionPeriod? subscription)
    {
        at = at.ToUniversalTime();
        var midnight = new DateTimeOffset(at.Date, TimeSpan.Zero);
        return period switch
        {
            UsagePeriod.Day => midnight.AddDays(1),
            // On a Sunday the next Sunday is a week away.
            UsagePeriod.Week => midnight.AddDays(7 - (int)at.DayOfWeek),
            UsagePeriod.MonthFromFirst => FirstOfNextMonth(at),
            UsagePeriod.MonthFromBillingAnchor => NextBillingReset(at, subscription),
            _ => null,
        };
    }

    /// <summary>The engine's name of a period.</summary>
    public static MetricPeriod MetricPeriodOf(UsagePeriod period) => period switch
    {
        UsagePeriod.AllTime => MetricPeriod.AllTime,
        UsagePeriod.Day => MetricPeriod.CurrentDay,
        UsagePeriod.Week => MetricPeriod.CurrentWeek,
        _ => MetricPeriod.CurrentMonth,
    };

    /// <summary>The engine's month reset of a period (the engine reads first_of_month for the others).</summary>
    public static MonthReset MonthResetOf(UsagePeriod period) =>
        period == UsagePeriod.MonthFromBillingAnchor ? MonthReset.BillingCycle : MonthReset.FirstOfMonth;

    /// <summary>The counter a metric condition or entitlement of the given period and month reset reads.</summary>
    public static UsagePeriod Of(MetricPeriod? period, MonthReset? monthReset) => period switch
    {
        MetricPeriod.CurrentDay => UsagePeriod.Day,
        MetricPeriod.CurrentWeek => UsagePeriod.Week,
        MetricPeriod.CurrentMonth when monthReset == MonthReset.BillingCycle => UsagePeriod.MonthFromBillingAnchor,
        MetricPeriod.CurrentMonth => UsagePeriod.MonthFromFirst,
        _ => UsagePeriod.AllTime,
    };

    /// <summary>
    /// No subscription → calendar month. A subscription starting later → the earlier of the next 1st and its start.
    /// Otherwise the anchor (the start's day, clamped to the month's length, and time of day) in this month, or next
    /// month's if this month's has passed, never after the period's end.
    /// </summary>
    private static DateTimeOffset NextBillingReset(DateTimeOffset at, SubscriptionPeriod? subscription)
    {
        if (subscription is null)
        {
            return FirstOfNextMonth(at);
        }

        var start = subscription.PeriodStart.ToUniversalTime();
        if (start > at)
        {
            var nextMonth = FirstOfNextMonth(at);
            return start > nextMonth ? nextMonth : start;
        }

        var reset = AnchorIn(at.Year, at.Month, start);
        if (reset <= at)
        {
            var next = new DateTime(at.Year, at.Month, 1).AddMonths(1);
            reset = AnchorIn(next.Year, next.Month, start);
        }

        var end = subscription.PeriodEnd.ToUniversalTime();
        return reset > end ? end : reset;
    }

    private static DateTimeOffset AnchorIn(int year, int month, DateTimeOffset anchor)
    {
        var day = Math.Min(anchor.Day, DateTime.DaysInMonth(year, month));
        return new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero) + anchor.TimeOfDay;
    }

    private static DateTimeOffset FirstOfNextMonth(DateTimeOffset at) =>
        new DateTimeOffset(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
}
