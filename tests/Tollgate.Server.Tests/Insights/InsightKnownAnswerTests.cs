using System.Globalization;
using System.Net;
using Tollgate.Server.Tests.Functional.Lifecycle;
using Tollgate.Server.Tests.Infrastructure;
using static Tollgate.Server.Tests.Insights.InsightLists;

namespace Tollgate.Server.Tests.Insights;

/// <summary>
/// Known answers for the signals <see cref="InsightSignalTests"/> does not reach: an under-user (paying, far below its
/// allocation for three ended months), a trial ending unused (at-risk), credit burn running out before the period ends
/// (expansion), and the trait usage series summed by the store. Histories are events dated on past days with a trusted
/// clock. The tests move the fake clock, so the dates they expect are worked out from it, not written down.
/// </summary>
public abstract class InsightKnownAnswerTests(TollgateFactory server)
{
    [Fact]
    public async Task APayingCompanyFarBelowItsAllocationInEachOfTheLastThreeMonthsIsAnUnderUserAndOneAboveItOnceOrOneNotPayingIsNot()
    {
        var api = await server.NewEnvironmentAsync();
        var feature = await Given.EventFeatureAsync(api, "api-calls", "api_call");
        var plan = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = feature, valueType = "numeric", valueNumeric = 1000, metricPeriod = "current_month" });
        var idle = await Given.CompanyAsync(api, "idle", plan);
        var busy = await Given.CompanyAsync(api, "busy", plan);
        var unpaid = await Given.CompanyAsync(api, "unpaid", plan);

        // 160 days on, the companies predate the four months before this one (the three judged and the one before).
        server.Time.Advance(TimeSpan.FromDays(160));
        var now = server.Time.GetUtcNow();
        var thisMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset MonthsBack(int back) => thisMonth.AddMonths(-back).AddDays(14).AddHours(9);
        await PayingAsync(api, "idle", idle, now);
        await PayingAsync(api, "busy", busy, now);

        // idle: 50, 30 and 20 of 1,000 (at most 5 %). busy: 300 in the middle month (30 %). unpaid: nothing, but pays nothing.
        await Events.SendAsync(api, [
            Events.Track("api_call", "idle", 50, sentAt: MonthsBack(3), trustedClock: true),
            Events.Track("api_call", "idle", 30, sentAt: MonthsBack(2), trustedClock: true),
            Events.Track("api_call", "idle", 20, sentAt: MonthsBack(1), trustedClock: true),
            Events.Track("api_call", "busy", 50, sentAt: MonthsBack(3), trustedClock: true),
            Events.Track("api_call", "busy", 300, sentAt: MonthsBack(2), trustedClock: true),
            Events.Track("api_call", "busy", 10, sentAt: MonthsBack(1), trustedClock: true)]);

        var under = await ListedAsync(api, "under-users", idle);
        Assert.Equal("used at most 5% of api-calls's 1,000 a month in each of the last 3 months", under.GetProperty("reason").GetString());
        var evidence = under.GetProperty("evidence");
        Assert.Equal((0.05, 3, 1000L), (evidence.GetProperty("highest_ratio").GetDouble(), evidence.GetProperty("periods_looked_at").GetInt32(), evidence.GetProperty("limit").GetInt64()));
        Assert.True(under.GetProperty("mrr").GetInt64() > 0, $"an under-user pays: {under}");
        await NotListedAsync(api, "under-users", busy);
        await NotListedAsync(api, "under-users", unpaid);
    }

    [Fact]
    public async Task PlanGrowthCountsTheCompaniesOnEachPlanCreatedByTheEndOfEachMonthAndFollowsAPlanChange()
    {
        var api = await server.NewEnvironmentAsync();
        var free = await Given.PlanAsync(api, "Free");
        var pro = await Given.PlanAsync(api, "Pro");
        var now = server.Time.GetUtcNow();
        var first = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);

        // The first month: three on Pro, one on Free, one on no plan.
        foreach (var key in new[] { "p1", "p2", "p3" })
        {
            await Given.CompanyAsync(api, key, pro);
        }

        await Given.CompanyAsync(api, "f1", free);
        await Given.CompanyAsync(api, "none");

        // The second month: two more on Pro. The third: one more on Free, and p1 (of the first month) moves to Free.
        server.Time.SetUtcNow(first.AddMonths(1).AddDays(14));
        await Given.CompanyAsync(api, "p4", pro);
        await Given.CompanyAsync(api, "p5", pro);
        server.Time.SetUtcNow(first.AddMonths(2).AddDays(14));
        await Given.CompanyAsync(api, "f2", free);
        await Given.CompanyAsync(api, "p1", free);

        var points = (await api.GetAsync("/insights/plan-growth?months=4")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("points").EnumerateArray()
            .Select(p => (Plan: p.GetProperty("plan_name").GetString(), Month: p.GetProperty("month").GetDateTimeOffset(), Subscribers: p.GetProperty("subscribers").GetInt64()))
            .ToList();
        // The month before the first, the first, the second and the third (now), per plan by name.
        var months = Enumerable.Range(-1, 4).Select(m => first.AddMonths(m)).ToList();
        var expected = months.Zip(new long[] { 0, 2, 2, 3 }, (m, n) => ((string?)"Free", m, n))
            .Concat(months.Zip(new long[] { 0, 2, 4, 4 }, (m, n) => ((string?)"Pro", m, n)))
            .ToList();
        Assert.Equal(expected, points);
    }

    [Fact]
    public async Task ACompanyWhoseTrialEndsWithinAWeekWithNoUsageIsAtRiskAndOneThatUsedItIsNot()
    {
        var w = await LifecycleWorld.CreateAsync(server);
        var quiet = await w.CompanyAsync("quiet");
        var active = await w.CompanyAsync("active");
        var trialEnd = server.Time.GetUtcNow().AddDays(14);
        await w.StartTrialAsync(quiet);
        await w.StartTrialAsync(active);
        await Events.SendAsync(w.Api, Events.Track("api_call", "active", 3));

        // Nine days into the 14: five days left, inside the 7-day window; the row lapses into it by itself.
        server.Time.Advance(TimeSpan.FromDays(9));

        var risk = await ListedAsync(w.Api, "at-risk", quiet);
        Assert.Equal(
            string.Create(CultureInfo.InvariantCulture, $"trial ends in 5 days ({trialEnd:yyyy-MM-dd}) with no usage tracked"),
            risk.GetProperty("reason").GetString());
        Assert.Equal(0, risk.GetProperty("evidence").GetProperty("recent_usage").GetInt64());
        await NotListedAsync(w.Api, "at-risk", active);
    }

    [Fact]
    public async Task CreditBurnThatRunsOutBeforeThePeriodEndsIsAnExpansionSignalWithItsReason()
    {
        var api = await server.NewEnvironmentAsync();
        var tokens = (await api.PostAsync("/billing/credits", new { name = "AI tokens", description = "Tokens", currency = "usd" })).ShouldBe(HttpStatusCode.Created).Id;
        var generate = await Given.EventFeatureAsync(api, "ai-gen", "ai_generation");
        var plan = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = generate, valueType = "credit", valueCreditId = tokens, creditConsumptionRate = 2 });
        var burner = await Given.CompanyAsync(api, "burner", plan);
        var sipper = await Given.CompanyAsync(api, "sipper", plan);
        foreach (var company in new[] { burner, sipper })
        {
            (await api.PostAsync("/billing/credits/grants/company", new { companyId = company, creditId = tokens, quantity = 100, reason = "purchased" })).ShouldBe(HttpStatusCode.Created);
        }

        // burner: 15 uses (30 credits) on each of the last three days = 90 of 100, 9 a day over the 10 days looked at, so
        // the 10 left last 1.1 days. sipper: one use (2 credits): 98 left at 0.2 a day.
        var now = server.Time.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        await Events.SendAsync(api, [
            .. Enumerable.Range(1, 3).Select(back => Events.Track("ai_generation", "burner", 15, sentAt: today.AddDays(-back).AddHours(9), trustedClock: true)),
            Events.Track("ai_generation", "sipper", 1, sentAt: today.AddDays(-1).AddHours(9), trustedClock: true)]);

        var runsOut = now.AddDays(10 / 9.0);
        var periodEnd = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        var expansion = await ListedAsync(api, "expansion", burner);
        Assert.Equal(
            string.Create(
                CultureInfo.InvariantCulture,
                $"the credits for ai-gen run out in 2 days ({runsOut:yyyy-MM-dd}), {Math.Floor((periodEnd - runsOut).TotalDays):0} days before the period ends ({periodEnd:yyyy-MM-dd}): 10 left, burning 9.0 a day over the last 10 days"),
            expansion.GetProperty("reason").GetString());
        var evidence = expansion.GetProperty("evidence");
        Assert.Equal((10.0, 9.0), (evidence.GetProperty("credit_remaining").GetDouble(), evidence.GetProperty("daily_burn").GetDouble()));
        Assert.Equal(generate, expansion.GetProperty("feature_id").GetString());
        await NotListedAsync(api, "expansion", sipper);
    }

    [Fact]
    public async Task TheTraitUsageSeriesIsTheSumOfTheCompaniesWholeNumberValuesOfTheTrait()
    {
        var api = await server.NewEnvironmentAsync();
        var seats = await Given.TraitAsync(api, "seats");
        var feature = await Given.TraitFeatureAsync(api, "seat-count", seats);
        await Given.CompanyAsync(api, "five", traits: new() { ["seats"] = 5 });
        await Given.CompanyAsync(api, "seven", traits: new() { ["seats"] = 7, ["other"] = 100 });
        await Given.CompanyAsync(api, "text", traits: new() { ["seats"] = "many" });
        await Given.CompanyAsync(api, "fraction", traits: new() { ["seats"] = 2.5 });
        await Given.CompanyAsync(api, "none");
        var elsewhere = await server.NewEnvironmentAsync();
        await Given.TraitAsync(elsewhere, "seats");
        await Given.CompanyAsync(elsewhere, "other-environment", traits: new() { ["seats"] = 1000 });

        var now = server.Time.GetUtcNow();
        var from = Uri.EscapeDataString(now.AddDays(-3).ToString("O", CultureInfo.InvariantCulture));
        var until = Uri.EscapeDataString(now.AddDays(1).ToString("O", CultureInfo.InvariantCulture));
        var series = (await api.GetAsync($"/insights/trait-usage-timeseries?feature_id={feature}&start_time={from}&end_time={until}")).ShouldBe(HttpStatusCode.OK).Data;

        var point = Assert.Single(series.GetProperty("points").EnumerateArray());
        Assert.Equal(12, point.GetProperty("usage").GetInt64());
        Assert.Equal(seats, series.GetProperty("trait_definition_id").GetString());
    }

    [Fact]
    public async Task TheTraitUsageSeriesFollowsACompanysTraitChangingAndTheCompanyBeingDeleted()
    {
        var api = await server.NewEnvironmentAsync();
        var seats = await Given.TraitAsync(api, "seats");
        var feature = await Given.TraitFeatureAsync(api, "seat-count", seats);
        await Given.CompanyAsync(api, "grows", traits: new() { ["seats"] = 5 });
        var leaves = await Given.CompanyAsync(api, "leaves", traits: new() { ["seats"] = 7 });
        await Given.CompanyAsync(api, "becomes-text", traits: new() { ["seats"] = 11 });
        Assert.Equal(23, await TraitSeriesAsync(api, feature));

        await Given.CompanyAsync(api, "grows", traits: new() { ["seats"] = 9 });
        await Given.CompanyAsync(api, "becomes-text", traits: new() { ["seats"] = "eleven" });
        Assert.Equal(16, await TraitSeriesAsync(api, feature));

        (await api.DeleteAsync($"/companies/{leaves}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(9, await TraitSeriesAsync(api, feature));
    }

    /// <summary>The single point of the trait series over the days around now.</summary>
    private async Task<long> TraitSeriesAsync(ApiClient api, string feature)
    {
        var now = server.Time.GetUtcNow();
        var from = Uri.EscapeDataString(now.AddDays(-3).ToString("O", CultureInfo.InvariantCulture));
        var until = Uri.EscapeDataString(now.AddDays(1).ToString("O", CultureInfo.InvariantCulture));
        var series = (await api.GetAsync($"/insights/trait-usage-timeseries?feature_id={feature}&start_time={from}&end_time={until}")).ShouldBe(HttpStatusCode.OK).Data;
        return Assert.Single(series.GetProperty("points").EnumerateArray()).GetProperty("usage").GetInt64();
    }

    /// <summary>Makes the company a paying customer of another billing system: a live monthly subscription to Pro.</summary>
    private static async Task PayingAsync(ApiClient api, string company, string companyId, DateTimeOffset now)
    {
        (await api.PostAsync("/billing/product/upsert", new { externalId = "orb-prod-pro", name = "Pro", price = 4900, providerType = "orb" })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/price/upsert", new
        {
            priceExternalId = "orb-price-pro",
            productExternalId = "orb-prod-pro",
            billingScheme = "per_unit",
            currency = "usd",
            externalAccountId = "acct",
            interval = "month",
            isActive = true,
            price = 4900,
            priceTiers = Array.Empty<object>(),
            usageType = "licensed",
            providerType = "orb",
        })).ShouldBe(HttpStatusCode.OK);
        var customer = $"orb-cus-{company}";
        (await api.PostAsync("/billing/customer/upsert", new
        {
            externalId = customer,
            companyId,
            email = $"{company}@billing.test",
            name = company,
            meta = new Dictionary<string, string>(),
            providerType = "orb",
        })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/subscription/upsert", new
        {
            subscriptionExternalId = $"orb-sub-{company}",
            customerExternalId = customer,
            status = "active",
            cancelAtPeriodEnd = false,
            currency = "usd",
            discounts = Array.Empty<object>(),
            expiredAt = now.AddDays(20),
            totalPrice = 4900,
            interval = "month",
            periodStart = now.AddDays(-10).ToUnixTimeSeconds(),
            periodEnd = now.AddDays(20).ToUnixTimeSeconds(),
            providerType = "orb",
            productExternalIds = new[]
            {
                new { priceExternalId = "orb-price-pro", productExternalId = "orb-prod-pro", quantity = 1L, currency = "usd", interval = "month", price = 4900, usageType = "licensed" },
            },
        })).ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class InsightKnownAnswerTestsOnSqlite(SqliteServer server) : InsightKnownAnswerTests(server), IClassFixture<SqliteServer>;

public sealed class InsightKnownAnswerTestsOnPostgres(PostgresServer server) : InsightKnownAnswerTests(server), IClassFixture<PostgresServer>;
