using System.Globalization;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>A date text, and the RFC 3339 instant it was written from (what it means to a person, parsed or not).</summary>
internal sealed record DateSample(string Text, string Anchor);

/// <summary>
/// Date texts in every layout a trait might hold: ISO 8601 variants (with and without time, offsets, fractions, <c>Z</c>),
/// JavaScript's <c>Date</c> texts (<c>toString</c>, <c>toUTCString</c>, <c>toDateString</c>, <c>toISOString</c>,
/// <c>toLocaleString</c>), RFC 2822, epoch numbers, partial and impossible dates, chrono's year limits, stray and Unicode
/// whitespace. Which of them Schematic's engine reads, and as what, is the oracle's to say.
/// </summary>
internal static class DateTexts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Instants on a weekday, a leap day and just before the epoch, each seen from a few zones.</summary>
    private static readonly (DateTimeOffset Instant, TimeSpan[] Offsets)[] Families =
    [
        (new(2025, 6, 18, 17, 0, 0, TimeSpan.Zero), [TimeSpan.FromHours(-7), TimeSpan.Zero, new TimeSpan(5, 30, 0)]),
        (new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).AddMilliseconds(123), [TimeSpan.FromHours(1), TimeSpan.FromHours(-8)]),
        (new(2024, 2, 29, 0, 0, 0, TimeSpan.Zero), [TimeSpan.Zero, TimeSpan.FromHours(-5)]),
        (new(1969, 12, 31, 23, 59, 59, TimeSpan.Zero), [TimeSpan.Zero, TimeSpan.FromHours(2)]),
    ];

    private static readonly string[] Fractions = ["", ".1", ".12", ".123", ".1234", ".123456789", ".1234567891"];

    public static IReadOnlyList<DateSample> All { get; } = Build();

    private static List<DateSample> Build()
    {
        var texts = new List<DateSample>();
        foreach (var (instant, offsets) in Families)
        {
            var anchor = Rfc3339Z(instant);
            foreach (var offset in offsets)
            {
                var local = instant.ToOffset(offset);
                texts.AddRange(Iso(local).Concat(JavaScript(local)).Concat(Spaced(local)).Select(t => new DateSample(t, anchor)));
            }
        }

        texts.AddRange(Oddities().Select(t => new DateSample(t, "2025-06-18T17:00:00Z")));
        return [.. texts.DistinctBy(t => t.Text, StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Iso(DateTimeOffset local)
    {
        var date = local.ToString("yyyy-MM-dd", Inv);
        var time = local.ToString("HH:mm:ss", Inv);
        var colon = Offset(local.Offset, ":");
        var plain = Offset(local.Offset, "");
        foreach (var fraction in Fractions)
        {
            yield return $"{date}T{time}{fraction}{colon}";
            yield return $"{date}T{time}{fraction}{plain}";
        }

        yield return $"{date}T{time}{colon[..3]}";
        yield return $"{date}T{time} {colon}";
        yield return $"{date}T{time}.123 {plain}";
        yield return $"{date}T{time}{colon[..3]} {colon[4..]}";
        yield return $"{date}T{time}{colon[..3]}::{colon[4..]}";
        yield return $"{date}T{time}{colon.Replace('-', '\u2212')}";
        yield return $"{date}t{time}{colon}";
        yield return $"{date}T{time}";
        yield return $"{date}T{time}.123";
        yield return $"{date}T{local.ToString("HH:mm", Inv)}{colon}";
        yield return $"{date}T{time}{colon} ";
        yield return $" {date}T{time}{colon}";
        if (local.Offset == TimeSpan.Zero)
        {
            foreach (var fraction in Fractions)
            {
                yield return $"{date}T{time}{fraction}Z";
            }

            yield return $"{date}t{time}z";
            yield return $"{date}T{time}UTC";
            yield return $"{date}T{time}.5UTC";
            yield return $"{date}T{time}.000Z ";
            yield return $"{date}T{time},5Z";
        }

        yield return date;
        yield return $"{date}T{local.ToString("HH", Inv)}";
        yield return local.ToString("yyyyMMdd'T'HHmmss", Inv) + (local.Offset == TimeSpan.Zero ? "Z" : plain);
        yield return $"{local.Year}-{local.Month}-{local.Day}T{local.Hour}:{local.Minute}:{local.Second}{colon}";
    }

    /// <summary>What JavaScript's <c>Date</c> writes, and near misses of it.</summary>
    private static IEnumerable<string> JavaScript(DateTimeOffset local)
    {
        var day = local.ToString("ddd MMM dd yyyy", Inv);
        var time = local.ToString("HH:mm:ss", Inv);
        var gmt = "GMT" + Offset(local.Offset, "");
        var utc = local.UtcDateTime;
        yield return $"{day} {time} {gmt}";
        yield return $"{day} {time} {gmt} (Coordinated Universal Time)";
        yield return $"{day} {time} {gmt} (Pacific Daylight Time)";
        yield return $"{day} {time} {gmt} (Pacific Standard Time)";
        yield return $"{day} {time} {gmt} (PDT)";
        yield return $"{day} {time} Pacific Standard Time";
        yield return $"{day} {time}";
        yield return $"{day} {time} ";
        yield return $"{day} {time} PDT";
        yield return $"{day} {time} UTC";
        yield return $"{day} {time} (PDT)";
        yield return $"{day} {time} {gmt.ToLowerInvariant()}";
        yield return $"{day} {time} GMT{Offset(local.Offset, ":")}";
        yield return $"{day} {time} GMT {Offset(local.Offset, "")}";
        yield return $"{day} {time} GMT{Offset(local.Offset, "")[..3]}";
        yield return $"{day} {time}{gmt}";
        yield return $"{day} {time} {gmt.Replace('-', '\u2212')}";
        yield return $"{day} {time} {gmt}junk";
        yield return $"{day} {time} {gmt} junk";
        yield return $"{day} {time} {gmt} ";
        yield return $" {day} {time} {gmt}";
        yield return $"{day} {local.ToString("HH:mm", Inv)} {gmt}";
        yield return $"{day} {time}.000 {gmt}";
        yield return $"{local.ToString("ddd MMM d yyyy", Inv)} {time} {gmt}";
        yield return $"{local.ToString("ddd  MMM   dd\tyyyy", Inv)}\u00a0{time}\u3000{gmt}";
        yield return $"{local.ToString("dddMMMdd yyyy", Inv)} {time} {gmt}";
        yield return $"{day.ToUpperInvariant()} {time} {gmt}";
        yield return $"{local.ToString("dddd MMM dd yyyy", Inv)} {time} {gmt}";
        yield return $"{local.ToString("ddd MMMM dd yyyy", Inv)} {time} {gmt}";
        yield return $"{local.AddDays(1).ToString("ddd", Inv)} {local.ToString("MMM dd yyyy", Inv)} {time} {gmt}";
        yield return $"{local.ToString("ddd MMM dd yy", Inv)} {time} {gmt}";
        yield return $"{local.ToString("ddd MMM dd +yyyy", Inv)} {time} {gmt}";
        yield return $"{local.ToString("ddd, MMM dd yyyy", Inv)} {time} {gmt}";
        yield return day;
        yield return utc.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", Inv);
        yield return utc.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", Inv);
        yield return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", Inv);
        yield return local.ToString("M/d/yyyy, h:mm:ss tt", Inv);
        yield return local.ToString("MMMM d, yyyy", Inv);
    }

    /// <summary><c>YYYY-MM-DD HH:MM:SS</c> with and without a zone word or offset after it.</summary>
    private static IEnumerable<string> Spaced(DateTimeOffset local)
    {
        var text = local.ToString("yyyy-MM-dd HH:mm:ss", Inv);
        string[] tails = [" UTC", "UTC", " PST", " GMT", "", " ", "Z", ".5Z", " +0100", "+01:00", ".123", ".123 UTC", " UTC extra", " UTC ", " Pacific Standard Time"];
        foreach (var tail in tails)
        {
            yield return text + tail;
        }

        yield return local.ToString("yyyy-MM-dd  HH:mm:ss\t'UTC'", Inv);
        yield return local.ToString("yyyy-M-d H:m:s 'UTC'", Inv);
        yield return local.ToString("yyyy-MM-dd HH :mm:ss", Inv);
        yield return local.ToString("yyyy- MM-dd HH: mm:ss", Inv);
        yield return local.ToString("yyyy-MM-dd HH:mm", Inv);
        yield return local.ToString("yy-MM-dd HH:mm:ss 'UTC'", Inv);
        yield return "0" + text + " UTC";
    }

    private static IEnumerable<string> Oddities() =>
    [
        "", " ", "soon", "null", "true", "0", "1750266000", "1750266000000", "-1", "2025", "2025-06", "2025-6-18",
        "2025-02-30T00:00:00Z", "2025-02-30 00:00:00 UTC", "Sun Mar 02 2025 00:00:00 GMT+0000", "Sun Feb 30 2025 00:00:00 GMT+0000",
        "2025-13-01T00:00:00Z", "2025-06-18T24:00:00Z", "2025-06-18T10:60:00Z", "2025-06-18T10:00:61Z", "2025-06-18 24:00:00 UTC",
        "2016-12-31T23:59:60Z", "2016-12-31T23:59:60.5+00:00", "2016-12-31 23:59:60 UTC", "Sat Dec 31 2016 23:59:60 GMT+0000",
        "2016-12-31T23:59:60.123+0000", "2025-06-18T10:00:00+23:59", "2025-06-18T10:00:00+24:00", "2025-06-18T10:00:00-24:00",
        "2025-06-18T10:00:00.123+2400", "2025-06-18T10:00:00.123+99:59", "2025-06-18T10:00:00.123+0160", "2025-06-18T10:00:00.123+01a0",
        "Wed Jun 18 2025 10:00:00 GMT+2400", "Wed Jun 18 2025 10:00:00 GMT+23:59", "Wed Jun 18 2025 10:00:60 GMT-0700",
        "Wed Jun 18 2025 24:00:00 GMT-0700", "Wed Jun 18 2025 10:00:00 GMT+01:00:00", "Wed Jun 18 2025 10:00:00 Z",
        "Wed Jun 18 2025 10:00:00 +0100", "Wed Jun 18 2025 10:00:00 GMT+0100 GMT", "Wed Jun 18 2025 1:2:3 GMT-0700",
        "Wed Jun 18 2025 10: 00: 00 GMT-0700", "Wed Jun 018 2025 10:00:00 GMT-0700", "Wed Jun 18 02025 10:00:00 GMT-0700",
        "Sat Jan 01 0000 00:00:00 GMT+0000", "Thu Jan 01 1970 00:00:00 GMT+0000", "Wed Dec 31 1969 16:00:00 GMT-0800",
        "+262142-12-31 23:59:59 UTC", "+262143-01-01 00:00:00 UTC", "-262143-01-01 00:00:00 UTC", "-262144-12-31 00:00:00 UTC",
        "+262142-12-31T23:59:59-01:00", "+262142-12-31T23:59:59+01:00", "-262143-01-01T00:00:00+01:00", "-262143-01-01T00:00:00-01:00",
        "+262142-12-31T23:59:60+00:00", "+10000-01-01 00:00:00 UTC", "-0001-01-01 00:00:00 UTC", "-1-01-01 00:00:00 UTC",
        "+1-01-01 00:00:00 UTC", "1-01-01 00:00:00 UTC", "0-01-01 00:00:00 UTC", "-0-01-01 00:00:00 UTC", "+-1-01-01 00:00:00 UTC",
        "- 1-01-01 00:00:00 UTC", " -1-01-01 00:00:00 UTC", "+99999999999-01-01 00:00:00 UTC", "+2147483648-01-01 00:00:00 UTC",
        "+000000000000000002025-06-18 10:00:00 UTC", "0000-01-01T00:00:00Z", "0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59.999999999Z",
        "2025-06-18T10:00:00.000000000001Z", "2025-06-18T10:00:00.+01:00", "2025-06-18T10:00:00. 123+0100", "2025-06-18 T10:00:00+01:00",
        "2025-06-18T 10:00:00+01:00", "2025-06-18T10:00:00 .123+01:00", "2025-06-18T10:00:00+01:00Z", "2025-06-18T10:00:00+0000junk",
        "2025-06-18T10:00:00+00:00:00", "2025-06-18T10:00:00\t+01:00", "2025-06-18T10:00:00+01: 00", "2025-06-18T10:00:00.123 +01 : 00",
        "12025-06-18T10:00:00+01:00", "+12025-06-18T10:00:00+01:00", "-2025-06-18T10:00:00+01:00", "+2025-06-18T10:00:00+01:00",
        "\u20032025-06-18 10:00:00 UTC", "2025-06-18\u200310:00:00\u2003UTC", "2025-06-18\u200b10:00:00 UTC", "2025-06-18 10:00:00 U\u00dfC",
        "Wed\tJun\n18\r2025\u000b10:00:00 GMT-0700", "Ｗed Jun 18 2025 10:00:00 GMT-0700", "Wed Jun 18 2025 10:00:00 GMT-0７00",
        "2025-06-18T10:00:00\ud83d\ude00", "Wed Jun 18 2025 10:00:00 \ud83d\ude00", "Wed Jun 18 2025 10:00:00 GMT-0700 (Alaska Standard Time)",
        "Wed Jun 18 2025 10:00:00 GMT-0800 Pacific Standard Time", "Wed Jun 18 2025 10:00:00 GMTPacific Standard Time-0800",
        "2025-06-18T10:00:00 Pacific Standard Time", "Pacific Standard Time",
    ];

    private static string Offset(TimeSpan offset, string separator) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh", Inv) + separator + offset.Duration().ToString("mm", Inv);

    private static string Rfc3339Z(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", Inv);
}
