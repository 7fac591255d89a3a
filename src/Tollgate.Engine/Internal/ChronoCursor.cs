namespace Tollgate.Engine.Internal;

/// <summary>
/// Reads text item by item the way chrono 0.4.45's format-string parser (the one compiled into the reference WASM)
/// does. A space in the format skips any run of Unicode whitespace, including none; a number skips leading whitespace
/// and takes 1–2 ASCII digits (a year 1–4, or any number after a sign); names match ASCII case-insensitively; a
/// literal matches exactly. A method that returns false may have moved the cursor; false fails the whole format, so
/// where the cursor stopped no longer matters.
/// </summary>
internal ref struct ChronoCursor
{
    /// <summary>Past this, a number overflows chrono's checks (i64, then the year range) and the format fails.</summary>
    private const long NumberLimit = 1_000_000_000_000;

    private readonly ReadOnlySpan<char> _text;
    private int _position;

    public ChronoCursor(ReadOnlySpan<char> text)
    {
        _text = text;
        _position = 0;
    }

    public readonly bool AtEnd => _position == _text.Length;

    /// <summary>A space in the format: any run of whitespace, possibly empty (Rust's <c>trim_start</c>).</summary>
    public void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    public bool TryLiteral(char expected)
    {
        if (_position < _text.Length && _text[_position] == expected)
        {
            _position++;
            return true;
        }

        return false;
    }

    public bool TryLiteral(ReadOnlySpan<char> expected)
    {
        if (_text[_position..].StartsWith(expected, StringComparison.Ordinal))
        {
            _position += expected.Length;
            return true;
        }

        return false;
    }

    /// <summary><c>%Y</c>: whitespace, then a sign and any number of digits, or 1–4 digits without one.</summary>
    public bool TryYear(out long year)
    {
        year = 0;
        SkipWhitespace();
        if (_position < _text.Length && (_text[_position] == '+' || _text[_position] == '-'))
        {
            var negative = _text[_position] == '-';
            _position++;
            if (!TryDigits(1, int.MaxValue, out var magnitude))
            {
                return false;
            }

            year = negative ? -magnitude : magnitude;
            return true;
        }

        return TryDigits(1, 4, out year);
    }

    /// <summary><c>%m %d %H %M %S</c>: whitespace, then 1–2 digits. Ranges are checked when the date is built.</summary>
    public bool TryTwoDigitField(out int value)
    {
        SkipWhitespace();
        var ok = TryDigits(1, 2, out var wide);
        value = (int)wide;
        return ok;
    }

    /// <summary><c>%a</c>: the first three letters of an English day name, in any case; 0 is Sunday.</summary>
    public bool TryShortWeekday(out int dayOfWeek) => TryName("sunmontuewedthufrisat", out dayOfWeek);

    /// <summary><c>%b</c>: the first three letters of an English month name, in any case; 1 is January.</summary>
    public bool TryShortMonth(out int month)
    {
        var ok = TryName("janfebmaraprmayjunjulaugsepoctnovdec", out var index);
        month = index + 1;
        return ok;
    }

    /// <summary><c>%.3f</c> when parsing: nothing, or a dot and exactly three digits (fewer or more fail the format).</summary>
    public bool TryOptionalMilliseconds(out int nanos)
    {
        nanos = 0;
        if (!TryLiteral('.'))
        {
            return true;
        }

        if (!TryDigits(3, 3, out var millis))
        {
            return false;
        }

        nanos = (int)millis * 1_000_000;
        return true;
    }

    /// <summary>
    /// <c>%z</c>: whitespace, a sign (<c>+</c>, <c>-</c> or U+2212 MINUS SIGN), two digits of hours (00–99), any run of
    /// colons and whitespace, two digits of minutes (00–59).
    /// </summary>
    public bool TryOffset(out int seconds)
    {
        seconds = 0;
        SkipWhitespace();
        if (_position >= _text.Length)
        {
            return false;
        }

        var sign = _text[_position];
        if (sign != '+' && sign != '-' && sign != '\u2212')
        {
            return false;
        }

        _position++;
        if (!TryDigits(2, 2, out var hours))
        {
            return false;
        }

        while (_position < _text.Length && (_text[_position] == ':' || char.IsWhiteSpace(_text[_position])))
        {
            _position++;
        }

        if (_position + 2 > _text.Length || _text[_position] is < '0' or > '5' || !char.IsAsciiDigit(_text[_position + 1]))
        {
            return false;
        }

        var minutes = ((_text[_position] - '0') * 10) + (_text[_position + 1] - '0');
        _position += 2;
        seconds = (int)((hours * 60) + minutes) * 60 * (sign == '+' ? 1 : -1);
        return true;
    }

    /// <summary><c>%Z</c> when parsing: any run of non-whitespace, possibly empty, read as nothing.</summary>
    public void SkipZoneName()
    {
        while (_position < _text.Length && !char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    /// <summary>Three ASCII letters matching, case-insensitively, one of the three-letter names packed in <paramref name="names"/>.</summary>
    private bool TryName(string names, out int index)
    {
        index = 0;
        if (_position + 3 > _text.Length)
        {
            return false;
        }

        Span<char> lower = stackalloc char[3];
        for (var i = 0; i < 3; i++)
        {
            var c = _text[_position + i];
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }

            lower[i] = char.ToLowerInvariant(c);
        }

        for (var candidate = 0; candidate < names.Length; candidate += 3)
        {
            if (names.AsSpan(candidate, 3).SequenceEqual(lower))
            {
                index = candidate / 3;
                _position += 3;
                return true;
            }
        }

        return false;
    }

    /// <summary>chrono's <c>scan::number</c>: at least <paramref name="min"/> and at most <paramref name="max"/> ASCII digits.</summary>
    private bool TryDigits(int min, int max, out long value)
    {
        value = 0;
        var start = _position;
        while (_position < _text.Length && _position - start < max && char.IsAsciiDigit(_text[_position]))
        {
            value = (value * 10) + (_text[_position] - '0');
            if (value > NumberLimit)
            {
                return false;
            }

            _position++;
        }

        return _position - start >= min;
    }
}
