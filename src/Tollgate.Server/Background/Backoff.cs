namespace Tollgate.Server.Background;

/// <summary>
/// When a background loop tries again after failures: <c>first</c> after the first, doubling with each further one up
/// to <c>max</c>, times a random factor from <c>jitterFrom</c> to <c>jitterTo</c> so that environments and nodes that
/// failed together do not retry together; never sooner than the remote asked (Stripe's <c>Retry-After</c>).
/// Immutable and thread-safe.
/// </summary>
internal sealed class Backoff(TimeSpan first, TimeSpan max, double jitterFrom, double jitterTo)
{
    /// <summary>The delay after <paramref name="failures"/> failures in a row (0 counts as 1).</summary>
    public TimeSpan DelayAfter(int failures, TimeSpan? retryAfter)
    {
        // The exponent is clamped so the product stays far inside TimeSpan's range; the cap is reached long before.
        var exponential = first * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        var capped = exponential < max ? exponential : max;
#pragma warning disable CA5394 // Jitter spreads retries; it needs no cryptographic randomness.
        var jittered = capped * (jitterFrom + (Random.Shared.NextDouble() * (jitterTo - jitterFrom)));
#pragma warning restore CA5394
        return retryAfter is { } asked && asked > jittered ? asked : jittered;
    }
}
