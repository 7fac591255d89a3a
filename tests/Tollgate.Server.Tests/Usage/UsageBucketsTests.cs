using Tollgate.Server.Companies;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Usage;

/// <summary>History buckets are the counters' periods: every instant of a bucket is counted in the counter the bucket ends at.</summary>
public sealed class UsageBucketsTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 11, 12, 34, 56, 789, TimeSpan.Zero);

    public static TheoryData<string, int> Cases() => new()
    {
        { "day", 0 }, { "week", 0 }, { "month", 0 },
        // Billing months anchored on the 31st at 10:30 (clamped in short months), mid-period and just after renewal.
        { "billing", 0 }, { "billing", 1 }, { "billing", 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryInstantOfABucketFallsInTheCounterThatEndsWithIt(string kind, int variant)
    {
        var (period, subscription) = kind switch
        {
            "day" => (UsagePeriod.Day, (SubscriptionPeriod?)null),
            "week" => (UsagePeriod.Week, null),
            "month" => (UsagePeriod.MonthFromFirst, null),
            _ => (UsagePeriod.MonthFromBillingAnchor, variant switch
            {
                0 => new SubscriptionPeriod("sub", new(2025, 1, 31, 10, 30, 0, TimeSpan.Zero), new(2026, 1, 31, 10, 30, 0, TimeSpan.Zero)),
                1 => new SubscriptionPeriod("sub", new(2025, 5, 31, 10, 30, 0, TimeSpan.Zero), new(2025, 6, 30, 10, 30, 0, TimeSpan.Zero)),
                _ => new SubscriptionPeriod("sub", new(2025, 6, 11, 12, 0, 0, TimeSpan.Zero), new(2025, 7, 11, 12, 0, 0, TimeSpan.Zero)),
            }),
        };

        var (starts, end) = UsageBuckets.Ending(period, 14, Now, subscription);

        Assert.Equal(14, starts.Count);
        Assert.NotNull(end);
        Assert.True(starts[^1] <= Now && Now < end);
        for (var i = 0; i < starts.Count; i++)
        {
            var bucketEnd = i + 1 < starts.Count ? starts[i + 1] : end!.Value;
            Assert.True(starts[i] < bucketEnd);
            foreach (var at in new[] { starts[i], starts[i].AddMilliseconds(1), starts[i] + ((bucketEnd - starts[i]) / 2), bucketEnd.AddMilliseconds(-1) })
            {
                Assert.Equal(bucketEnd.ToUnixTimeMilliseconds(), UsagePeriods.BucketOf(period, at, subscription));
            }
        }

        Assert.Equal(starts[^1], UsageBuckets.Current(period, Now, subscription).Start);
    }

    [Fact]
    public void ABillingPeriodThatEndedWithoutRenewalIsOneOpenBucketFromItsLastAnchor()
    {
        // Ended on 1 May; the counters put everything since 1 April 10:30 in the bucket of 1 May.
        var ended = new SubscriptionPeriod("sub", new(2025, 1, 1, 10, 30, 0, TimeSpan.Zero), new(2025, 5, 1, 10, 30, 0, TimeSpan.Zero));

        var (starts, end) = UsageBuckets.Ending(UsagePeriod.MonthFromBillingAnchor, 3, Now, ended);

        Assert.Null(end);
        Assert.Equal(
            [new(2025, 2, 1, 10, 30, 0, TimeSpan.Zero), new(2025, 3, 1, 10, 30, 0, TimeSpan.Zero), new DateTimeOffset(2025, 4, 1, 10, 30, 0, TimeSpan.Zero)],
            starts);
        var openBucket = ended.PeriodEnd.ToUnixTimeMilliseconds();
        Assert.All(new[] { starts[^1], ended.PeriodEnd, Now }, at => Assert.Equal(openBucket, UsagePeriods.BucketOf(UsagePeriod.MonthFromBillingAnchor, at, ended)));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 10, 30, 0, TimeSpan.Zero).AddMonths(1).ToUnixTimeMilliseconds(), UsagePeriods.BucketOf(UsagePeriod.MonthFromBillingAnchor, starts[1], ended));
    }

    [Fact]
    public void MonthlyHistoriesFollowTheLimitsMonthReset()
    {
        Assert.Equal(UsagePeriod.MonthFromBillingAnchor, UsageBuckets.PeriodOf(UsageGranularity.Month, UsagePeriod.MonthFromBillingAnchor));
        Assert.Equal(UsagePeriod.MonthFromFirst, UsageBuckets.PeriodOf(UsageGranularity.Month, UsagePeriod.Day));
        Assert.Equal(UsagePeriod.Week, UsageBuckets.PeriodOf(UsageGranularity.Week, UsagePeriod.MonthFromBillingAnchor));
    }
}
