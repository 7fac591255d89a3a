using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// With room for only a few idempotency keys in memory, more keys than that are sent, then the oldest are retried:
/// each event counts once. On SQLite the older keys are answered from <c>idempotency_claims</c>; on PostgreSQL that
/// table is the whole window anyway, and the same retries must count once there too.
/// </summary>
public abstract class IdempotencyWindowBoundTests(TollgateFactory server)
{
    /// <summary>Keys held in memory: far fewer than the test sends.</summary>
    public const int KeysInMemory = 3;

    [Fact]
    public async Task RetriesOfKeysEvictedFromMemoryAreCountedOnce()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("bounded", s.Pro, seats: 1);
        const int Keys = 12;
        // One commit per batch, so that each batch's keys evict older ones from memory.
        for (var i = 0; i < Keys; i++)
        {
            await Events.SendAsync(s.Api, Events.Track("api_call", "bounded", 1, idempotencyKey: $"bound-{i}"));
            await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "bounded"), c => c.GetProperty("feature_usage").GetInt64() == i + 1);
        }

        // The oldest keys again, one by one and then together with a fresh key and a repeat inside one batch.
        for (var i = 0; i < 4; i++)
        {
            await Events.SendAsync(s.Api, Events.Track("api_call", "bounded", 1, idempotencyKey: $"bound-{i}"));
        }

        await Events.SendAsync(
            s.Api,
            [.. Enumerable.Range(0, Keys).Select(i => (object)Events.Track("api_call", "bounded", 1, idempotencyKey: $"bound-{i}")),
            Events.Track("api_call", "bounded", 1, idempotencyKey: "bound-fresh"),
            Events.Track("api_call", "bounded", 1, idempotencyKey: "bound-fresh")]);

        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "bounded"), c => c.GetProperty("feature_usage").GetInt64() == Keys + 1);
        // The last write is visible; nothing later may move the count past it.
        await Events.SendAsync(s.Api, Events.Track("api_call", "bounded", 1, idempotencyKey: "bound-0"));
        var companyId = (await s.Api.GetAsync("/companies/lookup?keys[id]=bounded")).ShouldBe(HttpStatusCode.OK).Id;
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var logged = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM events WHERE environment_id = @environmentId AND company_id = @companyId AND event_subtype = 'api_call'",
            new { environmentId = s.Api.EnvironmentId, companyId });
        Assert.Equal(Keys + 1, logged);
        Assert.Equal(Keys + 1, (await s.CheckAsync("api-calls", "bounded")).GetProperty("feature_usage").GetInt64());
        if (server.Store == StoreKind.Sqlite)
        {
            var window = server.Services.GetRequiredService<IdempotencyWindow>();
            Assert.True(window.MayBeInStore, "keys were evicted to the store");
            Assert.True(window.Count <= KeysInMemory + 1, $"memory holds {window.Count} keys");
            var spilled = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM idempotency_claims WHERE environment_id = @environmentId AND idempotency_key LIKE 'bound-%'", new { environmentId = s.Api.EnvironmentId });
            Assert.True(spilled >= Keys - KeysInMemory, $"{spilled} keys in the store");
        }
    }
}

/// <summary>The server on SQLite with <see cref="IdempotencyWindowBoundTests.KeysInMemory"/> keys in memory.</summary>
public sealed class FewKeysSqliteServer() : TollgateFactory(StoreKind.Sqlite)
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [new("Tollgate:Memory:IdempotencyKeys", IdempotencyWindowBoundTests.KeysInMemory.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>The server on PostgreSQL with <see cref="IdempotencyWindowBoundTests.KeysInMemory"/> keys in memory.</summary>
public sealed class FewKeysPostgresServer() : TollgateFactory(StoreKind.Postgres)
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [new("Tollgate:Memory:IdempotencyKeys", IdempotencyWindowBoundTests.KeysInMemory.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

public sealed class IdempotencyWindowBoundTestsOnSqlite(FewKeysSqliteServer server) : IdempotencyWindowBoundTests(server), IClassFixture<FewKeysSqliteServer>;

public sealed class IdempotencyWindowBoundTestsOnPostgres(FewKeysPostgresServer server) : IdempotencyWindowBoundTests(server), IClassFixture<FewKeysPostgresServer>;
