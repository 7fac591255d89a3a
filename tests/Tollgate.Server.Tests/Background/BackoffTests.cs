using Tollgate.Server.Background;

namespace Tollgate.Server.Tests.Background;

/// <summary>The background loops' retry delay: exponential, capped, jittered within its bounds, never under Retry-After.</summary>
public sealed class BackoffTests
{
    private static readonly Backoff Webhooks = new(first: TimeSpan.FromSeconds(1), max: TimeSpan.FromHours(1), jitterFrom: 0.75, jitterTo: 1.25);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 16)]
    [InlineData(13, 3600)] // 2^12 s is past the hour: capped
    [InlineData(int.MaxValue, 3600)]
    public void TheDelayDoublesPerFailureUpToTheCapWithinTheJitterBounds(int failures, double seconds)
    {
        for (var i = 0; i < 200; i++)
        {
            var delay = Webhooks.DelayAfter(failures, retryAfter: null);
            Assert.InRange(delay, TimeSpan.FromSeconds(seconds * 0.75), TimeSpan.FromSeconds(seconds * 1.25));
        }
    }

    [Fact]
    public void JitterSpreadsTheDelaysOfOneFailureCount()
    {
        var delays = Enumerable.Range(0, 50).Select(_ => Webhooks.DelayAfter(4, null)).Distinct().Count();

        Assert.True(delays > 1, "fifty delays after the same failure count were all equal: no jitter");
    }

    [Fact]
    public void ALongerRetryAfterWinsAndAShorterOneDoesNot()
    {
        var meters = new Backoff(first: TimeSpan.FromSeconds(1), max: TimeSpan.FromMinutes(5), jitterFrom: 0.5, jitterTo: 1.0);

        Assert.Equal(TimeSpan.FromMinutes(30), meters.DelayAfter(1, TimeSpan.FromMinutes(30)));
        Assert.InRange(meters.DelayAfter(3, TimeSpan.FromMilliseconds(1)), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
    }
}
