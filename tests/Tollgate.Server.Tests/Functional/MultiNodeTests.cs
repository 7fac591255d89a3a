using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Two nodes on one PostgreSQL database: what one node writes — catalog, companies, overrides, usage — reaches the
/// other's warm state through LISTEN/NOTIFY, without a restart and without a request to trigger it.
/// </summary>
public sealed class MultiNodeTests(PostgresNodes nodes) : IClassFixture<PostgresNodes>
{
    [Fact]
    public async Task UsageTrackedOnOneNodeShowsInChecksOnTheOther()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        await s.CompanyAsync("shared", s.Starter, seats: 1);
        var b = OnB(s.Api);
        Assert.Equal(0, (await CheckAsync(b, "api-calls", "shared")).GetProperty("feature_usage").GetInt64()); // warm on B

        await Events.SendAsync(s.Api, Events.Track("api_call", "shared", 100));

        var seen = await Events.EventuallyAsync(() => CheckAsync(b, "api-calls", "shared"), c => c.GetProperty("feature_usage").GetInt64() == 100);
        Assert.False(seen.GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task CatalogCompanyAndOverrideWritesOnOneNodeReachTheOther()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        var company = await s.CompanyAsync("moving", s.Starter, seats: 1);
        var b = OnB(s.Api);
        Assert.False((await CheckAsync(b, "sso", "moving")).GetProperty("value").GetBoolean());

        (await s.Api.PutAsync($"/company-plans/{company}", new { basePlanId = s.Pro, addOnIds = Array.Empty<string>() })).ShouldBe(HttpStatusCode.OK);
        await Events.EventuallyAsync(() => CheckAsync(b, "sso", "moving"), c => c.GetProperty("value").GetBoolean());

        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = false });
        await Events.EventuallyAsync(() => CheckAsync(b, "sso", "moving"), c => !c.GetProperty("value").GetBoolean());

        await Given.BooleanFeatureAsync(s.Api, "brand-new", defaultValue: true);
        await Events.EventuallyAsync(() => CheckAsync(b, "brand-new", "moving"), c => c.GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task ConsumptionSpreadOverBothNodesNeverExceedsTheLimit()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        await s.CompanyAsync("contended", s.Starter, seats: 1);
        var b = OnB(s.Api);

        var answers = await Task.WhenAll(Enumerable.Range(0, 150).Select(i =>
            (i % 2 == 0 ? s.Api : b).PostAsync("/flags/api-calls/check-and-track", new { company = Given.Keys("contended") })));

        Assert.Equal(100, answers.Sum(a => a.ShouldBe(HttpStatusCode.OK).Data.GetProperty("tracked").GetInt64()));
        Assert.Equal(100, (await CheckAsync(s.Api, "api-calls", "contended")).GetProperty("feature_usage").GetInt64());
    }

    [Fact]
    public async Task TraitIncrementsSpreadOverBothNodesAreAllCounted()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        await s.CompanyAsync("incremented", s.Starter, seats: 0);
        var b = OnB(s.Api);

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            (i % 2 == 0 ? s.Api : b).PostAsync("/company-traits", new { keys = Given.Keys("incremented"), trait = "seats", incr = 1 })));

        Assert.All(answers, a => a.ShouldBe(HttpStatusCode.OK));
        var company = (await s.Api.GetAsync("/companies/lookup?keys[id]=incremented")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(60, company.GetProperty("traits").GetProperty("seats").GetInt32());
    }

    [Fact]
    public async Task ARetryStormSpreadOverBothNodesCountsEachKeyedEventOnce()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        await s.CompanyAsync("retried", s.Enterprise, seats: 1);
        var b = OnB(s.Api);
        var batch = Enumerable.Range(0, 50).Select(i => (object)Events.Track("api_call", "retried", (i % 5) + 1, idempotencyKey: $"r-{i}")).ToArray();

        // The same keyed batch sent six times at once, half of the attempts to each node.
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Events.SendAsync(i % 2 == 0 ? s.Api : b, batch)));

        Assert.Equal(50, answers.Sum(a => a.Body.GetProperty("accepted").GetInt32()));
        Assert.Equal(250, answers.Sum(a => a.Body.GetProperty("duplicates").GetInt32()));
        await using var connection = await nodes.A.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        Assert.Equal(150, await connection.ExecuteScalarAsync<long>(
            "SELECT MAX(value) FROM usage_counters WHERE environment_id = @environmentId AND period = 0", new { environmentId = s.Api.EnvironmentId }));
    }

    [Fact]
    public async Task CheckAndTrackRetriedOnTheOtherNodeReplaysTheFirstAnswer()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        await s.CompanyAsync("replayed", s.Starter, seats: 1);
        var b = OnB(s.Api);
        var call = new { company = Given.Keys("replayed"), quantity = 5, idempotencyKey = "op-across" };

        var first = (await s.Api.PostAsync("/flags/api-calls/check-and-track", call)).ShouldBe(HttpStatusCode.OK).Data;
        var retried = (await b.PostAsync("/flags/api-calls/check-and-track", call)).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal((5L, true), (retried.GetProperty("tracked").GetInt64(), retried.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(first.GetProperty("check").GetRawText(), retried.GetProperty("check").GetRawText());
        await Events.EventuallyAsync(() => CheckAsync(b, "api-calls", "replayed"), c => c.GetProperty("feature_usage").GetInt64() == 5);
        Assert.Equal(5, (await CheckAsync(s.Api, "api-calls", "replayed")).GetProperty("feature_usage").GetInt64());
    }

    [Fact]
    public async Task ConcurrentCheckAndTrackCallsWithOneKeyOnBothNodesTrackOnce()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        await s.CompanyAsync("twice", s.Starter, seats: 1);
        var b = OnB(s.Api);
        var call = new { company = Given.Keys("twice"), quantity = 7, idempotencyKey = "op-concurrent" };

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? s.Api : b).PostAsync("/flags/api-calls/check-and-track", call)));

        var data = answers.Select(a => a.ShouldBe(HttpStatusCode.OK).Data).ToList();
        Assert.Single(data, d => !d.GetProperty("duplicate").GetBoolean());
        Assert.All(data, d => Assert.Equal(7, d.GetProperty("tracked").GetInt64()));
        await using var connection = await nodes.A.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        Assert.Equal(7, await connection.ExecuteScalarAsync<long>(
            "SELECT MAX(value) FROM usage_counters WHERE environment_id = @environmentId AND period = 0", new { environmentId = s.Api.EnvironmentId }));
    }

    [Fact]
    public async Task AKeyRevokedOnOneNodeIsRefusedByTheOtherWithinOneSecond()
    {
        var admin = await nodes.A.NewEnvironmentAsync();
        var created = (await admin.PostAsync("/api-keys", new { name = "leaked" })).ShouldBe(HttpStatusCode.Created).Data;
        var leakedOnB = nodes.B.Api(created.GetProperty("key").GetString());
        (await leakedOnB.GetAsync("/features")).ShouldBe(HttpStatusCode.OK); // cached on B

        (await admin.DeleteAsync($"/api-keys/{created.GetProperty("api_key").GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK);

        // B's clock does not move: only the change notice, not the cache's expiry, can make B refuse the key.
        var clock = Stopwatch.StartNew();
        while ((await leakedOnB.GetAsync("/features")).Status != HttpStatusCode.Unauthorized)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "node B still accepts the revoked key after one second");
            await Task.Delay(10);
        }

        Assert.NotNull(nodes.B.Services.GetRequiredService<ChangeFeed>().LastRemoteLag);
    }

    [Fact]
    public async Task TheChangeFeedLagOfChangesFromTheOtherNodeIsAMetric()
    {
        var meters = nodes.B.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var lags = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<double>(
            meters, Tollgate.Server.Operations.TollgateMetrics.MeterName, "tollgate.change_feed.lag");
        using var notices = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(
            meters, Tollgate.Server.Operations.TollgateMetrics.MeterName, "tollgate.change_feed.notices");

        var s = await PricingScenario.CreateAsync(nodes.A);
        await Given.BooleanFeatureAsync(s.Api, "lag-metric", defaultValue: true);
        await Events.EventuallyAsync(() => CheckAsync(OnB(s.Api), "lag-metric", "nobody"), c => c.GetProperty("value").GetBoolean());

        Assert.NotEmpty(lags.GetMeasurementSnapshot());
        Assert.All(lags.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 60));
        Assert.Contains(notices.GetMeasurementSnapshot(), m => m.Tags["origin"] as string == "other_node" && m.Tags["kind"] as string == "catalog");
    }

    [Fact]
    public async Task EachChangeFromTheOtherNodeReportsItsLag()
    {
        var lags = new List<TimeSpan>();
        var feed = nodes.B.Services.GetRequiredService<ChangeFeed>();
        void Record(TimeSpan lag)
        {
            lock (lags)
            {
                lags.Add(lag);
            }
        }

        feed.RemoteChangeDelivered += Record;
        try
        {
            var s = await PricingScenario.CreateAsync(nodes.A);
            await Given.BooleanFeatureAsync(s.Api, "lag-probe", defaultValue: true);
            await Events.EventuallyAsync(() => CheckAsync(OnB(s.Api), "lag-probe", "nobody"), c => c.GetProperty("value").GetBoolean());
        }
        finally
        {
            feed.RemoteChangeDelivered -= Record;
        }

        lock (lags)
        {
            Assert.NotEmpty(lags);
            Assert.All(lags, lag => Assert.True(lag >= TimeSpan.Zero));
        }
    }

    private ApiClient OnB(ApiClient a)
    {
        var b = nodes.B.Api(a.Key);
        b.EnvironmentId = a.EnvironmentId;
        return b;
    }

    private static async Task<System.Text.Json.JsonElement> CheckAsync(ApiClient api, string flag, string company)
    {
        var response = await api.PostAsync($"/flags/{flag}/check", new { company = Given.Keys(company) });
        // A flag made on the other node is unknown here until the catalog notice arrives.
        return response.Status == HttpStatusCode.NotFound
            ? System.Text.Json.JsonDocument.Parse("""{"value":false,"feature_usage":-1}""").RootElement
            : response.ShouldBe(HttpStatusCode.OK).Data;
    }
}
