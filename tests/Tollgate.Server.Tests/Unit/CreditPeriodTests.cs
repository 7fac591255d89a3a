using Tollgate.Server.Companies;
using Tollgate.Server.Credits;

namespace Tollgate.Server.Tests.Unit;

/// <summary>The periods plan credit grants are issued for: calendar ones, and ones anchored on the company's subscription.</summary>
public sealed class CreditPeriodTests
{
    private static readonly DateTimeOffset Now = new(2024, 2, 29, 15, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("daily", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("weekly", "2024-02-25T00:00:00Z", "2024-03-03T00:00:00Z")]
    [InlineData("monthly", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z")]
    [InlineData("quarterly", "2024-01-01T00:00:00Z", "2024-04-01T00:00:00Z")]
    [InlineData("every_6_months", "2024-01-01T00:00:00Z", "2024-07-01T00:00:00Z")]
    [InlineData("yearly", "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z")]
    public void CalendarPeriodsStartOnTheFirstOfTheMonthOrOnSunday(string cadence, string start, string end)
    {
        var period = CreditPeriods.At(Grant(cadence, "first_of_month"), null, Now);

        Assert.Equal((DateTimeOffset.Parse(start, null), DateTimeOffset.Parse(end, null)), period);
    }

    [Fact]
    public void ABillingPeriodAnchoredOnThe31stEndsOnTheLastDayOfShorterMonths()
    {
        var subscription = new SubscriptionPeriod("sub_1", new DateTimeOffset(2023, 10, 31, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2023, 11, 30, 9, 0, 0, TimeSpan.Zero));

        var fromLeapDay = CreditPeriods.At(Grant("monthly", "billing_period"), subscription, Now);
        var lateMarch = CreditPeriods.At(Grant("monthly", "billing_period"), subscription, new DateTimeOffset(2024, 3, 30, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal((new DateTimeOffset(2024, 1, 31, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 29, 9, 0, 0, TimeSpan.Zero)), CreditPeriods.At(Grant("monthly", "billing_period"), subscription, Now.AddHours(-7)));
        Assert.Equal((new DateTimeOffset(2024, 2, 29, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 3, 31, 9, 0, 0, TimeSpan.Zero)), fromLeapDay);
        Assert.Equal(fromLeapDay, lateMarch);
    }

    [Fact]
    public void ABillingPeriodGrantWithoutASubscriptionUsesCalendarMonths()
    {
        Assert.Equal(
            (new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero)),
            CreditPeriods.At(Grant("monthly", "billing_period"), null, Now));
    }

    private static PlanCreditGrantRecord Grant(string cadence, string resetStart) =>
        new() { Id = "bcpg_1", PlanId = "plan_1", CreditId = "bcrd_1", CreditAmount = 1, ResetCadence = cadence, ResetStart = resetStart };
}
