namespace Tollgate.Engine.Internal;

/// <summary>
/// Parses date text exactly as the reference engine does (spec §3.11). Its Rust source is not public; what follows was
/// read from the WASM (the format strings in its data, the order of its calls) and confirmed case by case on it through
/// tests/oracle. It uses chrono 0.4.45 and tries, in order:
/// <list type="number">
/// <item>the formats <c>%Y-%m-%d %H:%M:%S %Z</c>, <c>%Y-%m-%dT%H:%M:%S%.3f%z</c>, <c>%a %b %d %Y %H:%M:%S GMT%z</c>
/// (JavaScript's <c>Date.toString()</c> without the zone name in brackets) and <c>%a %b %d %Y %H:%M:%S %Z</c>, each
/// first with the offset applied and then, if that fails, as UTC wall time with any offset ignored
/// (see <see cref="ChronoCursor"/> and <see cref="ParsedDateTime"/> for how each item reads);</item>
/// <item>strict RFC 3339 (<see cref="TryParseRfc3339"/>); with a space for the <c>T</c> it reads nothing the first format has not read already.</item>
/// </list>
/// The engine's list also holds <c>%Y-%m-%d</c> and <c>%a %b %d %Y</c>, which never yield a date and time, and
/// <c>%a %b %d %Y %H:%M:%S GMT%z</c> a second time. After all of them fail it replaces six US zone names
/// ("Pacific Standard Time" → "PST", …) and tries the formats with an offset again; no text that failed before can
/// pass then (an abbreviation can only be read by <c>%Z</c>, and those formats carry no offset), so that step is left out.
/// </summary>
internal static class DateTextParser
{
    public static bool TryParse(ReadOnlySpan<char> text, out Timestamp value) =>
        TryDashedWithZoneName(text, out value) || TryDashedWithOffset(text, out value)
        || TryJavaScriptWithOffset(text, out value) || TryJavaScriptWithZoneName(text, out value)
        || TryParseRfc3339(text, out value);

    /// <summary><c>%Y-%m-%d %H:%M:%S %Z</c>.</summary>
    private static bool TryDashedWithZoneName(ReadOnlySpan<char> text, out Timestamp value)
    {
        value = default;
        var cursor = new ChronoCursor(text);
        if (!TryDashedDate(ref cursor, out var year, out var month, out var day))
        {
            return false;
        }

        cursor.SkipWhitespace();
        if (!TryTime(ref cursor, out var hour, out var minute, out var second))
        {
            return false;
        }

        cursor.SkipWhitespace();
        cursor.SkipZoneName();
        return cursor.AtEnd
            && new ParsedDateTime { Year = year, Month = month, Day = day, Hour = hour, Minute = minute, Second = second, DayOfWeek = -1 }
                .TryResolve(out value);
    }

    /// <summary><c>%Y-%m-%dT%H:%M:%S%.3f%z</c>.</summary>
    private static bool TryDashedWithOffset(ReadOnlySpan<char> text, out Timestamp value)
    {
        value = default;
        var cursor = new ChronoCursor(text);
        if (!TryDashedDate(ref cursor, out var year, out var month, out var day) || !cursor.TryLiteral('T')
            || !TryTime(ref cursor, out var hour, out var minute, out var second)
            || !cursor.TryOptionalMilliseconds(out var nanos) || !cursor.TryOffset(out var offset) || !cursor.AtEnd)
        {
            return false;
        }

        return new ParsedDateTime
        {
            Year = year, Month = month, Day = day, Hour = hour, Minute = minute, Second = second, Nanos = nanos,
            DayOfWeek = -1, OffsetSeconds = offset,
        }.TryResolve(out value);
    }

    /// <summary><c>%a %b %d %Y %H:%M:%S GMT%z</c>, e.g. <c>Wed Jun 18 2025 10:00:00 GMT-0700</c>.</summary>
    private static bool TryJavaScriptWithOffset(ReadOnlySpan<char> text, out Timestamp value)
    {
        value = default;
        var cursor = new ChronoCursor(text);
        if (!TryJavaScriptDateTime(ref cursor, out var parsed))
        {
            return false;
        }

        cursor.SkipWhitespace();
        if (!cursor.TryLiteral("GMT") || !cursor.TryOffset(out var offset) || !cursor.AtEnd)
        {
            return false;
        }

        return (parsed with { OffsetSeconds = offset }).TryResolve(out value);
    }

    /// <summary><c>%a %b %d %Y %H:%M:%S %Z</c>, e.g. <c>Wed Jun 18 2025 10:00:00 PDT</c> (read as UTC).</summary>
    private static bool TryJavaScriptWithZoneName(ReadOnlySpan<char> text, out Timestamp value)
    {
        value = default;
        var cursor = new ChronoCursor(text);
        if (!TryJavaScriptDateTime(ref cursor, out var parsed))
        {
            return false;
        }

        cursor.SkipWhitespace();
        cursor.SkipZoneName();
        return cursor.AtEnd && parsed.TryResolve(out value);
    }

