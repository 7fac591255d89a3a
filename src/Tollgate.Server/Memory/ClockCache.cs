using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Tollgate.Server.Memory;

/// <summary>
/// A map of at most <see cref="Capacity"/> entries that evicts with the CLOCK algorithm: a read sets the entry's
/// reference bit (no lock, no allocation); adding past the capacity sweeps a hand over the slots, clearing set bits,
/// and evicts the first entry whose bit was already clear — one that was not read since the hand last passed it.
/// </summary>
/// <remarks>
/// Reads are lock-free. Adds, replacements and removals take one lock, so the slot ring and the map always agree and
/// the caller's <c>onEvicted</c> runs inside it (in step with the removal: a later add of the same key cannot be undone
/// by an eviction of the earlier one).
/// </remarks>
internal sealed class ClockCache<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries;
    private readonly Entry?[] _slots;
    private readonly Stack<int> _freeSlots = new();
    private readonly Lock _lock = new();
    private readonly Action<TKey, TValue> _onEvicted;
    private readonly Func<TValue, bool>? _takeValueReference;
    private int _used;
    private int _hand;
    private long _evictions;

    /// <param name="capacity">The most entries held.</param>
    /// <param name="onEvicted">Called, under the cache's lock, for an entry evicted to make room (not for <see cref="Remove"/>).</param>
    /// <param name="comparer">Compares keys; the default comparer when null.</param>
    /// <param name="takeValueReference">
    /// A second reference bit kept by the value itself, taken (read and cleared) by the hand: for values used through
    /// references held elsewhere, without a <see cref="TryGet"/>.
    /// </param>
    public ClockCache(int capacity, Action<TKey, TValue> onEvicted, IEqualityComparer<TKey>? comparer = null, Func<TValue, bool>? takeValueReference = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        (Capacity, _onEvicted, _takeValueReference) = (capacity, onEvicted, takeValueReference);
        _entries = new ConcurrentDictionary<TKey, Entry>(comparer);
        _slots = new Entry?[capacity];
    }

    public int Capacity { get; }

    /// <summary>How many entries are held (takes the map's locks: not for a hot path).</summary>
    public int Count => _entries.Count;

    /// <summary>How many entries were evicted to make room since start-up.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>The entries held now (a moving snapshot, as a concurrent dictionary enumerates).</summary>
    public IEnumerable<KeyValuePair<TKey, TValue>> Snapshot() => _entries.Select(e => KeyValuePair.Create(e.Key, e.Value.Value));

    /// <summary>The value of <paramref name="key"/>, marking it as used.</summary>
    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.MarkReferenced();
            value = entry.Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Adds or replaces the value of <paramref name="key"/>, evicting another entry when full.</summary>
    public void Set(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                existing.Value = value;
                existing.MarkReferenced();
                return;
            }

            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _used < _slots.Length ? _used++ : EvictOne();
            var entry = new Entry(key, value, slot);
            _slots[slot] = entry;
            _entries[key] = entry;
        }
    }

    /// <summary>Removes <paramref name="key"/> if held; answers its value.</summary>
    public bool Remove(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryRemove(key, out var entry))
            {
                _slots[entry.Slot] = null;
                _freeSlots.Push(entry.Slot);
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Sweeps the hand to an entry not used since it last passed, evicts it and answers its slot (under the lock).</summary>
    private int EvictOne()
    {
        // Every slot is taken (no free slot, ring full). The first sweep clears every bit it passes, so the hand stops
        // within two sweeps unless checks keep setting bits behind it.
        while (true)
        {
            var slot = _hand;
            _hand = (_hand + 1) % _slots.Length;
            var entry = _slots[slot]!;
            // Both bits are taken (not short-circuited) so that a passed entry starts its next round unreferenced.
            if (entry.TakeReferenced() | (_takeValueReference?.Invoke(entry.Value) ?? false))
            {
                continue;
            }

            _entries.TryRemove(entry.Key, out _);
            _slots[slot] = null;
            Interlocked.Increment(ref _evictions);
            _onEvicted(entry.Key, entry.Value);
            return slot;
        }
    }

    private sealed class Entry(TKey key, TValue value, int slot)
    {
        private volatile TValue _value = value;

        // 1 when read since the hand last passed. Written only when clear, so hot readers share the cache line.
        private int _referenced = 1;

        public TKey Key { get; } = key;

        public int Slot { get; } = slot;

        public TValue Value
        {
            get => _value;
            set => _value = value;
        }

        public void MarkReferenced()
        {
            if (Volatile.Read(ref _referenced) == 0)
            {
                Volatile.Write(ref _referenced, 1);
            }
        }

        public bool TakeReferenced() => Interlocked.Exchange(ref _referenced, 0) == 1;
    }
}
