using Tollgate.Server.Companies;
using Tollgate.Server.Memory;

namespace Tollgate.Server.Usage;

/// <summary>
/// One company's usage counters in memory: the all-time counter and the current and future buckets of each period
/// (past buckets are never read by a check, so they are not kept). Written only by the ingestion writer after a commit;
/// read when the company's view is rebuilt. <see cref="Version"/> tells a view whether it is behind.
/// </summary>
internal sealed class CompanyUsage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Subtype, UsagePeriod Period, long Bucket), long> _values = [];
    private long _version;
    private int _usedSinceSweep;
    private volatile bool _retired;

    /// <summary>Grows by one with every change; a view built at an older version shows stale usage.</summary>
    public long Version => Volatile.Read(ref _version);

    /// <summary>
    /// True once <see cref="UsageCounters"/> evicted these counters: commits no longer reach them, so a view built on
    /// them must read the company's counters again (<see cref="UsageCounters.ForCompanyAsync"/>) before it answers.
    /// </summary>
    public bool Retired => _retired;

    /// <summary>Marks the counters as read by a check (the eviction's reference bit; cheap enough for every warm check).</summary>
    public void MarkUsed()
    {
        if (Volatile.Read(ref _usedSinceSweep) == 0)
        {
            Volatile.Write(ref _usedSinceSweep, 1);
        }
    }

    /// <summary>True when read since the last call (the eviction's hand clears the bit).</summary>
    public bool TakeUsed() => Interlocked.Exchange(ref _usedSinceSweep, 0) == 1;

    /// <summary>Evicted or forgotten: see <see cref="Retired"/>. Eviction calls it under the counters' gate, so no commit is applying deltas.</summary>
    public void Retire() => _retired = true;

    /// <summary>A company nothing has been tracked for.</summary>
    public static CompanyUsage Empty() => new();

    /// <summary>Adds to a counter (also used to load the stored ones).</summary>
    public void Add(string subtype, UsagePeriod period, long bucket, long amount)
    {
        lock (_lock)
        {
            var key = (subtype, period, bucket);
            if (!_values.TryGetValue(key, out var value))
            {
                // A new counter keeps the shared copy of its subtype (the event's own string would live as long as it).
                key = (SharedStrings.Of(subtype), period, bucket);
            }

            // Saturates rather than wraps: a counter that wrapped negative would let limits pass again. Commits never
            // take a stored counter past the ceiling, so this only guards the arithmetic.
            _values[key] = amount > UsageCounters.Ceiling - value ? UsageCounters.Ceiling : value + amount;
            Interlocked.Increment(ref _version);
        }
    }

    /// <summary>Replaces every counter with the stored ones (another node wrote some).</summary>
    public void Replace(IEnumerable<(string Subtype, UsagePeriod Period, long Bucket, long Value)> stored)
    {
        lock (_lock)
        {
            _values.Clear();
            foreach (var (subtype, period, bucket, value) in stored)
            {
                _values[(subtype, period, bucket)] = value;
            }

            Interlocked.Increment(ref _version);
        }
    }

    /// <summary>The value of a counter for the period containing <paramref name="now"/>.</summary>
    public long ValueAt(string subtype, UsagePeriod period, DateTimeOffset now, SubscriptionPeriod? subscription)
    {
        var bucket = UsagePeriods.BucketOf(period, now, subscription);
        lock (_lock)
        {
            return _values.GetValueOrDefault((subtype, period, bucket));
        }
    }

    /// <summary>
    /// The engine's metrics at <paramref name="now"/>: for every event subtype the company has used, one metric per
    /// period and month reset, with the counters' values at this call.
    /// </summary>
    public CompanyMetricValues MetricsAt(string environmentId, string companyId, DateTimeOffset now, SubscriptionPeriod? subscription)
    {
        var buckets = Array.ConvertAll(UsagePeriods.All, period => UsagePeriods.BucketOf(period, now, subscription));
        string[] subtypes;
        long[] values;
        lock (_lock)
        {
            subtypes = [.. _values.Keys.Select(k => k.Subtype).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
            values = new long[subtypes.Length * UsagePeriods.All.Length];
            for (var s = 0; s < subtypes.Length; s++)
            {
                for (var p = 0; p < UsagePeriods.All.Length; p++)
                {
                    values[(s * UsagePeriods.All.Length) + p] = _values.GetValueOrDefault((subtypes[s], UsagePeriods.All[p], buckets[p]));
                }
            }
        }

        return new CompanyMetricValues(environmentId, companyId, subtypes, values, now, subscription);
    }

    /// <summary>Forgets buckets that ended at or before <paramref name="now"/>.</summary>
    public void DropEndedBuckets(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        lock (_lock)
        {
            foreach (var key in _values.Keys.Where(k => k.Bucket != UsagePeriods.Forever && k.Bucket <= nowMs).ToList())
            {
                _values.Remove(key);
            }
        }
    }
}
