using System.Globalization;

namespace Tollgate.Engine.Internal;

/// <summary>
/// An int-comparable trait value as the reference engine reads it (spec §3.11): a whole number (Rust's <c>i64</c>
/// grammar) stays an integer; otherwise a finite number (Rust's <c>f64</c> grammar: <c>.5</c>, <c>5.</c>, <c>1e3</c>)
/// is a double; anything else is 0. Two integers compare exactly; any other pair compares as doubles.
/// </summary>
internal readonly struct TraitNumber
{
    private readonly long _integer;
    private readonly double _real;

    private TraitNumber(long integer, double real, bool isInteger)
    {
        _integer = integer;
        _real = real;
        IsInteger = isInteger;
    }

    public bool IsInteger { get; }

    public static TraitNumber Zero => FromInteger(0);

    public static TraitNumber FromInteger(long value) => new(value, 0, isInteger: true);

    public static TraitNumber Parse(ReadOnlySpan<char> text)
    {
        if (TryParseInteger(text, out var integer))
        {
            return FromInteger(integer);
        }

        if (IsRustFloatSyntax(text)
            && double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var real)
            && double.IsFinite(real))
        {
            return new TraitNumber(0, real, isInteger: false);
        }

        return Zero;
    }

    /// <summary>Rust's <c>str::parse::&lt;i64&gt;</c>: an optional sign and digits, nothing else.</summary>
    public static bool TryParseInteger(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
        && text.Length > 0 && !char.IsWhiteSpace(text[0]) && !char.IsWhiteSpace(text[^1]);

    public int CompareTo(TraitNumber other) =>
        IsInteger && other.IsInteger ? _integer.CompareTo(other._integer) : AsDouble.CompareTo(other.AsDouble);

    public bool IsZero => IsInteger ? _integer == 0 : _real == 0;

    public bool IsPositive => IsInteger ? _integer > 0 : _real > 0;

    private double AsDouble => IsInteger ? _integer : _real;

    /// <summary>Rust's float grammar: sign, digits with an optional point (a digit on at least one side), exponent.</summary>
    private static bool IsRustFloatSyntax(ReadOnlySpan<char> text)
    {
        var i = 0;
        if (i < text.Length && (text[i] == '+' || text[i] == '-'))
        {
            i++;
        }

        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                i++;
            }

            var exponentDigits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        return i == text.Length;
    }
}
