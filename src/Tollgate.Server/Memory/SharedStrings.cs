using System.Collections.Concurrent;
using System.Globalization;

namespace Tollgate.Server.Memory;

/// <summary>
/// One instance of the strings many warm companies repeat (event subtypes read with each counter row, the reset instants
/// of the current periods), so that each company's view refers to them instead of holding its own copy. Bounded: once
/// <see cref="Capacity"/> strings are held, the pool is emptied and starts again (a string is still answered, only not
/// shared), so an unusual workload costs some sharing, never unbounded memory. Thread-safe.
/// </summary>
internal static class SharedStrings
{
    /// <summary>The most strings (and texts of instants) held; far above what one catalog and one day produce.</summary>
    public const int Capacity = 16_384;

    private static readonly ConcurrentDictionary<string, string> Strings = new(StringComparer.Ordinal);
    private static int _stringsAdded;
    // Keyed by ticks and offset: DateTimeOffset equality ignores the offset, but the text shows it.
    private static readonly ConcurrentDictionary<(long UtcTicks, TimeSpan Offset, string Format), string> Instants = new();
    private static int _instantsAdded;

    /// <summary>The pool's instance of <paramref name="value"/> (equal to it).</summary>
    public static string Of(string value)
    {
        if (Strings.TryGetValue(value, out var shared))
        {
            return shared;
        }

        // Counted with a field, not ConcurrentDictionary.Count (which takes every lock); a race may clear twice, harmlessly.
        if (Interlocked.Increment(ref _stringsAdded) > Capacity)
        {
            Strings.Clear();
            Volatile.Write(ref _stringsAdded, 0);
        }

        return Strings.GetOrAdd(value, value);
    }

    /// <summary>The pool's instance of <paramref name="at"/> formatted with <paramref name="format"/> (invariant culture).</summary>
    public static string Of(DateTimeOffset at, string format)
    {
        var key = (at.UtcTicks, at.Offset, format);
        if (Instants.TryGetValue(key, out var shared))
        {
            return shared;
        }

        if (Interlocked.Increment(ref _instantsAdded) > Capacity)
        {
            Instants.Clear();
            Volatile.Write(ref _instantsAdded, 0);
        }

        var text = at.ToString(format, CultureInfo.InvariantCulture);
        Instants[key] = text;
        return text;
    }
}
