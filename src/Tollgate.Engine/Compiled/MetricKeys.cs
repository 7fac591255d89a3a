using System.Collections.Concurrent;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Compiled;

/// <summary>
/// One string per (event subtype, period, month reset), so that a metric lookup hashes one string. The key is the
/// subtype followed by a fixed three-character suffix, so equal keys always mean an equal subtype, period and reset.
/// </summary>
/// <remarks>
/// Every compiled company holds a key per metric; the keys are shared (a bounded pool) so that thousands of companies
/// with the same subtypes hold one copy of each instead of their own.
/// </remarks>
internal static class MetricKeys
{
    // Far above the subtypes × periods × resets of any catalog; past it the pool starts again (keys stay correct, only unshared).
    private const int Capacity = 4_096;
    private static readonly ConcurrentDictionary<(string Subtype, MetricPeriod Period, MonthReset Reset), string> Shared = new();
    private static int _added;

    public static string Of(string eventSubtype, MetricPeriod period, MonthReset monthReset)
    {
        if (Shared.TryGetValue((eventSubtype, period, monthReset), out var key))
        {
            return key;
        }

        // Counted with a field, not ConcurrentDictionary.Count (which takes every lock); a race may clear twice, harmlessly.
        if (Interlocked.Increment(ref _added) > Capacity)
        {
            Shared.Clear();
            Volatile.Write(ref _added, 0);
        }

        key = string.Concat(eventSubtype, "\0", ((char)('\u0001' + (int)period)).ToString(), ((char)('\u0001' + (int)monthReset)).ToString());
        return Shared.GetOrAdd((eventSubtype, period, monthReset), key);
    }
}
