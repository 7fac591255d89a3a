namespace Tollgate.Engine.Internal;

/// <summary>
/// Parses date text exactly as far as the reference engine (Rust chrono) does (spec §3.10–§3.11), tried in order:
/// <list type="number">
/// <item>RFC 3339: <c>YYYY-MM-DDTHH:MM:SS[.f…](Z|±HH[:]MM)</c>, separator <c>T</c> or <c>t</c>, offset below 24 h, applied.</item>
/// <item><c>%Y-%m-%d %H:%M:%S %Z</c>: numbers of 1–2 digits (years 1–4, or any with a sign), whitespace optional and
/// free, and any run of non-space characters as the zone, which is ignored.</item>
/// <item><c>%Y-%m-%dT%H:%M:%S%z</c>: as above with a literal <c>T</c> and a numeric offset (hours 00–99), ignored.</item>
/// </list>
/// Bare dates and JavaScript <c>Date.toString()</c> text do not parse.
/// </summary>
internal static class DateTextParser
{
    public static bool TryParse(ReadOnlySpan<char> text, out Timestamp value) =>
        TryParseRfc3339(text, out value) || TryParseWithZoneName(text, out value) || TryParseWithIgnoredOffset(text, out value);

    /// <summary>The strict RFC 3339 form, which is also the only one subscription periods accept.</summary>
    public static bool TryParseRfc3339(ReadOnlySpan<char> text, out Timestamp value)
    {
        value = default;
        if (text.Length < 20
            || !TryFixedDigits(text[..4], out var year) || text[4] != '-'
            || !TryFixedDigits(text.Slice(5, 2), out var month) || text[7] != '-'
            || !TryFixedDigits(text.Slice(8, 2), out var day) || (text[10] != 'T' && text[10] != 't')
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
        else if (!TryParseOffset(rest, allowLeadingSpace: false, out offsetSeconds, out var consumed) || consumed != rest.Length
                 || Math.Abs(offsetSeconds) >= Timestamp.SecondsPerDay)
        {
            return false;
        }

        return TryBuild(year, month, day, hour, minute, second, nanos, offsetSeconds, out value);
    }

    private static bool TryParseWithZoneName(ReadOnlySpan<char> text, out Timestamp value)
    {
        value = default;
        var cursor = new ChronoCursor(text);
        if (!cursor.TryDate(out var year, out var month, out var day))
        {
            return false;
        }

        cursor.SkipWhitespace();
        if (!cursor.TryTime(out var hour, out var minute, out var second))
        {
            return false;
        }

        cursor.SkipWhitespace();
        cursor.SkipNonWhitespace();
        return cursor.AtEnd && TryBuild(year, month, day, hour, minute, second, 0, 0, out value);
    }

    private static bool TryParseWithIgnoredOffset(ReadOnlySpan<char> text, out Timestamp value)
    {
        value = default;
        var cursor = new ChronoCursor(text);
        if (!cursor.TryDate(out var year, out var month, out var day) || !cursor.TryLiteral('T')
            || !cursor.TryTime(out var hour, out var minute, out var second))
        {
            return false;
        }

        cursor.SkipWhitespace();
        if (!TryParseOffset(cursor.Remaining, allowLeadingSpace: true, out _, out var consumed) || consumed != cursor.Remaining.Length)
        {
            return false;
        }

        return TryBuild(year, month, day, hour, minute, second, 0, 0, out value);
    }

    /// <summary><c>±HH[:]MM</c>; with <paramref name="allowLeadingSpace"/>, colons or spaces may separate hours and minutes.</summary>
    private static bool TryParseOffset(ReadOnlySpan<char> text, bool allowLeadingSpace, out int seconds, out int consumed)
    {
        seconds = 0;
        consumed = 0;
        if (text.Length < 5 || (text[0] != '+' && text[0] != '-') || !TryFixedDigits(text.Slice(1, 2), out var hours))
        {
            return false;
        }

        var position = 3;
        if (allowLeadingSpace)
        {
            while (position < text.Length && (text[position] == ':' || char.IsWhiteSpace(text[position])))
            {
                position++;
            }
        }
        else if (text[position] == ':')
        {
            position++;
        }

        if (position + 2 > text.Length || !TryFixedDigits(text.Slice(position, 2), out var minutes) || minutes >= 60)
        {
            return false;
        }

        seconds = ((hours * 60) + minutes) * 60 * (text[0] == '-' ? -1 : 1);
        consumed = position + 2;
        return true;
    }

    private static bool TryBuild(long year, int month, int day, int hour, int minute, int second, int nanos, int offsetSeconds, out Timestamp value)
    {
        value = default;
        if (!CivilDate.IsValid(year, month, day) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        if (second == 60)
        {
            second = 59;
            nanos += 1_000_000_000;
        }

        var dayNumber = new CivilDate(year, month, day).DayNumber;
        value = Timestamp.FromDay(dayNumber, (hour * 3600) + (minute * 60) + second - offsetSeconds, nanos);
        return true;
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
