using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Functional.Lifecycle;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// <c>/feature-companies</c> of a metered feature read in counter order (<see cref="CounterOrder"/>) against the exact
/// walk: the expected answer is each company's <c>POST /flags/check</c> (entitled when the check has an entitlement, its
/// usage the entitlement's, none as 0), sorted by usage, then id, which is what the walk computes. The data set holds the
/// cases where a company's usage is not simply its counter: an unlimited plan and an unlimited add-on (no usage though
/// the counters hold some), overrides (of the plans' period, unlimited, boolean off, expired), a trial, a reporting
/// add-on, a company without a counter; then an override of its own period and a billing-anchored plan, which send the
/// list back to the walk.
/// </summary>
public abstract class MeteredFeatureCompanyOrderTests(TollgateFactory server)
{
    [Fact]
    public async Task PagesInCounterOrderEqualTheChecksOrderAndTheWalkTakesOverWhereCountersDoNotGiveIt()
    {
        var s = await PricingScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var unlimitedAddOn = await Given.PlanAsync(s.Api, "Unlimited calls", "add_on");
        await Given.EntitlementAsync(s.Api, new { planId = unlimitedAddOn, featureId = s.ApiCalls, valueType = "unlimited" });
        var extraAddOn = await Given.PlanAsync(s.Api, "Extra calls", "add_on");
        await Given.EntitlementAsync(s.Api, new { planId = extraAddOn, featureId = s.ApiCalls, valueType = "numeric", valueNumeric = 500, metricPeriod = "current_month" });

        var usage = new Dictionary<string, long>(StringComparer.Ordinal);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var keys = new List<string>();
        async Task<string> Company(string key, string? planId, long used, params string[] addOnIds)
        {
            var id = (await s.Api.PostAsync("/companies", new { keys = Given.Keys(key), name = key, basePlanId = planId, addOnIds })).ShouldBe(HttpStatusCode.OK).Id;
            keys.Add(key);
            ids[key] = id;
            if (used > 0)
            {
                usage[key] = used;
            }

            return id;
        }

        await Company("mo-pro-heavy", s.Pro, 50);
        await Company("mo-starter-heavy", s.Starter, 50);
        await Company("mo-pro-light", s.Pro, 5);
        await Company("mo-pro-idle", s.Pro, 0);
        await Company("mo-starter-idle", s.Starter, 0);
        await Company("mo-ent-busy", s.Enterprise, 70);
        await Company("mo-ent-idle", s.Enterprise, 0);
        await Company("mo-unlimited-add-on", s.Starter, 80, unlimitedAddOn);
        await Company("mo-extra-add-on", s.Starter, 30, extraAddOn);
        await Company("mo-only-add-on", null, 12, extraAddOn);
        await Company("mo-no-plan", null, 90);
        var raised = await Company("mo-override-raised", s.Starter, 20);
        await Given.OverrideAsync(s.Api, new { companyId = raised, featureId = s.ApiCalls, valueType = "numeric", valueNumeric = 2000, metricPeriod = "current_month" });
        var unlimitedOverride = await Company("mo-override-unlimited", s.Pro, 60);
        await Given.OverrideAsync(s.Api, new { companyId = unlimitedOverride, featureId = s.ApiCalls, valueType = "unlimited" });
        var switchedOff = await Company("mo-override-off", s.Pro, 40);
        await Given.OverrideAsync(s.Api, new { companyId = switchedOff, featureId = s.ApiCalls, valueType = "boolean", valueBool = false });
        var alone = await Company("mo-override-alone", null, 15);
        await Given.OverrideAsync(s.Api, new { companyId = alone, featureId = s.ApiCalls, valueType = "numeric", valueNumeric = 10, metricPeriod = "current_month" });
        var expired = await Company("mo-override-expired", s.Enterprise, 25);
        await Given.OverrideAsync(s.Api, new { companyId = expired, featureId = s.ApiCalls, valueType = "numeric", valueNumeric = 1, metricPeriod = "current_month", expirationDate = now.AddMinutes(-1) });
        var expiredAlone = await Company("mo-override-expired-alone", null, 35);
        await Given.OverrideAsync(s.Api, new { companyId = expiredAlone, featureId = s.ApiCalls, valueType = "unlimited", expirationDate = now.AddMinutes(-1) });
        // The plan group (for the trial) comes last: its initial plan would put the companies without a plan on Starter.
        (await s.Api.PostAsync("/plan-groups", LifecycleWorld.Group(s.Starter, s.Pro))).ShouldBe(HttpStatusCode.Created);
        var trialing = await Company("mo-trial", s.Starter, 45);
        (await s.Api.PostAsync($"/companies/{trialing}/trial", new { planId = s.Pro })).ShouldBe(HttpStatusCode.OK);
        await TrackAsync(s, ids, totals, usage);

        Assert.True(await CounterOrderIsTakenAsync(s));
        await AssertPagesEqualTheChecksAsync(s, keys, expectedCount: 16);

        // An override of its own period: the day's counter (3) is not the month's (43), so the counters' order is not the
        // answer's and the walk answers.
        var daily = await Company("mo-override-daily", s.Starter, 0);
        var dailyOverride = await Given.OverrideAsync(s.Api, new { companyId = daily, featureId = s.ApiCalls, valueType = "numeric", valueNumeric = 100, metricPeriod = "current_day" });
        await TrackAsync(s, ids, totals, new Dictionary<string, long> { ["mo-override-daily"] = 40 });
        server.Time.Advance(TimeSpan.FromDays(1));
        await TrackAsync(s, ids, totals, new Dictionary<string, long> { ["mo-override-daily"] = 3 });
        Assert.False(await CounterOrderIsTakenAsync(s));
        await AssertPagesEqualTheChecksAsync(s, keys, expectedCount: 17);

        // Deleted, the override no longer decides (the company is back on Starter's month); a billing-anchored plan then
        // sends the list to the walk again.
        (await s.Api.DeleteAsync($"/company-overrides/{dailyOverride}")).ShouldBe(HttpStatusCode.OK);
        Assert.True(await CounterOrderIsTakenAsync(s));
        await AssertPagesEqualTheChecksAsync(s, keys, expectedCount: 17);
        var anchored = await Given.PlanAsync(s.Api, "Anchored");
        await Given.EntitlementAsync(s.Api, new { planId = anchored, featureId = s.ApiCalls, valueType = "numeric", valueNumeric = 100, metricPeriod = "current_month", metricPeriodMonthReset = "billing_cycle" });
        await Company("mo-anchored", anchored, 0);
        Assert.False(await CounterOrderIsTakenAsync(s));
        await AssertPagesEqualTheChecksAsync(s, keys, expectedCount: 18);
    }

