namespace Tollgate.Engine.Internal;

/// <summary>
/// A proleptic Gregorian date of any year (chrono accepts years far outside <see cref="DateOnly"/>'s 1–9999), with
/// conversions to and from days since 1970-01-01 (H. Hinnant's civil-from-days algorithms).
/// </summary>
internal readonly record struct CivilDate(long Year, int Month, int Day)
{
    public static bool IsLeapYear(long year) => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    public static int DaysInMonth(long year, int month) => month switch
    {
        2 => IsLeapYear(year) ? 29 : 28,
        4 or 6 or 9 or 11 => 30,
        _ => 31,
    };

    public static bool IsValid(long year, int month, int day) =>
        month is >= 1 and <= 12 && day >= 1 && day <= DaysInMonth(year, month);

    /// <summary>Days since 1970-01-01 of this date.</summary>
    public long DayNumber
    {
        get
        {
            var y = Month <= 2 ? Year - 1 : Year;
            var era = (y >= 0 ? y : y - 399) / 400;
            var yearOfEra = y - (era * 400);
            var monthIndex = Month > 2 ? Month - 3 : Month + 9;
            var dayOfYear = ((153 * monthIndex) + 2) / 5 + Day - 1;
            var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
            return (era * 146_097) + dayOfEra - 719_468;
        }
    }

    public static CivilDate FromDayNumber(long dayNumber)
    {
        var z = dayNumber + 719_468;
        var era = (z >= 0 ? z : z - 146_096) / 146_097;
        var dayOfEra = z - (era * 146_097);
        var yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        var dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        var monthIndex = ((5 * dayOfYear) + 2) / 153;
        var day = (int)(dayOfYear - (((153 * monthIndex) + 2) / 5) + 1);
        var month = (int)(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        var year = yearOfEra + (era * 400) + (month <= 2 ? 1 : 0);
        return new CivilDate(year, month, day);
    }
}
