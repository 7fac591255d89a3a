using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Views outlive their counters (room for many views, for two companies' counters): a view whose counters were evicted
/// must not keep answering from them, since commits no longer reach evicted counters.
/// </summary>
public abstract class UsageEvictionTests(TollgateFactory server)
{
    /// <summary>Room for every view, but for the counters of only two companies.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string?>> SmallUsageBudget =
    [
        new("Tollgate:Memory:WarmCompanies", "100"),
        new("Tollgate:Memory:UsageCompanies", "2"),
    ];

    [Fact]
    public async Task AWarmViewWhoseCountersWereEvictedSeesEventsTrackedAfterTheEviction()
    {
        var api = await server.NewEnvironmentAsync();
        var feature = await Given.EventFeatureAsync(api, "seen-calls", "seen_call");
        var plan = await Given.PlanAsync(api, "Seen");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = feature, valueType = "numeric", valueNumeric = 100, metricPeriod = "all_time" });
        await Given.CompanyAsync(api, "watched", basePlanId: plan);
        await Events.SendAsync(api, Events.Track("seen_call", "watched", quantity: 3));
        await Events.EventuallyAsync(() => CheckAsync(api, "watched"), c => c.GetProperty("feature_usage").GetInt64() == 3);
        var counters = server.Services.GetRequiredService<UsageCounters>();
        var evictionsBefore = counters.Evictions;

        // Other companies' counters push "watched"'s out, while its view stays warm (the views' budget is large).
        for (var i = 0; i < 6; i++)
        {
            await Given.CompanyAsync(api, $"other-{i}", basePlanId: plan);
            await CheckAsync(api, $"other-{i}");
        }

        await Events.SendAsync(api, Events.Track("seen_call", "watched", quantity: 4));
        var after = await Events.EventuallyAsync(() => CheckAsync(api, "watched"), c => c.GetProperty("feature_usage").GetInt64() == 7);

        Assert.True(counters.Evictions >= evictionsBefore + 4, "counters were evicted");
        Assert.Equal(7, after.GetProperty("feature_usage").GetInt64());
    }

    private static async Task<JsonElement> CheckAsync(ApiClient api, string company) =>
        (await api.PostAsync("/flags/seen-calls/check", new { company = Given.Keys(company) })).ShouldBe(HttpStatusCode.OK).Data;
}

/// <summary>The server on SQLite with <see cref="UsageEvictionTests.SmallUsageBudget"/>.</summary>
public sealed class SmallUsageBudgetSqliteServer() : TollgateFactory(StoreKind.Sqlite)
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => UsageEvictionTests.SmallUsageBudget;
}

/// <summary>The server on PostgreSQL with <see cref="UsageEvictionTests.SmallUsageBudget"/>.</summary>
public sealed class SmallUsageBudgetPostgresServer() : TollgateFactory(StoreKind.Postgres)
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => UsageEvictionTests.SmallUsageBudget;
}

public sealed class UsageEvictionTestsOnSqlite(SmallUsageBudgetSqliteServer server) : UsageEvictionTests(server), IClassFixture<SmallUsageBudgetSqliteServer>;

public sealed class UsageEvictionTestsOnPostgres(SmallUsageBudgetPostgresServer server) : UsageEvictionTests(server), IClassFixture<SmallUsageBudgetPostgresServer>;