    /// <summary>Sends the usage (by company key) and waits until each company's month shows its total so far.</summary>
    private static async Task TrackAsync(PricingScenario s, Dictionary<string, string> ids, Dictionary<string, long> totals, Dictionary<string, long> usage)
    {
        await Events.SendAsync(s.Api, [.. usage.Select(u => (object)Events.Track("api_call", u.Key, u.Value))]);
        foreach (var (key, used) in usage)
        {
            totals[key] = totals.GetValueOrDefault(key) + used;
            await Events.EventuallyAsync(
                async () => (await s.Api.GetAsync(
                    $"/feature-usage-timeseries?company_id={ids[key]}&feature_id={s.ApiCalls}&start_time=2000-01-01T00:00:00Z&end_time=2100-01-01T00:00:00Z&granularity=monthly")).Data,
                d => d.GetProperty("usage_points").EnumerateArray().Sum(p => p.GetProperty("usage").GetInt64()) == totals[key]);
        }

        // A check may answer usage up to CompanyView.UsageRefresh older than the latest commit (a warm view is not rebuilt
        // on every commit): past that bound every check, those the expected order is made from included, sees the events.
        await Task.Delay(CompanyView.UsageRefresh * 5);
    }

    private async Task<bool> CounterOrderIsTakenAsync(PricingScenario s)
    {
        var environmentId = s.Api.EnvironmentId!;
        var store = server.Services.GetRequiredService<ResourceStore>();
        var catalog = await server.Services.GetRequiredService<RuntimeRegistry>().For(environmentId).CatalogAsync(CancellationToken.None);
        var now = server.Time.GetUtcNow();
        var holders = await FeatureHolders.ForAsync(store, catalog, environmentId, s.ApiCalls, FeatureHolding.Entitlement, now, CancellationToken.None);
        return await CounterOrder.ForAsync(store, catalog, catalog.Features[s.ApiCalls], holders, environmentId, now, CancellationToken.None) is not null;
    }

    /// <summary>Every page of several sizes and offsets, and the count, equal the checks' order of the companies.</summary>
    private static async Task AssertPagesEqualTheChecksAsync(PricingScenario s, List<string> keys, int expectedCount)
    {
        var expected = new List<(string Id, long Usage)>();
        foreach (var key in keys)
        {
            var check = await s.CheckAsync("api-calls", key);
            if (check.GetProperty("entitlement") is { ValueKind: JsonValueKind.Object } entitlement)
            {
                expected.Add((check.GetProperty("company_id").GetString()!, entitlement.GetProperty("usage") is { ValueKind: JsonValueKind.Number } used ? used.GetInt64() : 0));
            }
        }

        expected = [.. expected.OrderByDescending(e => e.Usage).ThenBy(e => e.Id, StringComparer.Ordinal)];
        Assert.Equal(expectedCount, expected.Count);
        foreach (var limit in new[] { 1, 2, 3, 7, 100 })
        {
            var pages = new List<(string Id, long Usage)>();
            for (var offset = 0; offset < expected.Count + limit; offset += limit)
            {
                pages.AddRange(Rows(await ListAsync(s.Api, $"/feature-companies?feature_id={s.ApiCalls}&limit={limit}&offset={offset}")));
            }

            Assert.Equal(expected, pages);
        }

        foreach (var offset in new[] { 1, 4, 9, 13, 17 })
        {
            Assert.Equal(expected.Skip(offset).Take(5), Rows(await ListAsync(s.Api, $"/feature-companies?feature_id={s.ApiCalls}&limit=5&offset={offset}")));
        }

        Assert.Equal(expected.Count, (await ListAsync(s.Api, $"/feature-companies/count?feature_id={s.ApiCalls}")).GetProperty("count").GetInt64());
    }

    private static async Task<JsonElement> ListAsync(ApiClient api, string path) => (await api.GetAsync(path)).ShouldBe(HttpStatusCode.OK).Data;

    private static List<(string Id, long Usage)> Rows(JsonElement rows) =>
        [.. rows.EnumerateArray().Select(r => (r.GetProperty("company").GetProperty("id").GetString()!, r.GetProperty("usage") is { ValueKind: JsonValueKind.Number } u ? u.GetInt64() : 0))];
}

public sealed class MeteredFeatureCompanyOrderTestsOnSqlite(SqliteServer server) : MeteredFeatureCompanyOrderTests(server), IClassFixture<SqliteServer>;

public sealed class MeteredFeatureCompanyOrderTestsOnPostgres(PostgresServer server) : MeteredFeatureCompanyOrderTests(server), IClassFixture<PostgresServer>;
