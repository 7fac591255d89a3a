using Tollgate.Engine.Model;

namespace Tollgate.Engine.Internal;

/// <summary>
/// When a metric period next resets (spec §3.5), with the reference engine's billing-cycle arithmetic: the anchor is
/// the subscription start's day of month and time of day in UTC, clamped to the last day of shorter months.
/// </summary>
internal static class MetricResets
{
    // One memo per calendar period (they do not depend on the company); billing memos live on each company's anchor.
    private static readonly ResetMemo?[] CalendarMemos = new ResetMemo?[4];

    /// <summary>
    /// The next reset of a metric condition's period, or false when it has none. Repeated calls on the same day reuse
    /// the previous answer (see <see cref="ResetMemo"/>) and allocate nothing.
    /// </summary>
    public static bool TryGetNextReset(MetricPeriod? period, MonthReset? monthReset, BillingAnchor? billing, Timestamp now, out Timestamp reset)
    {
        if (period is not { } p || p == MetricPeriod.AllTime)
        {
            reset = default;
            return false;
        }

        var usesBilling = p == MetricPeriod.CurrentMonth && monthReset == MonthReset.BillingCycle && billing is not null;
        var memo = usesBilling ? Volatile.Read(ref billing!.Memo) : Volatile.Read(ref CalendarMemos[(int)p]);
        if (memo is null || !memo.Covers(now))
        {
            var hasReset = Compute(p, monthReset, billing, now, out var computed);
            memo = ResetMemo.Create(now, hasReset, computed);
            if (usesBilling)
            {
                Volatile.Write(ref billing!.Memo, memo);
            }
            else
            {
                Volatile.Write(ref CalendarMemos[(int)p], memo);
            }
        }

        reset = memo.Reset;
        return memo.HasReset;
    }

    private static bool Compute(MetricPeriod? period, MonthReset? monthReset, BillingAnchor? billing, Timestamp now, out Timestamp reset)
    {
        reset = default;
        switch (period)
        {
            case MetricPeriod.CurrentDay:
                reset = Timestamp.FromDay(now.DayNumber + 1, 0, 0);
                return true;
            case MetricPeriod.CurrentWeek:
                reset = Timestamp.FromDay(now.DayNumber + DaysUntilNextSunday(now.DayNumber), 0, 0);
                return true;
            case MetricPeriod.CurrentMonth when monthReset == MonthReset.BillingCycle:
                return TryGetNextBillingReset(billing, now, out reset);
            case MetricPeriod.CurrentMonth:
                reset = FirstOfNextMonth(now);
                return true;
            default:
                return false;
        }
    }

    private static bool TryGetNextBillingReset(BillingAnchor? billing, Timestamp now, out Timestamp reset)
    {
        if (billing is null)
        {
            reset = FirstOfNextMonth(now);
            return true;
        }

        if (!billing.IsParsed)
        {
            reset = default;
            return false;
        }

        var start = billing.PeriodStart;
        if (start > now)
        {
            var nextMonth = FirstOfNextMonth(now);
            reset = start > nextMonth ? nextMonth : start;
            return true;
        }

        var today = now.Date;
        reset = AnchorIn(today.Year, today.Month, billing);
        if (reset <= now)
        {
            var (year, month) = today.Month == 12 ? (today.Year + 1, 1) : (today.Year, today.Month + 1);
            reset = AnchorIn(year, month, billing);
        }

        if (reset > billing.PeriodEnd)
        {
            reset = billing.PeriodEnd;
        }

        return true;
    }

    /// <summary>The anchor's day (clamped to the month's length) and time of day in the given month.</summary>
    private static Timestamp AnchorIn(long year, int month, BillingAnchor anchor)
    {
        var day = Math.Min(anchor.AnchorDay, CivilDate.DaysInMonth(year, month));
        return Timestamp.FromDay(new CivilDate(year, month, day).DayNumber, anchor.AnchorSecondOfDay, anchor.PeriodStart.Nanos);
    }

    private static Timestamp FirstOfNextMonth(Timestamp now)
    {
        var today = now.Date;
        var (year, month) = today.Month == 12 ? (today.Year + 1, 1) : (today.Year, today.Month + 1);
        return Timestamp.FromDay(new CivilDate(year, month, 1).DayNumber, 0, 0);
    }

    /// <summary>1970-01-01 was a Thursday; on a Sunday the next Sunday is a week away.</summary>
    private static long DaysUntilNextSunday(long dayNumber)
    {
        var dayOfWeek = (int)(((dayNumber % 7) + 7 + 4) % 7); // 0 = Sunday
        return dayOfWeek == 0 ? 7 : 7 - dayOfWeek;
    }
}
