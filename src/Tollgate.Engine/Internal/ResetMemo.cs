namespace Tollgate.Engine.Internal;

/// <summary>
/// A computed reset instant and the stretch of time it holds for: from the instant it was computed to the earlier of
/// the reset itself and the end of that UTC day. Within that stretch the reset calculation gives the same answer
/// (the calendar and billing arithmetic depend on the day, and on the time of day only through the reset instant), so
/// a check can reuse it instead of doing date arithmetic. Immutable; replaced, never changed.
/// </summary>
internal sealed class ResetMemo
{
    private ResetMemo(Timestamp from, Timestamp until, bool hasReset, Timestamp reset)
    {
        From = from;
        Until = until;
        HasReset = hasReset;
        Reset = reset;
    }

    public Timestamp From { get; }

    public Timestamp Until { get; }

    public bool HasReset { get; }

    public Timestamp Reset { get; }

    public bool Covers(Timestamp now) => now >= From && now < Until;

    public static ResetMemo Create(Timestamp now, bool hasReset, Timestamp reset)
    {
        var endOfDay = Timestamp.FromDay(now.DayNumber + 1, 0, 0);
        var until = hasReset && reset < endOfDay ? reset : endOfDay;
        return new ResetMemo(now, until, hasReset, reset);
    }
}
