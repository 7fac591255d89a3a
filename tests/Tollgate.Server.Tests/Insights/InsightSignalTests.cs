using System.Diagnostics;
using System.Globalization;
using System.Net;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using static Tollgate.Server.Tests.Insights.InsightLists;

namespace Tollgate.Server.Tests.Insights;

/// <summary>
/// Insight signals and Schematic's <c>/insights/*</c> on generated usage histories with known answers: events dated on
/// past days with a trusted clock, the fake clock moved so those days are history. One test per store, one server each.
/// </summary>
public abstract class InsightSignalTests(TollgateFactory server)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static readonly string[] Kinds = ["expansion", "at-risk", "over-users", "under-users"];

    [Fact]
    public async Task ACustomerCrossingEightyThenOneHundredPercentIsAnExpansionCandidateThenAnOverUserAndAFadingOneIsAtRisk()
    {
        var api = await server.NewEnvironmentAsync();
        var feature = await Given.EventFeatureAsync(api, "api-calls", "api_call");
        var plan = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = feature, valueType = "numeric", valueNumeric = 1000, metricPeriod = "current_month" });
        var grower = await Given.CompanyAsync(api, "grower", plan);
        var fader = await Given.CompanyAsync(api, "fader", plan);
        var steady = await Given.CompanyAsync(api, "steady", plan);
        // 2025-06-11 12:00 + 70 days: 2025-08-20, so the month so far is August 1-20 and the trend windows reach into June.
        server.Time.Advance(TimeSpan.FromDays(70));
        var now = server.Time.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);

        // grower: 170 a day on each of the last five days = 850 of 1,000 this month (85%), nothing before.
        // fader: 500 in the earlier trend window, 5 in the last one (down 99%). steady: 100 in each window.
        await Events.SendAsync(api, [
            .. Enumerable.Range(1, 5).Select(back => Events.Track("api_call", "grower", 170, sentAt: today.AddDays(-back).AddHours(9), trustedClock: true)),
            Events.Track("api_call", "fader", 500, sentAt: today.AddDays(-45).AddHours(9), trustedClock: true),
            Events.Track("api_call", "fader", 5, sentAt: today.AddDays(-5).AddHours(9), trustedClock: true),
            Events.Track("api_call", "steady", 100, sentAt: today.AddDays(-40).AddHours(9), trustedClock: true),
            Events.Track("api_call", "steady", 100, sentAt: today.AddDays(-10).AddHours(9), trustedClock: true)]);

        var expansion = await ListedAsync(api, "expansion", grower);
        Assert.Equal(
            "used 85% of api-calls (850 of 1,000 this month); at or above 80% on 2 of the last 10 days; usage new in the last 30 days",
            expansion.GetProperty("reason").GetString());
        Assert.Equal((850L, 1000L, 2), (expansion.GetProperty("evidence").GetProperty("usage").GetInt64(), expansion.GetProperty("evidence").GetProperty("limit").GetInt64(),
            expansion.GetProperty("evidence").GetProperty("days_near_limit").GetInt32()));
        var atRisk = await ListedAsync(api, "at-risk", fader);
        Assert.Equal("usage of api-calls down 99% month over month (500 → 5 in 30 days)", atRisk.GetProperty("reason").GetString());
        Assert.Empty((await api.GetAsync("/insights/signals/over-users")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        foreach (var kind in Kinds)
        {
            Assert.DoesNotContain((await api.GetAsync($"/insights/signals/{kind}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray(), s => s.GetProperty("company_id").GetString() == steady);
        }

        // Past the limit today: 1,050 of 1,000. The same company is now an over-user, and still an expansion candidate.
        await Events.SendAsync(api, Events.Track("api_call", "grower", 200));
        var over = await ListedAsync(api, "over-users", grower);
        Assert.Equal("at 105% of api-calls: 1,050 of 1,000 this month", over.GetProperty("reason").GetString());
        Assert.Equal(
            "used 105% of api-calls (1,050 of 1,000 this month); at or above 80% on 2 of the last 10 days; usage new in the last 30 days",
            (await ListedAsync(api, "expansion", grower, "used 105%")).GetProperty("reason").GetString());
        Assert.Equal(1L, (await api.GetAsync("/insights/signals/over-users/count")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());

        // Schematic's series come from the environment's daily rollup: the same sums as the events.
        var from = Iso(today.AddDays(-60));
        var until = Iso(today.AddDays(1));
        var top = Assert.Single((await api.GetAsync($"/insights/top-features?start_time={from}&end_time={until}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("features").EnumerateArray());
        Assert.Equal((feature, 850 + 200 + 505 + 200L), (top.GetProperty("feature_id").GetString()!, top.GetProperty("usage").GetInt64()));
        var series = (await api.GetAsync($"/insights/feature-usage-timeseries?feature_id={feature}&start_time={Iso(today.AddDays(-5))}&end_time={until}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("api_call", series.GetProperty("event_subtype").GetString());
        Assert.Equal(new long[] { 175, 170, 170, 170, 170, 200 }, series.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("usage").GetInt64()));
        var summary = (await api.GetAsync("/insights/summary")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal((3L, 1L), (summary.GetProperty("total_companies").GetInt64(), summary.GetProperty("total_features").GetInt64()));
        Assert.Empty(summary.GetProperty("mrr").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/insights/signals/whales")).Status);

        // The console's page lists the four, with the reasons.
        var owner = await ConsoleUsers.OwnerAsync(server);
        using (var console = await ConsoleHttp.SignInAsync(server, owner.Email))
        {
            using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = api.EnvironmentId! }, "/console");
            var page = WebUtility.HtmlDecode(await console.PageAsync("/console/insights"));
            Assert.Contains("at 105% of api-calls: 1,050 of 1,000 this month", page, StringComparison.Ordinal);
            Assert.Contains("usage of api-calls down 99% month over month (500 → 5 in 30 days)", page, StringComparison.Ordinal);
            Assert.Contains("Under-users", page, StringComparison.Ordinal);
        }

        // The list as CSV through /data-exports.
        var export = (await api.PostAsync("/data-exports", new { exportType = "insights-over-users", outputFileType = "csv" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("id").GetString()!;
        var clock = Stopwatch.StartNew();
        while ((await api.GetAsync($"/data-exports/{export}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetString() == "pending" && clock.Elapsed < Deadline)
        {
            await Task.Delay(50);
        }

        var csv = (await api.GetAsync($"/data-exports/{export}/artifact")).ShouldBe(HttpStatusCode.OK).Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, csv.Length);
        Assert.StartsWith("company_id,company_name,plan_id,feature_id,score,reason", csv[0], StringComparison.Ordinal);
        Assert.StartsWith($"{grower},grower,{plan},{feature},1.05,at 105% of api-calls: 1,050 of 1,000 this month", csv[1].Replace("\"", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/insights/feature-usage-timeseries?feature_id={feature}&start_time={from}&end_time={until}&granularity=hourly")).Status);
    }

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture));
}

public sealed class InsightSignalTestsOnSqlite(SqliteServer server) : InsightSignalTests(server), IClassFixture<SqliteServer>;

public sealed class InsightSignalTestsOnPostgres(PostgresServer server) : InsightSignalTests(server), IClassFixture<PostgresServer>;
