using System.Net;
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

        Assert.Equal((4L, false), (first.GetProperty("tracked").GetInt64(), first.GetProperty("duplicate").GetBoolean()));
        Assert.Equal((0L, true), (again.GetProperty("tracked").GetInt64(), again.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(4, (await s.CheckAsync("api-calls", "retry")).GetProperty("feature_usage").GetInt64());
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
