namespace Tollgate.Scale;

/// <summary>What to generate. The defaults are the console benchmark's data set.</summary>
public sealed record ScaleOptions
{
    /// <summary>Companies to generate (default 100,000).</summary>
    public int Companies { get; init; } = 100_000;

    /// <summary>Track events per company in the event log, over <see cref="HistoryDays"/> (default 10).</summary>
    public int EventsPerCompany { get; init; } = 10;

    /// <summary>How far back the event log goes (default 90 days).</summary>
    public int HistoryDays { get; init; } = 90;

    /// <summary>Seed of the pseudo-random choices: the same seed, count and clock give the same data set but for its ids, which are the server's random ones (default 12).</summary>
    public int Seed { get; init; } = 12;

    /// <summary>Companies per transaction (default 2,000).</summary>
    public int BatchSize { get; init; } = 2_000;

    /// <summary>Keep every company's <see cref="CompanyFacts"/> in the result (for tests; costs memory at a million).</summary>
    public bool KeepFacts { get; init; }
}
