using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>The usage read API: current usage per company and feature, companies by usage, and history per period.</summary>
public abstract class UsageReportTests(TollgateFactory server)
{
    [Fact]
    public async Task UsageByCompanyShowsEachEntitledFeatureWithAllocationUsageAndReset()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 4);
        await Events.SendAsync(s.Api, Events.Track("api_call", "acme", 13));
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "acme"), c => c.GetProperty("feature_usage").GetInt64() == 13);

        var detail = (await s.Api.GetAsync("/usage-by-company?keys[id]=acme")).ShouldBe(HttpStatusCode.OK).Data;
        var byId = (await s.Api.GetAsync($"/feature-usage?company_id={acme}&feature_ids[]={s.ApiCalls}")).ShouldBe(HttpStatusCode.OK).Data;

        var features = detail.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("feature").GetProperty("flags")[0].GetProperty("key").GetString()!);
        Assert.Equal(["ai-credits", "api-calls", "seats", "sso"], features.Keys.Order(StringComparer.Ordinal));
        var apiCalls = features["api-calls"];
        Assert.True(apiCalls.GetProperty("access").GetBoolean());
        Assert.Equal(1000, apiCalls.GetProperty("allocation").GetInt64());
        Assert.Equal(13, apiCalls.GetProperty("usage").GetInt64());
        Assert.Equal(1.3, apiCalls.GetProperty("percent_used").GetDouble());
        Assert.Equal("numeric", apiCalls.GetProperty("allocation_type").GetString());
        Assert.Equal("plan_entitlement", apiCalls.GetProperty("entitlement_type").GetString());
        Assert.Equal(s.ProApiCalls, apiCalls.GetProperty("entitlement_id").GetString());
        Assert.Equal("current_month", apiCalls.GetProperty("period").GetString());
        Assert.Equal("2025-07-01T00:00:00+00:00", apiCalls.GetProperty("metric_reset_at").GetString());
        Assert.Equal(4, features["seats"].GetProperty("usage").GetInt64());
        Assert.Equal(JsonValueKind.Null, features["sso"].GetProperty("usage").ValueKind);
        Assert.Equal(s.ApiCalls, Assert.Single(byId.EnumerateArray()).GetProperty("feature").GetProperty("id").GetString());
    }

    [Fact]
    public async Task FeatureCompaniesListsTheEntitledCompaniesMostUsedFirst()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("light", s.Pro, seats: 1);
        await s.CompanyAsync("heavy", s.Starter, seats: 1);
        await s.CompanyAsync("none", s.Pro, seats: 1);
        await Given.CompanyAsync(s.Api, "no-plan");
        await Events.SendAsync(s.Api, Events.Track("api_call", "light", 2), Events.Track("api_call", "heavy", 120));
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "heavy"), c => c.GetProperty("feature_usage").GetInt64() == 120);

        var list = (await s.Api.GetAsync($"/feature-companies?feature_id={s.ApiCalls}")).ShouldBe(HttpStatusCode.OK).Data;
        var filtered = (await s.Api.GetAsync($"/feature-companies?feature_id={s.ApiCalls}&q=LIG")).ShouldBe(HttpStatusCode.OK).Data;

        var rows = list.EnumerateArray().Select(r => (IdKeyOf(r.GetProperty("company")), r.GetProperty("usage").GetInt64(), r.GetProperty("access").GetBoolean())).ToList();
        Assert.Equal([("heavy", 120L, false), ("light", 2L, true), ("none", 0L, true)], rows);
        Assert.Equal("light", IdKeyOf(Assert.Single(filtered.EnumerateArray()).GetProperty("company")));
    }

    [Fact]
    public async Task TimeSeriesAndHistoryGiveUsagePerDayIncludingLateEvents()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("daily", s.Pro, seats: 1);
        var today = new DateTimeOffset(server.Time.GetUtcNow().Date, TimeSpan.Zero);
        await Events.SendAsync(
            s.Api,
            Events.Track("api_call", "daily", 5),
            Events.Track("api_call", "daily", 7, sentAt: today.AddDays(-2).AddHours(3), trustedClock: true));

        var from = Uri.EscapeDataString(today.AddDays(-3).ToString("O"));
        var to = Uri.EscapeDataString(today.AddDays(1).ToString("O"));
        var series = (await s.Api.GetAsync($"/feature-usage-timeseries?company_id={company}&feature_id={s.ApiCalls}&start_time={from}&end_time={to}&granularity=daily"))
            .ShouldBe(HttpStatusCode.OK).Data;
        var history = (await s.Api.GetAsync($"/feature-usage-history?company_ids[]={company}&start_time={from}&end_time={to}&granularity=daily")).ShouldBe(HttpStatusCode.OK).Data;

        var points = series.GetProperty("usage_points").EnumerateArray().Select(p => (p.GetProperty("period_start").GetDateTimeOffset(), p.GetProperty("usage").GetInt64())).ToList();
        Assert.Equal([(today.AddDays(-3), 0L), (today.AddDays(-2), 7L), (today.AddDays(-1), 0L), (today, 5L)], points);
        Assert.Equal("event", series.GetProperty("feature_type").GetString());
        var rows = history.EnumerateArray().Select(r => (r.GetProperty("feature_id").GetString(), r.GetProperty("period_end").GetDateTimeOffset(), r.GetProperty("usage").GetInt64())).ToList();
        Assert.Equal([(s.ApiCalls, today.AddDays(-1), 7L), (s.ApiCalls, today.AddDays(1), 5L)], rows);
    }

    [Fact]
    public async Task BadUsageQueriesAreAnsweredWithTheFieldAtFault()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("q", s.Pro, seats: 1);

        (await s.Api.GetAsync("/feature-usage")).ShouldFail(HttpStatusCode.BadRequest, "company_keys");
        (await s.Api.GetAsync("/feature-usage?company_id=comp_missing")).ShouldFail(HttpStatusCode.NotFound, "company not found");
        (await s.Api.GetAsync("/feature-companies")).ShouldFail(HttpStatusCode.BadRequest, "feature_id");
        (await s.Api.GetAsync("/feature-companies?feature_id=feat_missing")).ShouldFail(HttpStatusCode.NotFound, "feature not found");
        (await s.Api.GetAsync($"/feature-usage-timeseries?company_id={company}&feature_id={s.ApiCalls}")).ShouldFail(HttpStatusCode.BadRequest, "start_time");
        (await s.Api.GetAsync($"/feature-usage-timeseries?company_id={company}&feature_id={s.ApiCalls}&start_time=2025-06-02&end_time=2025-06-01")).ShouldFail(HttpStatusCode.BadRequest, "end_time");
        (await s.Api.GetAsync($"/feature-usage-history?start_time=2025-06-01&end_time=2025-06-02&granularity=hourly")).ShouldFail(HttpStatusCode.BadRequest, "granularity");
    }

    // A company in Schematic's detail shape lists its keys as {key, value} objects.
    private static string? IdKeyOf(JsonElement company) =>
        company.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("key").GetString() == "id").GetProperty("value").GetString();
}

public sealed class UsageReportTestsOnSqlite(SqliteServer server) : UsageReportTests(server), IClassFixture<SqliteServer>;

public sealed class UsageReportTestsOnPostgres(PostgresServer server) : UsageReportTests(server), IClassFixture<PostgresServer>;
