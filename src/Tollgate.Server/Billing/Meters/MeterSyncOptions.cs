namespace Tollgate.Server.Billing.Meters;

/// <summary>The meter sync's settings (<c>Tollgate:Stripe:Meters</c>); the defaults suit production.</summary>
public sealed class MeterSyncOptions
{
    /// <summary>Run the background sync. Default: true. When false, only <c>POST /billing/meters/sync</c> drains.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often each connected environment's outbox is looked at. Default: 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Outbox rows read and sent per batch. Default: 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Batches one run sends at most before the other environments get their turn. Default: 20.</summary>
    public int MaxBatchesPerRun { get; set; } = 20;

    /// <summary>Meter event calls in flight at once per environment (never two for one customer and meter). Default: 8.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>The first retry delay after a failure; it doubles with each further failure, with jitter. Default: 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry delay (a longer <c>Retry-After</c> from Stripe still wins). Default: 5 min.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a node trusts its cached meters before reading Stripe's list again for an unmapped subtype. Default: 1 min.</summary>
    public TimeSpan MeterRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>True when every setting is usable (checked once at start-up).</summary>
    public bool IsValid() =>
        PollInterval > TimeSpan.Zero && BatchSize is > 0 and <= 10_000 && MaxBatchesPerRun > 0 && MaxConcurrency is > 0 and <= 100
        && RetryBaseDelay > TimeSpan.Zero && RetryMaxDelay >= RetryBaseDelay && MeterRefreshInterval >= TimeSpan.Zero;
}
