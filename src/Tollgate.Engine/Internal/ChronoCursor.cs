namespace Tollgate.Engine.Internal;

/// <summary>
/// Reads text the way chrono's format-string parser does: a number skips leading whitespace and takes 1–2 digits
/// (a year 1–4, or any number of digits after a sign); literals match exactly.
/// </summary>
internal ref struct ChronoCursor
{
    private readonly ReadOnlySpan<char> _text;
    private int _position;

    public ChronoCursor(ReadOnlySpan<char> text)
    {
        _text = text;
        _position = 0;
    }

    public readonly bool AtEnd => _position == _text.Length;

    public readonly ReadOnlySpan<char> Remaining => _text[_position..];

    public bool TryDate(out long year, out int month, out int day)
    {
        month = 0;
        day = 0;
        return TryYear(out year) && TryLiteral('-') && TryNumber(2, out month) && TryLiteral('-') && TryNumber(2, out day);
    }

    public bool TryTime(out int hour, out int minute, out int second)
    {
        minute = 0;
        second = 0;
        return TryNumber(2, out hour) && TryLiteral(':') && TryNumber(2, out minute) && TryLiteral(':') && TryNumber(2, out second);
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

    public void SkipWhitespace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    public void SkipNonWhitespace()
    {
        while (_position < _text.Length && !char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private bool TryYear(out long year)
    {
        year = 0;
        SkipWhitespace();
        if (_position < _text.Length && (_text[_position] == '+' || _text[_position] == '-'))
        {
            var negative = _text[_position] == '-';
            _position++;
            if (!TryDigits(int.MaxValue, out var magnitude))
            {
                return false;
            }

            year = negative ? -magnitude : magnitude;
            return true;
        }

        return TryDigits(4, out year);
    }

    private bool TryNumber(int maxDigits, out int value)
    {
        SkipWhitespace();
        var ok = TryDigits(maxDigits, out var wide);
        value = (int)wide;
        return ok;
    }

    private bool TryDigits(int maxDigits, out long value)
    {
        value = 0;
        var start = _position;
        while (_position < _text.Length && _position - start < maxDigits && char.IsAsciiDigit(_text[_position]))
        {
            // Years beyond chrono's range are rejected later; stop growing before overflow.
            if (value > 1_000_000_000)
            {
                return false;
            }

            value = (value * 10) + (_text[_position] - '0');
            _position++;
        }

        return _position > start;
    }
}
