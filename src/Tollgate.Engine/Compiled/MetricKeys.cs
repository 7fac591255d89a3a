using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>
/// One string per (event subtype, period, month reset), so that a metric lookup hashes one string. The key is the
/// subtype followed by a fixed three-character suffix, so equal keys always mean an equal subtype, period and reset.
/// </summary>
internal static class MetricKeys
{
    public static string Of(string eventSubtype, MetricPeriod period, MonthReset monthReset) =>
        string.Concat(eventSubtype, "\0", ((char)('\u0001' + (int)period)).ToString(), ((char)('\u0001' + (int)monthReset)).ToString());
}
