using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Plan traits: values set per plan, listed and counted with Schematic's filters, and given to the plan's companies on request.</summary>
public abstract class PlanTraitTests(TollgateFactory server)
{
    [Fact]
    public async Task PlanTraitsAppliedToExistingCompaniesDecideTraitLimits()
    {
        var s = await PricingScenario.CreateAsync(server);
        var seatLimit = (await s.Api.GetAsync("/trait-definitions?limit=100")).Data.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "seat_limit").GetProperty("id").GetString()!;
        await s.CompanyAsync("big", s.Enterprise, seats: 3, seatLimit: 5);
        await s.CompanyAsync("small", s.Pro, seats: 3, seatLimit: 5);
        Assert.Equal(5, (await s.CheckAsync("seats", "big")).GetProperty("feature_allocation").GetInt64());

        var written = (await s.Api.PostAsync("/plan-traits/bulk", new { planId = s.Enterprise, traits = new[] { new { traitId = seatLimit, traitValue = "25" } }, applyToExistingCompanies = true }))
            .ShouldBe(HttpStatusCode.OK).Data;
        var trait = Assert.Single(written.EnumerateArray());
        var again = (await s.Api.PostAsync("/plan-traits/bulk", new { planId = s.Enterprise, traits = new[] { new { traitId = seatLimit, traitValue = "30" } }, applyToExistingCompanies = false }))
            .ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(25, (await s.CheckAsync("seats", "big")).GetProperty("feature_allocation").GetInt64());
        Assert.Equal(10, (await s.CheckAsync("seats", "small")).GetProperty("feature_allocation").GetInt64());
        Assert.Equal(trait.GetProperty("id").GetString(), again[0].GetProperty("id").GetString());
        Assert.Equal("30", again[0].GetProperty("trait_value").GetString());
        Assert.Equal("plan", trait.GetProperty("plan_type").GetString());
        var id = trait.GetProperty("id").GetString();
        Assert.Equal("30", (await s.Api.GetAsync($"/plan-traits/{id}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("trait_value").GetString());
        Assert.Single((await s.Api.GetAsync($"/plan-traits?plan_id={s.Enterprise}")).Data.EnumerateArray());
        Assert.Empty((await s.Api.GetAsync($"/plan-traits?plan_id={s.Pro}")).Data.EnumerateArray());
        Assert.Equal(1, (await s.Api.GetAsync($"/plan-traits/count?trait_id={seatLimit}")).Data.GetProperty("count").GetInt64());
        Assert.Equal(0, (await s.Api.GetAsync("/plan-traits/count?trait_ids=trait_other")).Data.GetProperty("count").GetInt64());
        (await s.Api.GetAsync("/plan-traits/pltr_missing")).ShouldBe(HttpStatusCode.NotFound);
        (await s.Api.PostAsync("/plan-traits/bulk", new { planId = s.Pro, traits = new[] { new { traitId = seatLimit, traitValue = "many" } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "traits[0].trait_value");
        (await s.Api.PostAsync("/plan-traits/bulk", new { planId = s.Pro, traits = new[] { new { traitId = "trait_missing", traitValue = "1" } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "traits[0].trait_id");
        (await s.Api.PostAsync("/plan-traits/bulk", new { planId = "plan_missing", traits = Array.Empty<object>() })).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
    }
}

public sealed class PlanTraitTestsOnSqlite(SqliteServer server) : PlanTraitTests(server), IClassFixture<SqliteServer>;

public sealed class PlanTraitTestsOnPostgres(PostgresServer server) : PlanTraitTests(server), IClassFixture<PostgresServer>;