    /// <summary><c>%Y-%m-%d</c>.</summary>
    private static bool TryDashedDate(ref ChronoCursor cursor, out long year, out int month, out int day)
    {
        month = 0;
        day = 0;
        return cursor.TryYear(out year) && cursor.TryLiteral('-') && cursor.TryTwoDigitField(out month)
            && cursor.TryLiteral('-') && cursor.TryTwoDigitField(out day);
    }

    /// <summary><c>%H:%M:%S</c>.</summary>
    private static bool TryTime(ref ChronoCursor cursor, out int hour, out int minute, out int second)
    {
        minute = 0;
        second = 0;
        return cursor.TryTwoDigitField(out hour) && cursor.TryLiteral(':') && cursor.TryTwoDigitField(out minute)
            && cursor.TryLiteral(':') && cursor.TryTwoDigitField(out second);
    }

    /// <summary><c>%a %b %d %Y %H:%M:%S</c>.</summary>
    private static bool TryJavaScriptDateTime(ref ChronoCursor cursor, out ParsedDateTime parsed)
    {
        parsed = default;
        if (!cursor.TryShortWeekday(out var dayOfWeek))
        {
            return false;
        }

        cursor.SkipWhitespace();
        if (!cursor.TryShortMonth(out var month))
        {
            return false;
        }

        cursor.SkipWhitespace();
        if (!cursor.TryTwoDigitField(out var day))
        {
            return false;
        }

        cursor.SkipWhitespace();
        if (!cursor.TryYear(out var year))
        {
            return false;
        }

        cursor.SkipWhitespace();
        if (!TryTime(ref cursor, out var hour, out var minute, out var second))
        {
            return false;
        }

        parsed = new ParsedDateTime
        {
            Year = year, Month = month, Day = day, Hour = hour, Minute = minute, Second = second, DayOfWeek = dayOfWeek,
        };
        return true;
    }

    /// <summary>
    /// chrono's <c>DateTime::parse_from_rfc3339</c>: <c>YYYY-MM-DD(T|t| )HH:MM:SS[.digits](Z|z|±HH:MM)</c> with
    /// exactly these widths, the colon required, U+2212 accepted as a minus sign, the offset under 24 hours and
    /// applied; a fraction's digits past the ninth are dropped. Subscription periods are read with this alone.
    /// </summary>
    public static bool TryParseRfc3339(ReadOnlySpan<char> text, out Timestamp value)
    {
        value = default;
        if (text.Length < 20
            || !TryFixedDigits(text[..4], out var year) || text[4] != '-'
            || !TryFixedDigits(text.Slice(5, 2), out var month) || text[7] != '-'
            || !TryFixedDigits(text.Slice(8, 2), out var day) || text[10] is not ('T' or 't' or ' ')
            || !TryFixedDigits(text.Slice(11, 2), out var hour) || text[13] != ':'
            || !TryFixedDigits(text.Slice(14, 2), out var minute) || text[16] != ':'
            || !TryFixedDigits(text.Slice(17, 2), out var second))
        {
            return false;
        }

        var rest = text[19..];
        var nanos = 0;
        if (rest.Length > 0 && rest[0] == '.')
        {
            var digits = CountDigits(rest[1..]);
            if (digits == 0)
            {
                return false;
            }

            nanos = FractionToNanos(rest.Slice(1, digits));
            rest = rest[(1 + digits)..];
        }

        int offsetSeconds;
        if (rest.Length == 1 && (rest[0] == 'Z' || rest[0] == 'z'))
        {
            offsetSeconds = 0;
        }
        else if (rest.Length != 6 || (rest[0] != '+' && rest[0] != '-' && rest[0] != '\u2212')
                 || !TryFixedDigits(rest.Slice(1, 2), out var offsetHours) || rest[3] != ':'
                 || !TryFixedDigits(rest.Slice(4, 2), out var offsetMinutes) || offsetMinutes > 59)
        {
            return false;
        }
        else
        {
            offsetSeconds = ((offsetHours * 60) + offsetMinutes) * 60 * (rest[0] == '+' ? 1 : -1);
            if (offsetSeconds <= -Timestamp.SecondsPerDay || offsetSeconds >= Timestamp.SecondsPerDay)
            {
                return false;
            }
        }

        return new ParsedDateTime
        {
            Year = year, Month = month, Day = day, Hour = hour, Minute = minute, Second = second, Nanos = nanos, DayOfWeek = -1,
        }.TryToInstant(offsetSeconds, out value);
    }

    private static bool TryFixedDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static int CountDigits(ReadOnlySpan<char> text)
    {
        var count = 0;
        while (count < text.Length && char.IsAsciiDigit(text[count]))
        {
            count++;
        }

        return count;
    }

    /// <summary>The first nine digits of a fraction as nanoseconds; further digits are dropped, as chrono does.</summary>
    private static int FractionToNanos(ReadOnlySpan<char> digits)
    {
        var nanos = 0;
        for (var i = 0; i < 9; i++)
        {
            nanos = (nanos * 10) + (i < digits.Length ? digits[i] - '0' : 0);
        }

        return nanos;
    }
}
