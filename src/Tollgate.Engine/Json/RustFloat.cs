using System.Globalization;
using System.Text;

namespace Tollgate.Engine.Json;

/// <summary>
/// Writes a double as serde_json does: the shortest digits that round-trip, plain when the decimal exponent is in
/// [-5, 16) (with <c>.0</c> for whole numbers), otherwise scientific as <c>1.5e+20</c> or <c>1e-7</c>.
/// </summary>
internal static class RustFloat
{
    public static void Append(StringBuilder builder, double value)
    {
        if (!double.IsFinite(value))
        {
            // serde_json writes non-finite floats as null.
            builder.Append("null");
            return;
        }

        if (value == 0)
        {
            builder.Append(double.IsNegative(value) ? "-0.0" : "0.0");
            return;
        }

        // "R" gives the shortest digits that round-trip (as Rust's ryu does); only the layout differs.
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = roundTrip.StartsWith('-');
        var text = negative ? roundTrip[1..] : roundTrip;
        var exponentAt = text.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt >= 0 ? text[..exponentAt] : text;
        var exponent = exponentAt >= 0 ? int.Parse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point >= 0 ? mantissa.Remove(point, 1) : mantissa;
        var pointPosition = (point >= 0 ? point : mantissa.Length) + exponent;

        // Normalise to significant digits d1d2…dn with the value 0.d1…dn × 10^pointPosition.
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        digits = digits[leadingZeros..].TrimEnd('0');
        pointPosition -= leadingZeros;
        if (digits.Length == 0)
        {
            digits = "0";
        }

        var decimalExponent = pointPosition - 1;
        if (negative)
        {
            builder.Append('-');
        }

        if (decimalExponent is >= -5 and < 16)
        {
            if (pointPosition <= 0)
            {
                builder.Append("0.").Append('0', -pointPosition).Append(digits);
            }
            else if (pointPosition >= digits.Length)
            {
                builder.Append(digits).Append('0', pointPosition - digits.Length).Append(".0");
            }
            else
            {
                builder.Append(digits, 0, pointPosition).Append('.').Append(digits, pointPosition, digits.Length - pointPosition);
            }

            return;
        }

        builder.Append(digits[0]);
        if (digits.Length > 1)
        {
            builder.Append('.').Append(digits, 1, digits.Length - 1);
        }

        builder.Append('e').Append(decimalExponent < 0 ? '-' : '+').Append(Math.Abs(decimalExponent).ToString(CultureInfo.InvariantCulture));
    }
}
