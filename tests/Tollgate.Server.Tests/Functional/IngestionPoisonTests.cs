using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// No event can poison ingestion: one that would overflow a counter, cost infinite credits or be refused by the store
/// is refused alone, with its reason, and the other events of its batch and of its group commit — other tenants'
/// too — are written and counted.
/// </summary>
public abstract class IngestionPoisonTests(TollgateFactory server)
{
    [Fact]
    public async Task AnEventThatWouldOverflowACounterIsRefusedAloneAmongOtherTenantsEvents()
    {
        var tenant = await PricingScenario.CreateAsync(server);
        var other = await PricingScenario.CreateAsync(server);
        var full = await tenant.CompanyAsync("full", tenant.Pro, seats: 1);
        await tenant.CompanyAsync("calm", tenant.Pro, seats: 1);
        await other.CompanyAsync("neighbour", other.Pro, seats: 1);
        await Events.SendAsync(tenant.Api, Events.Track("api_call", "full", 1));
        await FillCountersAsync(tenant.Api.EnvironmentId!, full, UsageCounters.Ceiling - 10);

        // One batch, two tenants (each event carries its own key, as the SDKs send them).
        var answer = (await server.Api(key: null).PostAsync("/batch", new
        {
            events = new[]
            {
                WithKey(Events.Track("api_call", "neighbour", 7), other.Api),
                WithKey(Events.Track("api_call", "full", 11), tenant.Api),
                WithKey(Events.Track("api_call", "calm", 5), tenant.Api),
                WithKey(Events.Track("api_call", "full", 10), tenant.Api),
                WithKey(Events.Track("api_call", "full", EventIntake.MaxQuantity), tenant.Api),
            },
        })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(3, answer.Body.GetProperty("accepted").GetInt32());
        var rejected = answer.Body.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1, 4], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(rejected, r => Assert.StartsWith("body.quantity:", r.GetProperty("error").GetString(), StringComparison.Ordinal));
        Assert.Equal(UsageCounters.Ceiling, await AllTimeAsync(tenant.Api.EnvironmentId!, full));
        Assert.Equal(5, await AllTimeAsync(tenant.Api.EnvironmentId!, await IdOfAsync(tenant.Api, "calm")));
        Assert.Equal(7, await AllTimeAsync(other.Api.EnvironmentId!, await IdOfAsync(other.Api, "neighbour")));

        // The full counter saturates in memory too: the limit stays exceeded, it never wraps around to pass again. A
        // warm view counts committed usage within CompanyView.UsageRefresh (20 ms), so the check may take that long.
        var check = await Events.EventuallyAsync(
            () => tenant.CheckAsync("api-calls", "full"), c => c.GetProperty("feature_usage").GetInt64() == UsageCounters.Ceiling);
        Assert.Equal(UsageCounters.Ceiling, check.GetProperty("feature_usage").GetInt64());
        Assert.False(check.GetProperty("value").GetBoolean());

        // Later batches go on: the full company's usage is refused, everyone else's counted.
        var later = await Events.SendAsync(tenant.Api, Events.Track("api_call", "calm", 2), Events.Track("api_call", "full", 1));
        await Events.SendAsync(other.Api, Events.Track("api_call", "neighbour", 3));
        Assert.Equal(1, later.Body.GetProperty("accepted").GetInt32());
        Assert.Equal(7, await AllTimeAsync(tenant.Api.EnvironmentId!, await IdOfAsync(tenant.Api, "calm")));
        Assert.Equal(10, await AllTimeAsync(other.Api.EnvironmentId!, await IdOfAsync(other.Api, "neighbour")));
        Assert.Equal(UsageCounters.Ceiling, await AllTimeAsync(tenant.Api.EnvironmentId!, full));
        (await tenant.Api.PostAsync("/batch", new { events = new[] { Events.Track("api_call", "full", 1) } }))
            .ShouldFail(HttpStatusCode.BadRequest, "body.quantity");
    }

