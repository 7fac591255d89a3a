namespace Tollgate.Server.Operations;

/// <summary>
/// Per-key request limits (<c>Tollgate:RateLimits</c>): a token bucket for each API key, sized by the key's kind. The
/// defaults are generous — they stop a runaway loop or a scraped publishable key, not a busy application.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Limit requests per key at all. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Each secret key (servers): 100,000 requests a second, bursts of 200,000.</summary>
    public TokenBucketSettings Secret { get; set; } = new() { TokenLimit = 200_000, TokensPerPeriod = 100_000 };

    /// <summary>
    /// Each publishable key (browsers; one key is shared by every visitor of an application): 5,000 requests a second,
    /// bursts of 10,000.
    /// </summary>
    public TokenBucketSettings Publishable { get; set; } = new() { TokenLimit = 10_000, TokensPerPeriod = 5_000 };

    /// <summary>Whether every setting is usable.</summary>
    public bool IsValid() => Secret.IsValid() && Publishable.IsValid();
}

/// <summary>One token bucket: <see cref="TokenLimit"/> requests at once, refilled by <see cref="TokensPerPeriod"/> every <see cref="ReplenishmentPeriod"/>.</summary>
public sealed class TokenBucketSettings
{
    /// <summary>The most requests allowed in a burst.</summary>
    public int TokenLimit { get; set; }

    /// <summary>Requests added back every period.</summary>
    public int TokensPerPeriod { get; set; }

    /// <summary>The refill period. Default: 1 s.</summary>
    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether the bucket is usable.</summary>
    public bool IsValid() => TokenLimit > 0 && TokensPerPeriod > 0 && ReplenishmentPeriod > TimeSpan.Zero;
}
