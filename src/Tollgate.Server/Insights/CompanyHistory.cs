using Tollgate.Server.Companies;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Insights;

/// <summary>
/// The stored counters of one company that its signals read: the current ones, the day counters of the last days (the
/// per-company daily rollup: <c>usage_counters</c>' day period, written in each commit's transaction and never pruned)
/// and the counters of the last ended periods.
/// </summary>
internal sealed class CompanyHistory
{
    /// <summary>One day in milliseconds.</summary>
    public const long DayMs = 86_400_000;

    private readonly Dictionary<(string Subtype, UsagePeriod Period, long Bucket), long> _values = [];

    /// <summary>Every subtype the company has a counter of.</summary>
    public HashSet<string> Subtypes { get; } = new(StringComparer.Ordinal);

    public void Add(string subtype, UsagePeriod period, long bucket, long value)
    {
        _values[(subtype, period, bucket)] = value;
        Subtypes.Add(subtype);
    }

    /// <summary>The value of one counter (0 when none was written).</summary>
    public long Value(string subtype, UsagePeriod period, long bucket) => _values.GetValueOrDefault((subtype, period, bucket));

    /// <summary>The counters of the periods running at <paramref name="now"/> and all time, as a check loads them.</summary>
    public IEnumerable<(string Subtype, UsagePeriod Period, long Bucket, long Value)> Current(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        return _values.Where(v => v.Key.Bucket == UsagePeriods.Forever || v.Key.Bucket > nowMs).Select(v => (v.Key.Subtype, v.Key.Period, v.Key.Bucket, v.Value));
    }

    /// <summary>The usage of the days whose first instant is in [<paramref name="fromDay"/>, <paramref name="untilDay"/>) (Unix ms, midnights).</summary>
    public long Days(string subtype, long fromDay, long untilDay)
    {
        long sum = 0;
        for (var day = fromDay; day < untilDay; day += DayMs)
        {
            sum = Saturating(sum, Value(subtype, UsagePeriod.Day, day + DayMs));
        }

        return sum;
    }

    /// <summary>
    /// The usage of <paramref name="period"/> counted by the end of the day starting at <paramref name="day"/>: the
    /// stored counter of the period containing that day, less the days after it in the same period.
    /// </summary>
    public long RunningAt(string subtype, UsagePeriod period, long day, long today, SubscriptionPeriod? subscription)
    {
        if (period == UsagePeriod.Day)
        {
            return Value(subtype, period, day + DayMs);
        }

        var bucket = UsagePeriods.BucketOf(period, DateTimeOffset.FromUnixTimeMilliseconds(day + DayMs - 1), subscription);
        var running = Value(subtype, period, bucket);
        for (var later = day + DayMs; later <= today; later += DayMs)
        {
            if (UsagePeriods.BucketOf(period, DateTimeOffset.FromUnixTimeMilliseconds(later), subscription) == bucket)
            {
                running -= Value(subtype, UsagePeriod.Day, later + DayMs);
            }
        }

        return Math.Max(running, 0);
    }

    /// <summary>
    /// The buckets (end instants) of the last <paramref name="count"/> ended periods before <paramref name="now"/>,
    /// newest first; fewer for all time (none) or a subscription younger than that.
    /// </summary>
    public static List<long> EndedBuckets(UsagePeriod period, DateTimeOffset now, SubscriptionPeriod? subscription, int count)
    {
        var ended = new List<long>(count);
        if (period == UsagePeriod.AllTime)
        {
            return ended;
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        var maxDays = period switch
        {
            UsagePeriod.Day => count + 1,
            UsagePeriod.Week => (count + 1) * 7,
            _ => (count + 1) * 31,
        };
        for (var back = 1; back <= maxDays && ended.Count < count; back++)
        {
            var bucket = UsagePeriods.BucketOf(period, now.AddDays(-back), subscription);
            if (bucket <= nowMs && !ended.Contains(bucket))
            {
                ended.Add(bucket);
            }
        }

        return ended;
    }

    public static long Saturating(long a, long b) => b > long.MaxValue - a ? long.MaxValue : a + b;
}