    [Fact]
    public async Task AnEventCostingMoreCreditsThanABalanceCanHoldIsRefusedAlone()
    {
        var api = await server.NewEnvironmentAsync();
        var credit = (await api.PostAsync("/billing/credits", new { name = "Tokens", description = "t", currency = "usd" })).ShouldBe(HttpStatusCode.Created).Id;
        var feature = await Given.EventFeatureAsync(api, "gen", "generation");
        var plan = await Given.PlanAsync(api, "Huge");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = feature, valueType = "credit", valueCreditId = credit, creditConsumptionRate = 1e300 });
        await Given.CompanyAsync(api, "spender", plan);
        var other = await PricingScenario.CreateAsync(server);
        await other.CompanyAsync("bystander", other.Pro, seats: 1);

        var answer = (await server.Api(key: null).PostAsync("/batch", new
        {
            events = new[]
            {
                WithKey(Events.Track("generation", "spender", 10), api), // 1e301 credits: finite, but no balance holds it exactly
                WithKey(Events.Track("api_call", "bystander", 4), other.Api),
                WithKey(Events.Track("generation", "spender", EventIntake.MaxQuantity), api), // infinite
                WithKey(Events.Track("generation", "spender", 0), api),
            },
        })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(2, answer.Body.GetProperty("accepted").GetInt32());
        var rejected = answer.Body.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([0, 2], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(rejected, r => Assert.Contains("credits", r.GetProperty("error").GetString(), StringComparison.Ordinal));
        Assert.Equal(4, await AllTimeAsync(other.Api.EnvironmentId!, await IdOfAsync(other.Api, "bystander")));
    }

    [Fact]
    public async Task AnEventTheStoreRefusesFailsAloneAndTheRestOfItsGroupCommitIsWritten()
    {
        var tenant = await PricingScenario.CreateAsync(server);
        var other = await PricingScenario.CreateAsync(server);
        await tenant.CompanyAsync("good", tenant.Pro, seats: 1);
        await other.CompanyAsync("innocent", other.Pro, seats: 1);
        await RefusePoisonAsync(refuse: true);
        try
        {
            // Sent together so they share group commits; the poison is in the middle of its own batch.
            var sends = Enumerable.Range(0, 12).Select(i => i == 5
                ? tenant.Api.PostAsync("/batch", new { events = new[] { Events.Track("api_call", "good", 1), Events.Track("poison", "good", 1), Events.Track("api_call", "good", 1) } })
                : (i % 2 == 0 ? tenant.Api : other.Api).PostAsync("/batch", new { events = new[] { Events.Track("api_call", i % 2 == 0 ? "good" : "innocent", 10) } }));
            var answers = await Task.WhenAll(sends);
            var alone = await tenant.Api.PostAsync("/batch", new { events = new[] { Events.Track("poison", "good", 1) } });

            Assert.All(answers, a => a.ShouldBe(HttpStatusCode.OK));
            var poisoned = answers[5].Body;
            Assert.Equal(2, poisoned.GetProperty("accepted").GetInt32());
            var rejected = Assert.Single(poisoned.GetProperty("rejected").EnumerateArray());
            Assert.Equal(1, rejected.GetProperty("index").GetInt32());
            Assert.Contains("database refused", rejected.GetProperty("error").GetString(), StringComparison.Ordinal);
            alone.ShouldFail(HttpStatusCode.BadRequest, "database refused");
            Assert.Equal((6 * 10) + 2, await AllTimeAsync(tenant.Api.EnvironmentId!, await IdOfAsync(tenant.Api, "good")));
            Assert.Equal(5 * 10, await AllTimeAsync(other.Api.EnvironmentId!, await IdOfAsync(other.Api, "innocent")));

            await Events.SendAsync(other.Api, Events.Track("api_call", "innocent", 1));
            Assert.Equal((5 * 10) + 1, await AllTimeAsync(other.Api.EnvironmentId!, await IdOfAsync(other.Api, "innocent")));
        }
        finally
        {
            await RefusePoisonAsync(refuse: false);
        }
    }

    [Fact]
    public async Task ATextPostgreSqlCannotHoldIsRefusedAloneThere()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("nul", s.Pro, seats: 1);

        var answer = await Events.SendAsync(s.Api, Events.Track("api_call", "nul", 3), Events.Track("api\u0000call", "nul", 1), Events.Track("api_call", "nul", 4));

        // PostgreSQL text cannot hold U+0000 (SQLite can): there the event is refused with PostgreSQL's reason.
        var refusedThere = server.Store == StoreKind.Postgres;
        Assert.Equal(refusedThere ? 2 : 3, answer.Body.GetProperty("accepted").GetInt32());
        Assert.Equal(refusedThere ? 1 : 0, answer.Body.GetProperty("rejected").GetArrayLength());
        Assert.Equal(7, await AllTimeAsync(s.Api.EnvironmentId!, await IdOfAsync(s.Api, "nul"), "api_call"));
    }

    private static Dictionary<string, object?> WithKey(Dictionary<string, object?> e, ApiClient api)
    {
        e["api_key"] = api.Key;
        return e;
    }

    private async Task<string> IdOfAsync(ApiClient api, string key) =>
        (await api.GetAsync($"/companies/lookup?keys[id]={key}")).ShouldBe(HttpStatusCode.OK).Id;

    /// <summary>Sets every stored counter of the company and reloads them into the server's memory.</summary>
    private async Task FillCountersAsync(string environmentId, string companyId, long value)
    {
        await using (var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(
                "UPDATE usage_counters SET value = @value WHERE environment_id = @environmentId AND company_id = @companyId", new { value, environmentId, companyId });
        }

        await server.Services.GetRequiredService<UsageCounters>().RefreshAsync(environmentId, companyId, CancellationToken.None);
    }

    private async Task<long> AllTimeAsync(string environmentId, string companyId, string subtype = "api_call")
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(MAX(value), 0) FROM usage_counters WHERE environment_id = @environmentId AND company_id = @companyId AND event_subtype = @subtype AND period = 0",
            new { environmentId, companyId, subtype });
    }

    private Task RefusePoisonAsync(bool refuse) => PoisonedEvents.RefuseAsync(server, "no_poison", refuse);
}

public sealed class IngestionPoisonTestsOnSqlite(SqliteServer server) : IngestionPoisonTests(server), IClassFixture<SqliteServer>;

public sealed class IngestionPoisonTestsOnPostgres(PostgresServer server) : IngestionPoisonTests(server), IClassFixture<PostgresServer>;
