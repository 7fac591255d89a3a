using Tollgate.Engine.Model;
using Tollgate.Server.Companies;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Usage;

/// <summary>
/// A view's metrics are held as values and made into rows when read: the rows are those of every used subtype and
/// period at the instant they were taken, and later counts do not change them.
/// </summary>
public sealed class CompanyMetricValuesTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 11, 12, 34, 56, 789, TimeSpan.Zero);
    private static readonly SubscriptionPeriod Billing = new("sub", new(2025, 5, 31, 10, 30, 0, TimeSpan.Zero), new(2025, 6, 30, 10, 30, 0, TimeSpan.Zero));

    [Fact]
    public void EveryUsedSubtypeHasOneRowPerPeriodWithTheValueOfItsCurrentBucket()
    {
        var usage = CompanyUsage.Empty();
        foreach (var period in UsagePeriods.All)
        {
            usage.Add("api-call", period, UsagePeriods.BucketOf(period, Now, Billing), 10 + (int)period);
            // Last period's and next period's buckets are not the current one.
            usage.Add("api-call", period, UsagePeriods.BucketOf(period, Now, Billing) - 1, 1000);
        }

        usage.Add("seat", UsagePeriod.Day, UsagePeriods.BucketOf(UsagePeriod.Day, Now, Billing), 3);

        var metrics = usage.MetricsAt("env", "co", Now, Billing);

        Assert.Equal(2 * UsagePeriods.All.Length, metrics.Count);
        Assert.Equal(metrics.ToList(), Enumerable.Range(0, metrics.Count).Select(i => metrics[i]).ToList());
        Assert.All(metrics, m => Assert.Equal(("env", "co", Now.ToString("O")), (m.EnvironmentId, m.CompanyId, m.CreatedAt)));
        foreach (var period in UsagePeriods.All)
        {
            var (metricPeriod, reset) = (UsagePeriods.MetricPeriodOf(period), UsagePeriods.MonthResetOf(period));
            var api = Assert.Single(metrics, m => m.EventSubtype == "api-call" && m.Period == metricPeriod && m.MonthReset == reset);
            Assert.Equal(10 + (int)period, api.Value);
            Assert.Equal(UsagePeriods.NextReset(period, Now, Billing)?.ToString("O"), api.ValidUntil);
            var seat = Assert.Single(metrics, m => m.EventSubtype == "seat" && m.Period == metricPeriod && m.MonthReset == reset);
            Assert.Equal(period == UsagePeriod.Day ? 3 : 0, seat.Value);
        }

        Assert.Equal(["api-call", "seat"], metrics.Select(m => m.EventSubtype).Distinct());
        Assert.Throws<ArgumentOutOfRangeException>(() => metrics[metrics.Count]);
    }

    [Fact]
    public void RowsKeepTheValuesOfTheInstantTheyWereTaken()
    {
        var usage = CompanyUsage.Empty();
        var day = UsagePeriods.BucketOf(UsagePeriod.Day, Now, null);
        usage.Add("api-call", UsagePeriod.Day, day, 5);
        var metrics = usage.MetricsAt("env", "co", Now, null);

        usage.Add("api-call", UsagePeriod.Day, day, 7);
        usage.Add("export", UsagePeriod.Day, day, 1);

        Assert.Equal(UsagePeriods.All.Length, metrics.Count);
        Assert.Equal(5, DayValue(metrics));
        Assert.Equal(12, DayValue(usage.MetricsAt("env", "co", Now, null)));
    }

    private static long DayValue(IEnumerable<CompanyMetric> metrics) =>
        metrics.Single(m => m.EventSubtype == "api-call" && m.Period == UsagePeriods.MetricPeriodOf(UsagePeriod.Day)).Value;
}
