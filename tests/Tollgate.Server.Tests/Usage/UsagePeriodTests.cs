using System.Globalization;
using System.Text.Json;
using Tollgate.Engine;
using Tollgate.Server.Companies;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Usage;

/// <summary>
/// Counter buckets end exactly where the engine says a period resets (its <c>featureUsageResetAt</c>, itself checked
/// against Schematic's WASM): month ends, Sundays, billing anchors on the 29th–31st, leap days, subscriptions that start
/// later or have ended.
/// </summary>
public sealed class UsagePeriodTests
{
    private static readonly (UsagePeriod Period, string MetricPeriod, string MonthReset)[] Periods =
    [
        (UsagePeriod.Day, "current_day", "first_of_month"),
        (UsagePeriod.Week, "current_week", "first_of_month"),
        (UsagePeriod.MonthFromFirst, "current_month", "first_of_month"),
        (UsagePeriod.MonthFromBillingAnchor, "current_month", "billing_cycle"),
    ];

    [Theory]
    [InlineData("2024-02-28T23:59:59.999Z", "2024-01-31T10:00:00Z", "2024-12-31T10:00:00Z")] // leap February, anchor on the 31st
    [InlineData("2025-02-28T10:00:00Z", "2025-01-29T10:00:00Z", "2026-01-29T10:00:00Z")] // the clamped anchor instant itself
    [InlineData("2025-06-15T00:00:00Z", "2025-06-20T00:00:00Z", "2025-07-20T00:00:00Z")] // subscription starting later
    [InlineData("2025-06-15T00:00:00Z", "2025-01-30T08:30:00Z", "2025-06-01T00:00:00Z")] // subscription ended
    [InlineData("2025-06-08T00:00:00Z", "2025-05-31T23:59:59Z", "2026-05-31T23:59:59Z")] // a Sunday at midnight
    [InlineData("2025-12-31T23:59:59.999Z", "2024-02-29T12:00:00Z", "2026-02-28T12:00:00Z")] // leap-day anchor, year end
    public void BoundariesMatchTheEngineOnChosenDates(string now, string periodStart, string periodEnd)
    {
        var subscription = new SubscriptionPeriod("sub_1", Parse(periodStart), Parse(periodEnd));
        foreach (var (period, metricPeriod, monthReset) in Periods)
        {
            Assert.Equal(EngineReset(metricPeriod, monthReset, Parse(now), subscription), UsagePeriods.NextReset(period, Parse(now), subscription));
        }
    }

    [Fact]
    public void BoundariesMatchTheEngineOnTwoThousandRandomInstants()
    {
        var random = new Random(20261125);
        var origin = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 2_000; i++)
        {
            var now = origin.AddMilliseconds(random.NextInt64(0, (long)TimeSpan.FromDays(4 * 365).TotalMilliseconds));
            // Anchors crowd the month ends, where the arithmetic is hardest.
            var startDay = now.AddDays(random.Next(-70, 20)).Date;
            var anchorDay = random.Next(4) == 0 ? startDay.Day : Math.Min(random.Next(28, 32), DateTime.DaysInMonth(startDay.Year, startDay.Month));
            var start = new DateTimeOffset(startDay.Year, startDay.Month, anchorDay, random.Next(24), random.Next(60), random.Next(60), TimeSpan.Zero);
            var subscription = random.Next(5) == 0 ? null : new SubscriptionPeriod("sub", start, start.AddMonths(random.Next(1, 14)).AddDays(random.Next(-3, 3)));
            foreach (var (period, metricPeriod, monthReset) in Periods)
            {
                var expected = EngineReset(metricPeriod, monthReset, now, subscription);
                var actual = UsagePeriods.NextReset(period, now, subscription);
                Assert.True(expected == actual, $"{period} at {now:O} with {subscription}: engine {expected:O}, counters {actual:O}");
            }
        }
    }

    [Fact]
    public void AnInstantBelongsToTheBucketThatEndsAfterIt()
    {
        var saturdayNight = new DateTimeOffset(2025, 6, 14, 23, 59, 59, 999, TimeSpan.Zero);
        var sunday = saturdayNight.AddMilliseconds(1);

        Assert.NotEqual(UsagePeriods.BucketOf(UsagePeriod.Week, saturdayNight, null), UsagePeriods.BucketOf(UsagePeriod.Week, sunday, null));
        Assert.Equal(UsagePeriods.BucketOf(UsagePeriod.Week, sunday, null), UsagePeriods.BucketOf(UsagePeriod.Week, sunday.AddDays(6), null));
        Assert.Equal(UsagePeriods.Forever, UsagePeriods.BucketOf(UsagePeriod.AllTime, sunday, null));
    }

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>The engine's reset for a matched entitlement rule with a metric condition of the period.</summary>
    private static DateTimeOffset? EngineReset(string metricPeriod, string monthReset, DateTimeOffset now, SubscriptionPeriod? subscription)
    {
        var condition = new
        {
            id = "cond_1", accountId = "acct", environmentId = "env", conditionType = "metric", @operator = "lte", traitValue = "",
            resourceIds = Array.Empty<string>(), eventSubtype = "api_call", metricValue = 100, metricPeriod, metricPeriodMonthReset = monthReset,
        };
        var flag = new
        {
            id = "flag_1", accountId = "acct", environmentId = "env", key = "api-calls", defaultValue = false,
            rules = new[]
            {
                new
                {
                    id = "rule_1", accountId = "acct", environmentId = "env", ruleType = "plan_entitlement", name = "Pro", priority = 0, value = true,
                    conditions = new[] { condition }, conditionGroups = Array.Empty<object>(),
                },
            },
        };
        var company = new
        {
            id = "comp_1", accountId = "acct", environmentId = "env",
            subscription = subscription is null ? null : new { id = subscription.Id, periodStart = subscription.PeriodStart.ToString("O"), periodEnd = subscription.PeriodEnd.ToString("O") },
        };
        var result = JsonDocument.Parse(RulesEngine.CheckFlagJson(JsonSerializer.Serialize(flag), JsonSerializer.Serialize(company), null, null, now)).RootElement;
        Assert.Equal("plan_entitlement", result.GetProperty("ruleType").GetString());
        return result.TryGetProperty("featureUsageResetAt", out var reset) && reset.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(reset.GetString()!, CultureInfo.InvariantCulture)
            : null;
    }
}
