using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Tracked events burn credits at their entitlement's consumption rate, exactly once, in the event's commit.</summary>
public abstract class TrackedCreditTests(TollgateFactory server)
{
    [Fact]
    public async Task TracksBurnQuantityTimesTheRateAndRetriesBurnNothingMore()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(100);

        var batch = Enumerable.Range(0, 10).Select(i => Track(quantity: 3, key: $"gen-{i}")).ToArray();
        await Events.SendAsync(s.Api, batch);
        await Events.SendAsync(s.Api, batch); // the SDK's retry

        Assert.Equal(100 - (10 * 3 * CreditScenario.Rate), await s.RemainingAsync());
        var burns = (await s.LedgerAsync()).Where(e => e.GetProperty("reason").GetString() == "track").ToList();
        Assert.Equal(60, burns.Sum(e => -e.GetProperty("remaining_delta").GetDouble()));
        var check = await s.CheckAsync();
        Assert.Equal(40, check.GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
    }

    [Fact]
    public async Task UsageBeyondTheBalanceBecomesDebtAndTurnsTheFlagOff()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(10);

        await Events.SendAsync(s.Api, Track(quantity: 7));

        Assert.Equal(10 - (7 * CreditScenario.Rate), await s.RemainingAsync());
        Assert.False((await s.CheckAsync()).GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task BackfilledHistoryBurnsNoCredits()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(50);

        await Events.SendAsync(s.Api, Track(quantity: 5, backfill: true, sentAt: server.Time.GetUtcNow().AddDays(-30)));

        Assert.Equal(50, await s.RemainingAsync());
    }

    private static Dictionary<string, object?> Track(long quantity, string? key = null, bool backfill = false, DateTimeOffset? sentAt = null) =>
        Events.Track("ai_generation", CreditScenario.Company, quantity, idempotencyKey: key, sentAt: sentAt, trustedClock: backfill ? true : null, backfill: backfill ? true : null);
}

public sealed class TrackedCreditTestsOnSqlite(SqliteServer server) : TrackedCreditTests(server), IClassFixture<SqliteServer>;

public sealed class TrackedCreditTestsOnPostgres(PostgresServer server) : TrackedCreditTests(server), IClassFixture<PostgresServer>;
