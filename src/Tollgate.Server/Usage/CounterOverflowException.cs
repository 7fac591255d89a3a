namespace Tollgate.Server.Usage;

/// <summary>
/// A commit would have taken stored counters past <see cref="UsageCounters.Ceiling"/>; nothing was written.
/// <see cref="Stored"/> holds what the counters of the refused statement hold, so the next plan can refuse exactly
/// the events that do not fit.
/// </summary>
internal sealed class CounterOverflowException(IReadOnlyDictionary<CounterKey, long> stored)
    : Exception("A usage counter would pass its ceiling.")
{
    /// <summary>The stored values of the counters the commit tried to add to.</summary>
    public IReadOnlyDictionary<CounterKey, long> Stored { get; } = stored;
}
