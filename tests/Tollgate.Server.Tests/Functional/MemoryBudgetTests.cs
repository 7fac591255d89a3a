using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// With a memory budget far smaller than the companies checked, views and usage counters are evicted all the time:
/// an evicted company answers as it did before, and no tracked event is lost to an eviction racing its commit.
/// </summary>
public abstract class MemoryBudgetTests(TollgateFactory server)
{
    /// <summary>Budgets of a few entries, so that a dozen companies evict each other on every round of checks.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string?>> TinyBudget =
    [
        new("Tollgate:Memory:WarmCompanies", "4"),
        new("Tollgate:Memory:WarmUsers", "4"),
        new("Tollgate:Memory:UsageCompanies", "3"),
    ];

    private const int Limit = 50;

    [Fact]
    public async Task ACheckOfAnEvictedCompanyGivesTheSameAnswerAsBeforeEviction()
    {
        var api = await server.NewEnvironmentAsync();
        var planId = await MeteredPlanAsync(api, "calls", "call");
        var companies = Enumerable.Range(0, 12).Select(i => $"evicted-{i}").ToList();
        foreach (var (company, i) in companies.Select((c, i) => (c, i)))
        {
            await Given.CompanyAsync(api, company, basePlanId: planId);
            // Usage around the limit: some companies are over it, some under, so the answers differ.
            await Events.SendAsync(api, Events.Track("call", company, quantity: (i * 9) + 1));
        }

        var before = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (company, i) in companies.Select((c, i) => (c, i)))
        {
            before[company] = await Events.EventuallyAsync(() => CheckAsync(api, "calls", company), c => c.GetProperty("feature_usage").GetInt64() == (i * 9) + 1);
        }

        var evictionsBefore = Evictions(api);
        for (var round = 0; round < 3; round++)
        {
            foreach (var company in companies)
            {
                var after = await CheckAsync(api, "calls", company);
                Assert.Equal(Answer(before[company]), Answer(after));
            }
        }

