using Tollgate.Engine.Internal;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Tests.Internal;

/// <summary>Next reset instants (spec §3.5); the billing-cycle cases were observed on the reference WASM.</summary>
public sealed class MetricResetsTests
{
    [Theory]
    [InlineData("2025-02-28T12:00:00Z", "2025-01-31T00:00:00Z", "2026-01-31T00:00:00Z", "2025-03-31T00:00:00+00:00")]
    [InlineData("2025-02-15T12:00:00Z", "2025-01-31T00:00:00Z", "2026-01-31T00:00:00Z", "2025-02-28T00:00:00+00:00")]
    [InlineData("2025-01-31T12:00:00Z", "2024-12-31T06:00:00Z", "2026-01-31T00:00:00Z", "2025-02-28T06:00:00+00:00")]
    [InlineData("2025-03-31T12:00:00Z", "2024-12-31T06:00:00Z", "2026-01-31T00:00:00Z", "2025-04-30T06:00:00+00:00")]
    [InlineData("2024-02-29T12:00:00Z", "2023-12-30T06:00:00Z", "2026-01-31T00:00:00Z", "2024-03-30T06:00:00+00:00")]
    [InlineData("2025-06-18T15:30:00Z", "2025-01-10T08:00:00.5Z", "2026-01-31T00:00:00Z", "2025-07-10T08:00:00.500+00:00")]
    [InlineData("2025-06-18T15:30:00Z", "2025-01-10T08:00:00.123456Z", "2026-01-31T00:00:00Z", "2025-07-10T08:00:00.123456+00:00")]
    [InlineData("2025-06-18T15:30:00Z", "2025-01-10T08:00:00+02:00", "2026-01-31T00:00:00Z", "2025-07-10T06:00:00+00:00")]
    [InlineData("2025-06-18T15:30:00Z", "2025-01-10T08:00:00Z", "2025-06-20T00:00:00Z", "2025-06-20T00:00:00+00:00")]
    [InlineData("2025-06-18T15:30:00Z", "2025-01-10T08:00:00Z", "2025-06-01T00:00:00Z", "2025-06-01T00:00:00+00:00")]
    [InlineData("2025-06-18T15:30:00Z", "2025-08-10T08:00:00Z", "2026-06-01T00:00:00Z", "2025-07-01T00:00:00+00:00")]
    [InlineData("2025-06-18T15:30:00Z", "2025-06-25T08:00:00Z", "2026-06-01T00:00:00Z", "2025-06-25T08:00:00+00:00")]
    [InlineData("2025-06-18T15:30:00Z", "2025-06-18T15:30:00Z", "2026-06-01T00:00:00Z", "2025-07-18T15:30:00+00:00")]
    [InlineData("2025-12-31T16:30:00Z", "2025-01-31T15:30:00Z", "2027-06-01T00:00:00Z", "2026-01-31T15:30:00+00:00")]
    public void BillingCycleResetsOnTheClampedAnniversary(string now, string periodStart, string periodEnd, string expected)
    {
        var anchor = new BillingAnchor(periodStart, periodEnd);
        Assert.True(MetricResets.TryGetNextReset(MetricPeriod.CurrentMonth, MonthReset.BillingCycle, anchor, At(now), out var reset));
        Assert.Equal(expected, reset.ToString());
    }

    [Theory]
    [InlineData("garbage", "2026-01-31T00:00:00Z")]
    [InlineData("2025-01-10 08:00:00 UTC", "2026-01-31T00:00:00Z")]
    [InlineData("2025-01-10T08:00:00Z", "garbage")]
    public void AnUnparseableSubscriptionPeriodHasNoBillingReset(string periodStart, string periodEnd) =>
        Assert.False(MetricResets.TryGetNextReset(
            MetricPeriod.CurrentMonth, MonthReset.BillingCycle, new BillingAnchor(periodStart, periodEnd), At("2025-06-18T15:30:00Z"), out _));

    [Theory]
    [InlineData(MetricPeriod.CurrentDay, "2025-06-18T15:30:00Z", "2025-06-19T00:00:00+00:00")]
    [InlineData(MetricPeriod.CurrentDay, "2024-12-31T23:59:59Z", "2025-01-01T00:00:00+00:00")]
    [InlineData(MetricPeriod.CurrentWeek, "2025-06-18T15:30:00Z", "2025-06-22T00:00:00+00:00")]
    [InlineData(MetricPeriod.CurrentWeek, "2025-06-22T00:00:00Z", "2025-06-29T00:00:00+00:00")]
    [InlineData(MetricPeriod.CurrentWeek, "2025-06-21T23:59:59Z", "2025-06-22T00:00:00+00:00")]
    [InlineData(MetricPeriod.CurrentMonth, "2024-02-29T12:00:00Z", "2024-03-01T00:00:00+00:00")]
    [InlineData(MetricPeriod.CurrentMonth, "2025-12-31T23:59:59Z", "2026-01-01T00:00:00+00:00")]
    public void CalendarPeriodsResetAtMidnightUtc(MetricPeriod period, string now, string expected)
    {
        Assert.True(MetricResets.TryGetNextReset(period, null, null, At(now), out var reset));
        Assert.Equal(expected, reset.ToString());
    }

    [Fact]
    public void AllTimeNeverResets() =>
        Assert.False(MetricResets.TryGetNextReset(MetricPeriod.AllTime, null, null, At("2025-06-18T15:30:00Z"), out _));

    [Fact]
    public void BillingCycleWithoutASubscriptionResetsOnTheFirst()
    {
        Assert.True(MetricResets.TryGetNextReset(MetricPeriod.CurrentMonth, MonthReset.BillingCycle, null, At("2025-06-18T15:30:00Z"), out var reset));
        Assert.Equal("2025-07-01T00:00:00+00:00", reset.ToString());
    }

    private static Timestamp At(string text) => Timestamp.FromDateTimeOffset(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
}
