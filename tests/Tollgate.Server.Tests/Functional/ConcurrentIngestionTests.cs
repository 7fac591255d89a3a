using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Requests that arrive together are committed by overlapping writers on PostgreSQL (one on SQLite): a key sent in
/// several of them is counted once, the stored counters and the in-memory ones equal the event log, and an event the
/// store refuses fails alone while the other writers go on.
/// </summary>
public abstract class ConcurrentIngestionTests(TollgateFactory server)
{
    private const int Requests = 40;
    private const int KeysPerRequest = 25;
    private const int Copies = 4;

    [Fact]
    public async Task AKeySentInSeveralConcurrentRequestsIsCountedOnceAndCountersEqualTheLog()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("warm", s.Pro, seats: 1);
        await s.CompanyAsync("cold", s.Pro, seats: 1);
        await s.CheckAsync("api-calls", "warm"); // held in memory from the start: the commits' deltas are added to it

        // Every key goes out in Copies different requests; each request holds KeysPerRequest events, half per company.
        var distinct = Requests * KeysPerRequest / Copies;
        var requests = Enumerable.Range(0, Requests).Select(r => Enumerable.Range(0, KeysPerRequest).Select(i =>
        {
            var key = ((r * KeysPerRequest) + i) % distinct;
            return (object)Events.Track("api_call", key % 2 == 0 ? "warm" : "cold", (key % 7) + 1, idempotencyKey: $"k-{key}");
        }).ToArray()).ToList();
        var expectedWarm = Enumerable.Range(0, distinct).Where(k => k % 2 == 0).Sum(k => (long)(k % 7) + 1);
        var expectedCold = Enumerable.Range(0, distinct).Where(k => k % 2 == 1).Sum(k => (long)(k % 7) + 1);

        // The cold company is loaded while commits are in flight: the load must neither miss nor double a commit.
        var sends = requests.Select(events => Task.Run(() => Events.SendAsync(s.Api, events))).ToList();
        var coldCheck = Task.Run(() => s.CheckAsync("api-calls", "cold"));
        var answers = await Task.WhenAll(sends);
        await coldCheck;

        Assert.Equal(distinct, answers.Sum(a => a.Body.GetProperty("accepted").GetInt32()));
        Assert.Equal((Requests * KeysPerRequest) - distinct, answers.Sum(a => a.Body.GetProperty("duplicates").GetInt32()));
        var environmentId = s.Api.EnvironmentId!;
        foreach (var (company, expected) in new[] { ("warm", expectedWarm), ("cold", expectedCold) })
        {
            var companyId = (await s.Api.GetAsync($"/companies/lookup?keys[id]={company}")).ShouldBe(HttpStatusCode.OK).Id;
            var (rows, keys, logged) = await LogOfAsync(environmentId, companyId);
            Assert.Equal(distinct / 2, rows);
            Assert.Equal(rows, keys);
            Assert.Equal(expected, logged);
            Assert.Equal(expected, await StoredAllTimeAsync(environmentId, companyId));
            var check = await Events.EventuallyAsync(() => s.CheckAsync("api-calls", company), c => c.GetProperty("feature_usage").GetInt64() == expected);
            Assert.Equal(expected, check.GetProperty("feature_usage").GetInt64());
        }
    }

    [Fact]
    public async Task ARequestTheStoreRefusesFailsAloneWhileConcurrentRequestsAreCountedOnce()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("steady", s.Pro, seats: 1);
        await s.CheckAsync("api-calls", "steady");
        await RefusePoisonAsync(refuse: true);
        try
        {
            // Every fifth request carries an event the store refuses, which fails its whole transaction first.
            var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(r => Task.Run(() => Events.SendAsync(
                s.Api,
                [.. Enumerable.Range(0, 10).Select(i => (object)Events.Track("api_call", "steady", 3, idempotencyKey: $"p-{((r * 10) + i) % 150}")),
                 .. r % 5 == 0 ? [Events.Track("poison", "steady", 1)] : Array.Empty<object>()]))));

            Assert.Equal(150, answers.Sum(a => a.Body.GetProperty("accepted").GetInt32()));
            Assert.Equal(150, answers.Sum(a => a.Body.GetProperty("duplicates").GetInt32()));
            Assert.Equal(6, answers.Sum(a => a.Body.GetProperty("rejected").GetArrayLength()));
        }
        finally
        {
            await RefusePoisonAsync(refuse: false);
        }

        var environmentId = s.Api.EnvironmentId!;
        var companyId = (await s.Api.GetAsync("/companies/lookup?keys[id]=steady")).ShouldBe(HttpStatusCode.OK).Id;
        var (rows, _, logged) = await LogOfAsync(environmentId, companyId);
        Assert.Equal(150, rows);
        Assert.Equal(150 * 3, logged);
        Assert.Equal(150 * 3, await StoredAllTimeAsync(environmentId, companyId));
        var check = await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "steady"), c => c.GetProperty("feature_usage").GetInt64() == 150 * 3);
        Assert.Equal(150 * 3, check.GetProperty("feature_usage").GetInt64());
    }

    private async Task<(long Rows, long Keys, long Quantity)> LogOfAsync(string environmentId, string companyId)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<(long, long, long)>(
            """
            SELECT COUNT(*), COUNT(DISTINCT idempotency_key), CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM events
            WHERE environment_id = @environmentId AND company_id = @companyId AND event_subtype = 'api_call'
            """,
            new { environmentId, companyId });
    }

    private async Task<long> StoredAllTimeAsync(string environmentId, string companyId)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(MAX(value), 0) FROM usage_counters WHERE environment_id = @environmentId AND company_id = @companyId AND event_subtype = 'api_call' AND period = 0",
            new { environmentId, companyId });
    }

    private Task RefusePoisonAsync(bool refuse) => PoisonedEvents.RefuseAsync(server, "no_poison_concurrent", refuse);
}

public sealed class ConcurrentIngestionTestsOnSqlite(SqliteServer server) : ConcurrentIngestionTests(server), IClassFixture<SqliteServer>;

public sealed class ConcurrentIngestionTestsOnPostgres(PostgresServer server) : ConcurrentIngestionTests(server), IClassFixture<PostgresServer>;
