using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>The check endpoints: unknown companies, users and flags, checking every flag, bulk checks and preflight validation, in Schematic's response shape.</summary>
public abstract class CheckTests(TollgateFactory server)
{
    [Fact]
    public async Task ACompanyUnknownAMomentAgoIsFoundOnceCreatedByAnyPath()
    {
        var s = await PricingScenario.CreateAsync(server);
        Assert.Equal("Company not found", (await s.CheckAsync("sso", "late-co")).GetProperty("reason").GetString());
        Assert.Equal("Company not found", (await s.CheckAsync("sso", "tracked-co")).GetProperty("reason").GetString());

        await s.CompanyAsync("late-co", s.Pro, seats: 1);
        await Events.SendAsync(s.Api, Events.Track("api_call", "tracked-co"));

        Assert.True((await s.CheckAsync("sso", "late-co")).GetProperty("value").GetBoolean());
        Assert.Equal("No rules matched; default value for flag", (await s.CheckAsync("sso", "tracked-co")).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AnUnknownCompanyGetsTheFlagsDefaultWithSchematicsReason()
    {
        var s = await PricingScenario.CreateAsync(server);

        var beta = await s.CheckAsync("beta", "nobody");
        var sso = await s.CheckAsync("sso", "nobody");

        Assert.True(beta.GetProperty("value").GetBoolean());
        Assert.Equal("Company not found", beta.GetProperty("reason").GetString());
        Assert.False(sso.GetProperty("value").GetBoolean());
        Assert.Equal("Company not found", sso.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, sso.GetProperty("company_id").ValueKind);
    }

    [Fact]
    public async Task AnUnknownUserGetsTheFlagsDefaultWithSchematicsReason()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 1);

        var check = (await s.Api.PostAsync("/flags/beta/check", new { company = Given.Keys("acme"), user = new Dictionary<string, string> { ["email"] = "ghost@acme.test" } }))
            .ShouldBe(HttpStatusCode.OK).Data;

        Assert.True(check.GetProperty("value").GetBoolean());
        Assert.Equal("User not found", check.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AKnownUserIsReportedInTheAnswer()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 1);
        var user = (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" }, company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Id;

        var check = (await s.Api.PostAsync("/flags/sso/check", new { company = Given.Keys("acme"), user = new Dictionary<string, string> { ["email"] = "ana@acme.test" } }))
            .ShouldBe(HttpStatusCode.OK).Data;

        Assert.True(check.GetProperty("value").GetBoolean());
        Assert.Equal(user, check.GetProperty("user_id").GetString());
    }

    [Fact]
    public async Task ADeletedCompanyIsNotFoundOnTheNextCheck()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("leaving", s.Pro, seats: 1);
        Assert.True((await s.CheckAsync("sso", "leaving")).GetProperty("value").GetBoolean());

        (await s.Api.DeleteAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("Company not found", (await s.CheckAsync("sso", "leaving")).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ACheckWithoutContextAnswersTheDefault()
    {
        var s = await PricingScenario.CreateAsync(server);

        var empty = (await s.Api.PostAsync("/flags/beta/check", new { })).ShouldBe(HttpStatusCode.OK).Data;
        var noBody = (await s.Api.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/flags/beta/check"))).ShouldBe(HttpStatusCode.OK).Data;

        Assert.True(empty.GetProperty("value").GetBoolean());
        Assert.Equal("No rules matched; default value for flag", empty.GetProperty("reason").GetString());
        Assert.True(noBody.GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task AnUnknownFlagIsAnswered404()
    {
        var s = await PricingScenario.CreateAsync(server);

        (await s.Api.PostAsync("/flags/no-such-flag/check", new { company = Given.Keys("acme") })).ShouldFail(HttpStatusCode.NotFound, "flag not found");
    }

    [Fact]
    public async Task CheckingAllFlagsAnswersEveryFlagOfTheEnvironment()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 4);

        var all = (await s.Api.PostAsync("/flags/check", new { company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("flags");

        var values = all.EnumerateArray().ToDictionary(f => f.GetProperty("flag").GetString()!, f => f.GetProperty("value").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["ai-credits"] = values["ai-credits"], ["api-calls"] = true, ["beta"] = true, ["seats"] = true, ["sso"] = true }, values);
        Assert.Equal(1000, all.EnumerateArray().Single(f => f.GetProperty("flag").GetString() == "api-calls").GetProperty("feature_allocation").GetInt64());
    }

    [Fact]
    public async Task CheckingInBulkAnswersEachContextInOrder()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("pro-co", s.Pro, seats: 4);
        await s.CompanyAsync("starter-co", s.Starter, seats: 1);

        var bulk = (await s.Api.PostAsync("/flags/check-bulk", new
        {
            contexts = new object[] { new { company = Given.Keys("pro-co") }, new { company = Given.Keys("starter-co") }, new { company = Given.Keys("unknown-co") } },
        })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("data");

        bool Sso(int i) => bulk[i].GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("flag").GetString() == "sso").GetProperty("value").GetBoolean();
        Assert.Equal(3, bulk.GetArrayLength());
        Assert.True(Sso(0));
        Assert.False(Sso(1));
        Assert.False(Sso(2));
        Assert.Equal("Company not found", bulk[2].GetProperty("flags")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task BulkChecksNeedOneToAHundredContexts()
    {
        var api = await server.NewEnvironmentAsync();

        (await api.PostAsync("/flags/check-bulk", new { })).ShouldFail(HttpStatusCode.BadRequest, "contexts");
        (await api.PostAsync("/flags/check-bulk", new { contexts = Array.Empty<object>() })).ShouldFail(HttpStatusCode.BadRequest, "contexts");
        (await api.PostAsync("/flags/check-bulk", new { contexts = Enumerable.Range(0, 101).Select(_ => new { }).ToArray() })).ShouldFail(HttpStatusCode.BadRequest, "contexts");
        (await api.PostAsync("/flags/check-bulk", new { contexts = Enumerable.Range(0, 100).Select(_ => new { }).ToArray() })).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task InvalidPreflightUsageIsAnswered400NamingTheField()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 1);

        (await s.Api.PostAsync("/flags/seats/check", new { company = Given.Keys("acme"), preflight = new { usage = -1 } })).ShouldFail(HttpStatusCode.BadRequest, "preflight.usage");
        (await s.Api.PostAsync("/flags/api-calls/check", new { company = Given.Keys("acme"), preflight = new { eventUsage = new { quantity = 1 } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "preflight.event_usage.event_subtype");
        (await s.Api.PostAsync("/flags/api-calls/check", new { company = Given.Keys("acme"), preflight = new { eventUsage = new { eventSubtype = "api_call", quantity = -5 } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "preflight.event_usage.quantity");
        (await s.Api.PostAsync("/flags/ai-credits/check", new { company = Given.Keys("acme"), preflight = new { creditCost = new Dictionary<string, double> { ["ai_credits"] = -1 } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "preflight.credit_cost.ai_credits");
        (await s.Api.PostAsync("/flags/check", new { company = Given.Keys("acme"), preflight = new { usage = -1 } })).ShouldFail(HttpStatusCode.BadRequest, "preflight.usage");
        (await s.Api.PostAsync("/flags/check-bulk", new { contexts = new[] { new { preflight = new { usage = -1 } } } })).ShouldFail(HttpStatusCode.BadRequest, "preflight.usage");
    }
}

public sealed class CheckTestsOnSqlite(SqliteServer server) : CheckTests(server), IClassFixture<SqliteServer>;

public sealed class CheckTestsOnPostgres(PostgresServer server) : CheckTests(server), IClassFixture<PostgresServer>;