        Assert.True(Evictions(api).Views > evictionsBefore.Views, "the views were evicted");
        Assert.True(Evictions(api).Counters > evictionsBefore.Counters, "the counters were evicted");
        Assert.Contains(before.Values, c => !c.GetProperty("value").GetBoolean());
        Assert.Contains(before.Values, c => c.GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task TracksRacingEvictionsUnderConcurrentChecksAreAllCounted()
    {
        var api = await server.NewEnvironmentAsync();
        var planId = await MeteredPlanAsync(api, "racing-calls", "racing_call");
        var companies = Enumerable.Range(0, 10).Select(i => $"racing-{i}").ToList();
        foreach (var company in companies)
        {
            await Given.CompanyAsync(api, company, basePlanId: planId);
        }

        const int TracksPerCompany = 15;
        using var stop = new CancellationTokenSource();
        var checkers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var checks = 0;
            while (!stop.IsCancellationRequested)
            {
                await CheckAsync(api, "racing-calls", companies[(worker + checks++) % companies.Count]);
            }

            return checks;
        })).ToList();
        var trackers = companies.Select(company => Task.Run(async () =>
        {
            for (var i = 0; i < TracksPerCompany; i++)
            {
                await Events.SendAsync(api, Events.Track("racing_call", company, quantity: 1));
            }
        })).ToList();
        await Task.WhenAll(trackers);
        await stop.CancelAsync();
        var checksDone = (await Task.WhenAll(checkers)).Sum();

        foreach (var company in companies)
        {
            var check = await Events.EventuallyAsync(() => CheckAsync(api, "racing-calls", company), c => c.GetProperty("feature_usage").GetInt64() >= TracksPerCompany);
            Assert.Equal(TracksPerCompany, check.GetProperty("feature_usage").GetInt64());
            Assert.Equal(TracksPerCompany, await StoredAllTimeAsync(api.EnvironmentId!, company));
        }

        Assert.True(checksDone > companies.Count, "checks ran while events were tracked");
        var (viewEvictions, counterEvictions) = Evictions(api);
        Assert.True(viewEvictions > 0 && counterEvictions > 0, "views and counters were evicted");
        Assert.InRange(server.Services.GetRequiredService<UsageCounters>().HeldCount, 0, 3);
        Assert.InRange(server.Services.GetRequiredService<RuntimeRegistry>().For(api.EnvironmentId!).WarmCompanyCount, 0, 4);
    }

    [Fact]
    public async Task ConcurrentChecksOfOneColdCompanyAllGetItsAnswer()
    {
        var api = await server.NewEnvironmentAsync();
        var planId = await MeteredPlanAsync(api, "cold-calls", "cold_call");
        await Given.CompanyAsync(api, "cold", basePlanId: planId);
        await Events.SendAsync(api, Events.Track("cold_call", "cold", quantity: Limit + 1));
        await Events.EventuallyAsync(() => CheckAsync(api, "cold-calls", "cold"), c => c.GetProperty("feature_usage").GetInt64() == Limit + 1);
        for (var i = 0; i < 8; i++)
        {
            await Given.CompanyAsync(api, $"pusher-{i}", basePlanId: planId);
            await CheckAsync(api, "cold-calls", $"pusher-{i}"); // pushes "cold" out of the tiny budget
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => CheckAsync(api, "cold-calls", "cold")));

        Assert.All(answers, a =>
        {
            Assert.False(a.GetProperty("value").GetBoolean());
            Assert.Equal(Limit + 1, a.GetProperty("feature_usage").GetInt64());
        });
    }

    private (long Views, long Counters) Evictions(ApiClient api) =>
        (server.Services.GetRequiredService<RuntimeRegistry>().For(api.EnvironmentId!).CompanyEvictions,
         server.Services.GetRequiredService<UsageCounters>().Evictions);

    private static string Answer(JsonElement check) => string.Join(
        '|',
        check.GetProperty("value").GetBoolean().ToString(CultureInfo.InvariantCulture),
        check.GetProperty("reason").GetString(),
        check.GetProperty("feature_usage").GetInt64().ToString(CultureInfo.InvariantCulture),
        check.GetProperty("feature_allocation").GetInt64().ToString(CultureInfo.InvariantCulture));

    /// <summary>A metered feature with an all-time limit of <see cref="Limit"/> on a plan; answers the plan's id.</summary>
    private static async Task<string> MeteredPlanAsync(ApiClient api, string featureKey, string eventSubtype)
    {
        var feature = await Given.EventFeatureAsync(api, featureKey, eventSubtype);
        var plan = await Given.PlanAsync(api, $"Metered {featureKey}");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = feature, valueType = "numeric", valueNumeric = Limit, metricPeriod = "all_time" });
        return plan;
    }

    private static async Task<JsonElement> CheckAsync(ApiClient api, string flag, string company) =>
        (await api.PostAsync($"/flags/{flag}/check", new { company = Given.Keys(company) })).ShouldBe(HttpStatusCode.OK).Data;

    private async Task<long> StoredAllTimeAsync(string environmentId, string companyKey)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(
            """
            SELECT COALESCE(SUM(c.value), 0) FROM usage_counters c
            JOIN entity_keys k ON k.environment_id = c.environment_id AND k.entity_id = c.company_id
            WHERE c.environment_id = @environmentId AND k.key = 'id' AND k.value = @companyKey AND c.period = 0
            """,
            new { environmentId, companyKey });
    }
}

/// <summary>The server on SQLite with <see cref="MemoryBudgetTests.TinyBudget"/>.</summary>
public sealed class TinyBudgetSqliteServer() : TollgateFactory(StoreKind.Sqlite)
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => MemoryBudgetTests.TinyBudget;
}

/// <summary>The server on PostgreSQL with <see cref="MemoryBudgetTests.TinyBudget"/>.</summary>
public sealed class TinyBudgetPostgresServer() : TollgateFactory(StoreKind.Postgres)
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => MemoryBudgetTests.TinyBudget;
}

public sealed class MemoryBudgetTestsOnSqlite(TinyBudgetSqliteServer server) : MemoryBudgetTests(server), IClassFixture<TinyBudgetSqliteServer>;

public sealed class MemoryBudgetTestsOnPostgres(TinyBudgetPostgresServer server) : MemoryBudgetTests(server), IClassFixture<TinyBudgetPostgresServer>;
