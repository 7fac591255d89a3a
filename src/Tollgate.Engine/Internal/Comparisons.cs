using Tollgate.Engine.Model;

namespace Tollgate.Engine.Internal;

/// <summary>The operators of spec §3.4 for each comparable type, as the reference engine applies them.</summary>
internal static class Comparisons
{
    public static bool Compare(ComparableText left, ComparableText right, ComparableType type, ComparisonOperator op, long preflightUsage) =>
        type switch
        {
            ComparableType.String => CompareStrings(left.Text, right.Text, op),
            ComparableType.Int => CompareNumbers(preflightUsage > 0 ? WithUsage(left, preflightUsage) : left.Number, right.Number, op),
            ComparableType.Bool => CompareBools(left.Bool, right.Bool, op),
            ComparableType.Date => CompareDates(left.HasDate, left.Date, right.HasDate, right.Date, op),
            _ => false,
        };

    /// <summary>
    /// Preflight usage is added to the trait read as a whole number (text that is not one counts as 0, even "6.5"),
    /// with wrapping 64-bit arithmetic, as the reference engine does.
    /// </summary>
    private static TraitNumber WithUsage(ComparableText left, long usage) => TraitNumber.FromInteger(unchecked(left.Integer + usage));

    public static bool CompareIntegers(long left, long right, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => left == right,
        ComparisonOperator.NotEqual => left != right,
        ComparisonOperator.GreaterThan => left > right,
        ComparisonOperator.LessThan => left < right,
        ComparisonOperator.GreaterThanOrEqual => left >= right,
        ComparisonOperator.LessThanOrEqual => left <= right,
        ComparisonOperator.IsEmpty => left == 0,
        ComparisonOperator.NotEmpty => left > 0,
        _ => false,
    };

    private static bool CompareNumbers(TraitNumber left, TraitNumber right, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => left.CompareTo(right) == 0,
        ComparisonOperator.NotEqual => left.CompareTo(right) != 0,
        ComparisonOperator.GreaterThan => left.CompareTo(right) > 0,
        ComparisonOperator.LessThan => left.CompareTo(right) < 0,
        ComparisonOperator.GreaterThanOrEqual => left.CompareTo(right) >= 0,
        ComparisonOperator.LessThanOrEqual => left.CompareTo(right) <= 0,
        ComparisonOperator.IsEmpty => left.IsZero,
        ComparisonOperator.NotEmpty => left.IsPositive,
        _ => false,
    };

    private static bool CompareStrings(string left, string right, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => string.Equals(left, right, StringComparison.Ordinal),
        ComparisonOperator.NotEqual => !string.Equals(left, right, StringComparison.Ordinal),
        ComparisonOperator.GreaterThan => CompareCodePoints(left, right) > 0,
        ComparisonOperator.LessThan => CompareCodePoints(left, right) < 0,
        ComparisonOperator.GreaterThanOrEqual => CompareCodePoints(left, right) >= 0,
        ComparisonOperator.LessThanOrEqual => CompareCodePoints(left, right) <= 0,
        ComparisonOperator.IsEmpty => left.Length == 0,
        ComparisonOperator.NotEmpty => left.Length != 0,
        _ => false,
    };

    private static bool CompareBools(bool left, bool right, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => left == right,
        ComparisonOperator.NotEqual => left != right,
        ComparisonOperator.IsEmpty => false,
        ComparisonOperator.NotEmpty => true,
        _ => false,
    };

    /// <summary>An unparsed date is empty: two empties are equal, an empty one is before any date.</summary>
    private static bool CompareDates(bool hasLeft, Timestamp left, bool hasRight, Timestamp right, ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => DatesEqual(hasLeft, left, hasRight, right),
        ComparisonOperator.NotEqual => !DatesEqual(hasLeft, left, hasRight, right),
        ComparisonOperator.GreaterThan => DateAfter(hasLeft, left, hasRight, right),
        ComparisonOperator.LessThan => DateBefore(hasLeft, left, hasRight, right),
        ComparisonOperator.GreaterThanOrEqual => DatesEqual(hasLeft, left, hasRight, right) || DateAfter(hasLeft, left, hasRight, right),
        ComparisonOperator.LessThanOrEqual => DatesEqual(hasLeft, left, hasRight, right) || DateBefore(hasLeft, left, hasRight, right),
        ComparisonOperator.IsEmpty => !hasLeft,
        ComparisonOperator.NotEmpty => hasLeft,
        _ => false,
    };

    private static bool DatesEqual(bool hasLeft, Timestamp left, bool hasRight, Timestamp right) =>
        hasLeft == hasRight && (!hasLeft || left == right);

    private static bool DateAfter(bool hasLeft, Timestamp left, bool hasRight, Timestamp right) =>
        hasLeft && (!hasRight || left > right);

    private static bool DateBefore(bool hasLeft, Timestamp left, bool hasRight, Timestamp right) =>
        hasRight && (!hasLeft || left < right);

    /// <summary>Ordinal order by Unicode code point (the order of UTF-8 bytes, which Rust compares), not UTF-16 unit.</summary>
    private static int CompareCodePoints(string left, string right)
    {
        var length = Math.Min(left.Length, right.Length);
        var mismatch = left.AsSpan(0, length).CommonPrefixLength(right.AsSpan(0, length));
        if (mismatch == length)
        {
            return left.Length.CompareTo(right.Length);
        }

        int a = left[mismatch];
        int b = right[mismatch];
        // Surrogates (U+D800–DFFF) encode code points above U+FFFF, which sort after U+E000–FFFF.
        if (a >= 0xD800 && b >= 0xD800)
        {
            a = a >= 0xE000 ? a - 0x800 : a + 0x2000;
            b = b >= 0xE000 ? b - 0x800 : b + 0x2000;
        }

        return a.CompareTo(b);
    }
}
