using System.Globalization;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Values chosen to sit on the engine's edges: number parsing (decimals, exponents, huge, signed, junk), bool spelling,
/// byte-wise string order, and every date layout the WASM does or does not parse. Conditions and traits draw from the
/// same pools so that equal, greater and smaller comparisons all happen.
/// </summary>
internal static class EdgeValues
{
    private static readonly string[] IntTexts =
    [
        "0", "1", "5", "7", "10", "-3", "", "10.5", "7.0", "7.9", "1e3", "1000", ".5", "-0", "+5", " 7", "abc",
        "99999999999999999999", "9223372036854775807", "-9223372036854775808", "NaN", "inf", "0x10", "1_000",
    ];

    private static readonly string[] BoolTexts = ["true", "false", "1", "0", "TRUE", "True", "", "yes"];

    private static readonly string[] StringTexts = ["pro", "Pro", "enterprise", "", "9", "10", "a", "ä", "admin", "zeta"];

    private static readonly string[] ZoneWords = ["UTC", "GMT", "PST", "EST", "CEST"];

    private static readonly DateTimeOffset[] DateAnchors =
    [
        new(2025, 6, 18, 15, 30, 0, TimeSpan.Zero),
        new DateTimeOffset(2025, 6, 18, 15, 30, 0, TimeSpan.Zero).AddMilliseconds(250),
        new(2024, 2, 29, 0, 0, 0, TimeSpan.Zero),
        new(2023, 12, 31, 23, 59, 59, TimeSpan.Zero),
        new(2025, 6, 18, 17, 0, 0, TimeSpan.Zero),
    ];

    public static string TraitValue(Random random, string comparableType, long focalLimit) => comparableType switch
    {
        "int" => random.Chance(0.35) ? (focalLimit + random.Next(-1, 2)).ToString(CultureInfo.InvariantCulture) : random.Pick(IntTexts),
        "bool" => random.Pick(BoolTexts),
        "date" => DateText(random),
        _ => random.Pick(StringTexts),
    };

    /// <summary>
    /// One of a few instants, written in one of the layouts the WASM parses or rejects (which count as empty): RFC 3339,
    /// <c>YYYY-MM-DD HH:MM:SS ZONE</c>, JavaScript's <c>Date.toString()</c> with and without its zone name, or any
    /// text of <see cref="DateTexts"/>.
    /// </summary>
    public static string DateText(Random random)
    {
        var instant = random.Pick(DateAnchors);
        return random.Next(16) switch
        {
            0 or 1 => TimeText.Rfc3339(instant, TimeSpan.Zero, random.Pick(["", ".250", ".250000", ".5"]), zulu: true),
            2 => TimeText.Rfc3339(instant, TimeSpan.FromHours(2), "", zulu: false),
            3 => TimeText.Rfc3339(instant, TimeSpan.FromHours(-5), "", zulu: false),
            4 or 5 => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss ", CultureInfo.InvariantCulture) + random.Pick(ZoneWords),
            6 => instant.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            7 => instant.UtcDateTime.ToString("ddd MMM dd yyyy HH:mm:ss", CultureInfo.InvariantCulture)
                + " GMT+0000 (Coordinated Universal Time)",
            8 => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            9 => instant.UtcDateTime.ToString("yyyy-MM-dd't'HH:mm:ss'z'", CultureInfo.InvariantCulture),
            10 or 11 => random.Pick(["", "soon", "2025-02-30T00:00:00Z", "2025-06-18T25:00:00Z", "1750260600"]),
            12 or 13 => TimeText.JavaScript(instant, random.Pick(JavaScriptOffsets), random.Pick(JavaScriptZoneNames)),
            _ => random.Pick(DateTexts.All).Text,
        };
    }

    private static readonly TimeSpan[] JavaScriptOffsets =
        [TimeSpan.Zero, TimeSpan.FromHours(-7), TimeSpan.FromHours(-8), TimeSpan.FromHours(2), new(5, 30, 0)];

    private static readonly string[] JavaScriptZoneNames = ["", "", "", " (Pacific Daylight Time)", " (Coordinated Universal Time)"];

    /// <summary>An instant that sits on a clock edge the reset-time arithmetic must get right, or a random one.</summary>
    public static DateTimeOffset Now(Random random)
    {
        var year = random.Next(2023, 2028);
        return random.Next(10) switch
        {
            0 => MonthEnd(random, year, random.Pick([1, 2, 4, 12, random.Next(1, 13)])),
            1 => MonthEnd(random, 2024, 2),
            2 => new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.Zero) + NearMidnight(random, includeDay: true),
            3 or 4 => Weekend(random, year),
            5 => new DateTimeOffset(year, random.Next(1, 13), 1, 0, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero)
                .AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(365 * 5).TotalMilliseconds)),
        };
    }

    private static DateTimeOffset MonthEnd(Random random, int year, int month)
    {
        var lastDay = new DateTimeOffset(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, TimeSpan.Zero);
        return lastDay + NearMidnight(random, includeDay: true);
    }

    private static DateTimeOffset Weekend(Random random, int year)
    {
        var day = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(365));
        var target = random.Chance(0.5) ? DayOfWeek.Sunday : DayOfWeek.Saturday;
        day = day.AddDays(((int)target - (int)day.DayOfWeek + 7) % 7);
        return day + NearMidnight(random, includeDay: false);
    }

    /// <summary>A time of day right before or right after midnight (or, with includeDay, anywhere in the day).</summary>
    private static TimeSpan NearMidnight(Random random, bool includeDay) => random.Next(includeDay ? 6 : 5) switch
    {
        0 => TimeSpan.Zero,
        1 => TimeSpan.FromMilliseconds(1),
        2 => new TimeSpan(23, 59, 59),
        3 => new TimeSpan(0, 23, 59, 59, 999),
        4 => new TimeSpan(0, 0, 0, 1),
        _ => TimeSpan.FromSeconds(random.Next(86_400)),
    };
}
