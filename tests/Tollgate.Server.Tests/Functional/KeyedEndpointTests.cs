using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>The endpoints that name a company or user by keys (lookup, delete, trait changes) and the counts.</summary>
public abstract class KeyedEndpointTests(TollgateFactory server)
{
    [Fact]
    public async Task AUserIsLookedUpByKeysInBothQueryForms()
    {
        var api = await server.NewEnvironmentAsync();
        var created = (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ana@acme.test", ["id"] = "u-1" } })).ShouldBe(HttpStatusCode.OK);

        var brackets = (await api.GetAsync("/users/lookup?keys[email]=ana%40acme.test")).ShouldBe(HttpStatusCode.OK);
        var json = (await api.GetAsync("/users/lookup?keys=%7B%22id%22%3A%22u-1%22%7D")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(created.Id, brackets.Id);
        Assert.Equal(created.Id, json.Id);
        Assert.Equal("ana@acme.test", brackets.Params.GetProperty("keys").GetProperty("email").GetString());
        (await api.GetAsync("/users/lookup?keys[email]=nobody%40acme.test")).ShouldFail(HttpStatusCode.NotFound, "user not found");
        (await api.GetAsync("/users/lookup")).ShouldFail(HttpStatusCode.BadRequest, "keys");
    }

    [Fact]
    public async Task CompaniesAndUsersAreDeletedByKeys()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "acme");
        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" } })).ShouldBe(HttpStatusCode.OK);

        var company = (await api.PostAsync("/companies/delete", new { keys = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK);
        var user = (await api.PostAsync("/users/delete", new { keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" } })).ShouldBe(HttpStatusCode.OK);

        // Schematic answers the entity deleted, in short.
        Assert.Equal("acme", company.Data.GetProperty("name").GetString());
        Assert.StartsWith("comp", company.Data.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("user", user.Data.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await api.GetAsync("/companies/count")).Data.GetProperty("count").GetInt64());
        Assert.Equal(0, (await api.GetAsync("/users/count")).Data.GetProperty("count").GetInt64());
        (await api.PostAsync("/companies/delete", new { keys = Given.Keys("acme") })).ShouldFail(HttpStatusCode.NotFound, "company not found");
        (await api.PostAsync("/users/delete", new { keys = new Dictionary<string, string>() })).ShouldFail(HttpStatusCode.BadRequest, "keys");
    }

    [Fact]
    public async Task UserTraitsAreSetAndIncremented()
    {
        var api = await server.NewEnvironmentAsync();
        var keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" };
        (await api.PostAsync("/users", new { keys, traits = new { logins = 3 } })).ShouldBe(HttpStatusCode.OK);

        (await api.PostAsync("/user-traits", new { keys, trait = "logins", incr = 2 })).ShouldBe(HttpStatusCode.OK);
        var set = (await api.PostAsync("/user-traits", new { keys, trait = "role", set = "admin" })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(5, set.Data.GetProperty("traits").GetProperty("logins").GetDouble());
        Assert.Equal("admin", set.Data.GetProperty("traits").GetProperty("role").GetString());
        (await api.PostAsync("/user-traits", new { keys, trait = "role", set = "x", incr = 1 })).ShouldFail(HttpStatusCode.BadRequest, "set");
        (await api.PostAsync("/user-traits", new { keys = new Dictionary<string, string> { ["email"] = "nobody" }, trait = "role", set = "x" }))
            .ShouldFail(HttpStatusCode.NotFound, "user not found");
    }

    [Fact]
    public async Task CountsFollowTheirListsAndFilters()
    {
        var scenario = await PricingScenario.CreateAsync(server);
        var api = scenario.Api;
        var company = await scenario.CompanyAsync("acme", scenario.Pro, seats: 3);
        await Given.OverrideAsync(api, new { companyId = company, featureId = scenario.Sso, valueType = "boolean", valueBool = true });

        var flags = (await api.GetAsync("/flags/count")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64();
        var entitlements = (await api.GetAsync($"/plan-entitlements/count?plan_id={scenario.Pro}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64();
        var overrides = (await api.GetAsync($"/company-overrides/count?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64();

        Assert.Equal((await api.GetAsync("/flags?limit=1000")).Data.GetArrayLength(), flags);
        Assert.Equal((await api.GetAsync($"/plan-entitlements?plan_id={scenario.Pro}&limit=1000")).Data.GetArrayLength(), entitlements);
        Assert.True(entitlements > 0);
        Assert.Equal(1, overrides);
        Assert.Equal(0, (await api.GetAsync("/company-overrides/count?company_id=comp_none")).Data.GetProperty("count").GetInt64());
    }
}

public sealed class KeyedEndpointTestsOnSqlite(SqliteServer server) : KeyedEndpointTests(server), IClassFixture<SqliteServer>;

public sealed class KeyedEndpointTestsOnPostgres(PostgresServer server) : KeyedEndpointTests(server), IClassFixture<PostgresServer>;
