using System.Collections.Concurrent;

namespace Tollgate.Server.Evaluation;

/// <summary>
/// Keys that named no company (or no user) when last looked up, so that checks for unknown entities — a common
/// mistake, and cheap to flood — do not each read the database. Any write of an entity of the kind makes every
/// remembered miss stale (<see cref="Invalidate"/>): a company created a moment ago is found by the next check.
/// </summary>
internal sealed class UnknownKeys
{
    /// <summary>Past this many remembered misses, they are all forgotten (a flood of random keys cannot grow memory).</summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<(string Key, string Value), long> _misses = new();
    private long _generation;

    /// <summary>The generation to pass to <see cref="Remember"/>: read it before the lookup that may miss.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>True when every pair of <paramref name="keys"/> missed since the last write.</summary>
    public bool AllMissing(IReadOnlyDictionary<string, string> keys)
    {
        var generation = Generation;
        foreach (var pair in keys)
        {
            if (!_misses.TryGetValue((pair.Key, pair.Value), out var at) || at != generation)
            {
                return false;
            }
        }

        return keys.Count > 0;
    }

    /// <summary>Remembers that <paramref name="keys"/> named nothing, as of <paramref name="generation"/>.</summary>
    public void Remember(IReadOnlyDictionary<string, string> keys, long generation)
    {
        if (_misses.Count >= Capacity)
        {
            _misses.Clear();
        }

        foreach (var pair in keys)
        {
            _misses[(pair.Key, pair.Value)] = generation;
        }
    }

    /// <summary>An entity of this kind was written: every remembered miss may now be wrong.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);
}
