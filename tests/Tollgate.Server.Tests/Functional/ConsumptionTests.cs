using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Atomic consumption: concurrent check-and-track calls never take more than the limit.</summary>
public abstract class ConsumptionTests(TollgateFactory server)
{
    [Fact]
    public async Task AHundredAndFiftyParallelCallersAgainstALimitOfAHundredGetExactlyAHundred()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("race", s.Starter, seats: 1);

        var answers = await Task.WhenAll(Enumerable.Range(0, 150).Select(_ =>
            s.Api.PostAsync("/flags/api-calls/check-and-track", new { company = Given.Keys("race") })));

        var granted = answers.Select(a => a.ShouldBe(HttpStatusCode.OK).Data).Where(d => d.GetProperty("check").GetProperty("value").GetBoolean()).ToList();
        Assert.Equal(100, granted.Count);
        Assert.All(granted, d => Assert.Equal(1, d.GetProperty("tracked").GetInt64()));
        var after = await s.CheckAsync("api-calls", "race");
        Assert.Equal(100, after.GetProperty("feature_usage").GetInt64());
        Assert.False(after.GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task LargerQuantitiesAreGrantedOnlyWhileTheyFitWithinTheLimit()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("chunky", s.Starter, seats: 1);

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            s.Api.PostAsync("/flags/api-calls/check-and-track", new { company = Given.Keys("chunky"), quantity = 30 })));
        var ten = (await s.Api.PostAsync("/flags/api-calls/check-and-track", new { company = Given.Keys("chunky"), quantity = 10 })).ShouldBe(HttpStatusCode.OK).Data;
        var one = (await s.Api.PostAsync("/flags/api-calls/check-and-track", new { company = Given.Keys("chunky") })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(3, answers.Count(a => a.ShouldBe(HttpStatusCode.OK).Data.GetProperty("tracked").GetInt64() == 30));
        Assert.Equal(10, ten.GetProperty("tracked").GetInt64());
        Assert.Equal(0, one.GetProperty("tracked").GetInt64());
        Assert.Equal(100, (await s.CheckAsync("api-calls", "chunky")).GetProperty("feature_usage").GetInt64());
    }

    [Fact]
    public async Task ARetriedCallWithTheSameIdempotencyKeyIsCountedOnce()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("retry", s.Pro, seats: 1);
        var call = new { company = Given.Keys("retry"), quantity = 4, idempotencyKey = "op-1" };

        var first = (await s.Api.PostAsync("/flags/api-calls/check-and-track", call)).ShouldBe(HttpStatusCode.OK).Data;
        var again = (await s.Api.PostAsync("/flags/api-calls/check-and-track", call)).ShouldBe(HttpStatusCode.OK).Data;

        // The retry is answered the first answer (marked a duplicate), not checked again: the usage it shows is the first's.
        Assert.Equal((4L, false), (first.GetProperty("tracked").GetInt64(), first.GetProperty("duplicate").GetBoolean()));
        Assert.Equal((4L, true), (again.GetProperty("tracked").GetInt64(), again.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(first.GetProperty("check").GetRawText(), again.GetProperty("check").GetRawText());
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "retry"), c => c.GetProperty("feature_usage").GetInt64() == 4);
    }

    [Fact]
    public async Task CheckAndTrackBurnsCreditsAndFillsTheMeterOutboxAsABatchTrackDoes()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(100);
        var call = new { company = Given.Keys(CreditScenario.Company), quantity = 3, idempotencyKey = "gen-1" };

        var first = (await s.Api.PostAsync("/flags/ai-gen/check-and-track", call)).ShouldBe(HttpStatusCode.OK).Data;
        var again = (await s.Api.PostAsync("/flags/ai-gen/check-and-track", call)).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal((3L, false), (first.GetProperty("tracked").GetInt64(), first.GetProperty("duplicate").GetBoolean()));
        Assert.Equal((3L, true), (again.GetProperty("tracked").GetInt64(), again.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(100 - (3 * CreditScenario.Rate), await s.RemainingAsync());
        var burns = (await s.LedgerAsync()).Where(e => e.GetProperty("reason").GetString() == "track").ToList();
        Assert.Equal(3 * CreditScenario.Rate, -Assert.Single(burns).GetProperty("remaining_delta").GetDouble());
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(SUM(quantity), 0) FROM meter_outbox WHERE environment_id = @environmentId AND company_id = @companyId",
            new { environmentId = s.Api.EnvironmentId, companyId = s.CompanyId }));
    }

    [Fact]
    public async Task ARefusedCallKeepsNothingSoItsRetryIsCheckedAgain()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("upgrader", s.Starter, seats: 1);
        var call = new { company = Given.Keys("upgrader"), quantity = 150, idempotencyKey = "big-1" };

        var refused = (await s.Api.PostAsync("/flags/api-calls/check-and-track", call)).ShouldBe(HttpStatusCode.OK).Data;
        await s.CompanyAsync("upgrader", s.Pro, seats: 1);
        var retried = (await s.Api.PostAsync("/flags/api-calls/check-and-track", call)).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal((0L, false), (refused.GetProperty("tracked").GetInt64(), refused.GetProperty("duplicate").GetBoolean()));
        Assert.Equal((150L, false), (retried.GetProperty("tracked").GetInt64(), retried.GetProperty("duplicate").GetBoolean()));
    }

    [Fact]
    public async Task AnIdempotencyKeyCountsAgainAfterItsTwentyFourHoursAndExpiredKeysAreDeleted()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("daily", s.Enterprise, seats: 1);
        var call = new { company = Given.Keys("daily"), quantity = 2, idempotencyKey = "daily-op" };
        var track = Events.Track("api_call", "daily", 5, idempotencyKey: "daily-event");

        (await s.Api.PostAsync("/flags/api-calls/check-and-track", call)).ShouldBe(HttpStatusCode.OK);
        await Events.SendAsync(s.Api, track);
        server.Time.Advance(TimeSpan.FromHours(25));
        var replayed = (await s.Api.PostAsync("/flags/api-calls/check-and-track", call)).ShouldBe(HttpStatusCode.OK).Data;
        var resent = await Events.SendAsync(s.Api, track);

        Assert.Equal((2L, false), (replayed.GetProperty("tracked").GetInt64(), replayed.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(1, resent.Body.GetProperty("accepted").GetInt32());
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM idempotency_claims WHERE expires_at <= @now", new { now = server.Time.GetUtcNow().ToUnixTimeMilliseconds() }));
        Assert.Equal(2 + 5 + 2 + 5, await connection.ExecuteScalarAsync<long>(
            "SELECT MAX(value) FROM usage_counters WHERE environment_id = @environmentId AND period = 0", new { environmentId = s.Api.EnvironmentId }));
    }

    [Fact]
    public async Task CheckAndTrackRefusesWhatItCannotCount()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("known", s.Pro, seats: 1);

        (await s.Api.PostAsync("/flags/sso/check-and-track", new { company = Given.Keys("known") })).ShouldFail(HttpStatusCode.UnprocessableEntity, "event-based");
        (await s.Api.PostAsync("/flags/api-calls/check-and-track", new { company = Given.Keys("unknown") })).ShouldFail(HttpStatusCode.NotFound, "company not found");
        (await s.Api.PostAsync("/flags/api-calls/check-and-track", new { company = Given.Keys("known"), quantity = 0 })).ShouldFail(HttpStatusCode.BadRequest, "quantity");
        (await s.Api.PostAsync("/flags/api-calls/check-and-track", new { })).ShouldFail(HttpStatusCode.BadRequest, "company");
        (await s.Api.PostAsync("/flags/nope/check-and-track", new { company = Given.Keys("known") })).ShouldFail(HttpStatusCode.NotFound, "flag");
    }
}

public sealed class ConsumptionTestsOnSqlite(SqliteServer server) : ConsumptionTests(server), IClassFixture<SqliteServer>;

public sealed class ConsumptionTestsOnPostgres(PostgresServer server) : ConsumptionTests(server), IClassFixture<PostgresServer>;
