namespace Tollgate.Server.Memory;

/// <summary>
/// How much of the store is kept warm in memory (<c>Tollgate:Memory</c>). Past a limit the least recently used entries
/// are evicted (a CLOCK: one reference bit per entry, cleared by a sweeping hand) and read from the store again on their
/// next use. Eviction costs a store read, never a wrong answer: the store is the truth.
/// </summary>
public sealed class MemoryOptions
{
    /// <summary>The most any limit may be (an entry costs at least a few hundred bytes).</summary>
    public const int MaxEntries = 50_000_000;

    /// <summary>Company views kept warm per environment, with the keys that name them. Default: 100,000.</summary>
    public int WarmCompanies { get; set; } = 100_000;

    /// <summary>User views kept warm per environment, with the keys that name them. Default: 200,000.</summary>
    public int WarmUsers { get; set; } = 200_000;

    /// <summary>
    /// Companies whose usage counters are held, over all environments. Default: 120,000 — a little more than
    /// <see cref="WarmCompanies"/>, so that the counters of a warm company are rarely evicted before its view.
    /// </summary>
    public int UsageCompanies { get; set; } = 120_000;

    /// <summary>
    /// Idempotency keys of the last 24 hours held in memory on SQLite, over all environments; older keys are looked up in
    /// the store. Default: 1,000,000 (about 150 MB).
    /// </summary>
    public int IdempotencyKeys { get; set; } = 1_000_000;

    /// <summary>True when every limit is usable (checked once at start-up).</summary>
    public bool IsValid() =>
        WarmCompanies is > 0 and <= MaxEntries && WarmUsers is > 0 and <= MaxEntries && UsageCompanies is > 0 and <= MaxEntries
        && IdempotencyKeys is > 0 and <= MaxEntries;
}
