using System.Globalization;

namespace Tollgate.Server.WebConsole.Charts;

/// <summary>Number formats and axis steps of the console's charts (invariant culture: the console is in English).</summary>
public static class ChartNumbers
{
    /// <summary>A whole number with thousands separators: 7,340.</summary>
    public static string Whole(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A short axis label: 950, 1.5k, 20k, 3M.</summary>
    public static string Abbreviated(long value) => Math.Abs(value) switch
    {
        >= 1_000_000_000 => Scaled(value, 1_000_000_000, "B"),
        >= 1_000_000 => Scaled(value, 1_000_000, "M"),
        >= 10_000 => Scaled(value, 1_000, "k"),
        _ => Whole(value),
    };

    /// <summary>
    /// The percentage of <paramref name="used"/> in <paramref name="limit"/>, rounded down: 99.9 % shows as 99 %, so
    /// "100 %" appears only once the limit is reached.
    /// </summary>
    public static long PercentOf(long used, long limit) => limit <= 0 ? (used > 0 ? 100 : 0) : (long)Math.Floor(100.0 * used / limit);

    /// <summary>The axis step and top for values up to <paramref name="max"/>: about four steps of 1, 2, 2.5 or 5 × 10ⁿ.</summary>
    public static (long Step, long Top) Axis(long max)
    {
        if (max <= 0)
        {
            return (1, 4);
        }

        var raw = max / 4.0;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        var whole = Math.Max(1, (long)Math.Ceiling(step));
        var top = (long)Math.Ceiling((double)max / whole) * whole;
        return (whole, top);
    }

    private static string Scaled(long value, long unit, string suffix) =>
        (value / (double)unit).ToString(value % unit == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + suffix;
}
