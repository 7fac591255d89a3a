namespace Tollgate.Engine.Internal;

/// <summary>
/// The fields one format read from date text, turned into an instant the way chrono 0.4.45's <c>Parsed</c> does:
/// the date must exist in years −262143 to 262142, a day name must be that date's, second 60 is a leap second, and an
/// offset is applied only when it is under 24 hours and the result stays in range (otherwise, as the reference engine
/// falls back to a naive read, the wall time is taken as UTC).
/// </summary>
internal readonly struct ParsedDateTime
{
    public const long MinYear = -262_143;
    public const long MaxYear = 262_142;

    private static readonly long MinDay = new CivilDate(MinYear, 1, 1).DayNumber;
    private static readonly long MaxDay = new CivilDate(MaxYear, 12, 31).DayNumber;

    public long Year { get; init; }

    public int Month { get; init; }

    public int Day { get; init; }

    public int Hour { get; init; }

    public int Minute { get; init; }

    public int Second { get; init; }

    public int Nanos { get; init; }

    /// <summary>The day of the week a <c>%a</c> item read (0 = Sunday), or -1.</summary>
    public int DayOfWeek { get; init; }

    /// <summary>The offset a <c>%z</c> item read, in seconds; null when the format has none.</summary>
    public int? OffsetSeconds { get; init; }

    /// <summary>
    /// <c>DateTime::parse_from_str</c> (offset applied) if it succeeds, else <c>NaiveDateTime::parse_from_str</c> (wall
    /// time as UTC): the reference engine tries both, in that order, for each format.
    /// </summary>
    public bool TryResolve(out Timestamp value) =>
        TryToInstant(OffsetSeconds is { } offset && Math.Abs(offset) < Timestamp.SecondsPerDay ? offset : null, out value)
        || TryToInstant(0, out value);

    /// <summary>The instant, with <paramref name="offsetSeconds"/> subtracted; false for a null offset or an impossible date.</summary>
    public bool TryToInstant(int? offsetSeconds, out Timestamp value)
    {
        value = default;
        if (offsetSeconds is not { } offset || Year < MinYear || Year > MaxYear || !CivilDate.IsValid(Year, Month, Day)
            || Hour > 23 || Minute > 59 || Second > 60)
        {
            return false;
        }

        var dayNumber = new CivilDate(Year, Month, Day).DayNumber;
        if (DayOfWeek >= 0 && DayOfWeek != WeekdayOf(dayNumber))
        {
            return false;
        }

        // A leap second is second 59 with a billion nanoseconds more, as chrono keeps it.
        var second = Second == 60 ? 59 : Second;
        var nanos = Second == 60 ? Nanos + 1_000_000_000 : Nanos;
        var instant = Timestamp.FromDay(dayNumber, (Hour * 3600) + (Minute * 60) + second - offset, nanos);
        if (instant.DayNumber < MinDay || instant.DayNumber > MaxDay)
        {
            return false;
        }

        value = instant;
        return true;
    }

    /// <summary>0 = Sunday; 1970-01-01 was a Thursday.</summary>
    private static int WeekdayOf(long dayNumber) => (int)(((dayNumber % 7) + 7 + 4) % 7);
}
