using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Companies (upsert by keys, lookup, plans, traits) and users.</summary>
public abstract class CompanyTests(TollgateFactory server)
{
    [Fact]
    public async Task UpsertingACompanyCreatesItThenUpdatesTheSameCompany()
    {
        var api = await server.NewEnvironmentAsync();

        var created = (await api.PostAsync("/companies", new { keys = Given.Keys("acme"), name = "Acme", traits = new { seats = 5, region = "eu" } })).ShouldBe(HttpStatusCode.OK);
        var updated = (await api.PostAsync("/companies", new
        {
            keys = new Dictionary<string, string> { ["id"] = "acme", ["domain"] = "acme.test" },
            traits = new Dictionary<string, object?> { ["seats"] = 6, ["region"] = null, ["tier"] = "gold" },
        })).ShouldBe(HttpStatusCode.OK);

        Assert.StartsWith("comp_", created.Id, StringComparison.Ordinal);
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal(api.EnvironmentId, updated.Data.GetProperty("environment_id").GetString());
        Assert.Equal("Acme", updated.Data.GetProperty("name").GetString());
        var keys = updated.Data.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("key").GetString()!, k => k.GetProperty("value").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["id"] = "acme", ["domain"] = "acme.test" }, keys);
        var traits = updated.Data.GetProperty("traits");
        Assert.Equal(6, traits.GetProperty("seats").GetInt32());
        Assert.Equal("gold", traits.GetProperty("tier").GetString());
        Assert.False(traits.TryGetProperty("region", out _));
        Assert.Equal(1, (await api.GetAsync("/companies/count")).Data.GetProperty("count").GetInt64());
        Assert.Equal(updated.Text, (await api.GetAsync($"/companies/{created.Id}")).ShouldBe(HttpStatusCode.OK).Text);
    }

    [Fact]
    public async Task CreateOnlyRefusesKeysThatAlreadyNameACompany()
    {
        var api = await server.NewEnvironmentAsync();

        var created = (await api.PostAsync("/companies/create", new { keys = Given.Keys("initech") })).ShouldBe(HttpStatusCode.Created);
        (await api.PostAsync("/companies/create", new { keys = Given.Keys("initech"), name = "Again" })).ShouldFail(HttpStatusCode.Conflict, "keys");

        Assert.Equal(string.Empty, (await api.GetAsync($"/companies/{created.Id}")).Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task UpdateOnlyRefusesKeysThatNameNoCompany()
    {
        var api = await server.NewEnvironmentAsync();

        (await api.PostAsync("/companies", new { keys = Given.Keys("ghost"), updateOnly = true })).ShouldFail(HttpStatusCode.NotFound, "company not found");

        Assert.Equal(0, (await api.GetAsync("/companies/count")).Data.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task AKeyOwnedByAnotherCompanyIsAnswered409()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "first");
        (await api.PostAsync("/companies", new { keys = new Dictionary<string, string> { ["id"] = "second", ["domain"] = "second.test" } })).ShouldBe(HttpStatusCode.OK);

        var response = await api.PostAsync("/companies", new { keys = new Dictionary<string, string> { ["id"] = "first", ["domain"] = "second.test" } });

        response.ShouldFail(HttpStatusCode.Conflict, "keys.domain");
        Assert.Single((await api.GetAsync("/companies/lookup?keys[id]=first")).Data.GetProperty("keys").EnumerateArray());
    }

    [Fact]
    public async Task ACompanyIsFoundByAnyOfItsKeys()
    {
        var api = await server.NewEnvironmentAsync();
        var id = (await api.PostAsync("/companies", new { keys = new Dictionary<string, string> { ["id"] = "hooli", ["stripe"] = "cus_123" } })).ShouldBe(HttpStatusCode.OK).Id;

        var byStripe = (await api.GetAsync("/companies/lookup?keys[stripe]=cus_123")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(id, byStripe.Id);
        Assert.Equal("cus_123", byStripe.Params.GetProperty("keys").GetProperty("stripe").GetString());
        Assert.Equal(id, (await api.GetAsync("/companies/lookup?keys=" + Uri.EscapeDataString("""{"id":"hooli"}"""))).ShouldBe(HttpStatusCode.OK).Id);
        (await api.GetAsync("/companies/lookup?keys[id]=nobody")).ShouldFail(HttpStatusCode.NotFound, "company not found");
        (await api.GetAsync("/companies/lookup?keys=" + Uri.EscapeDataString("[1]"))).ShouldFail(HttpStatusCode.BadRequest, "keys");
        (await api.GetAsync("/companies/lookup")).ShouldFail(HttpStatusCode.BadRequest, "keys");
    }

    [Fact]
    public async Task CompaniesAreListedOldestFirstInPages()
    {
        var api = await server.NewEnvironmentAsync();
        var ids = new List<string?>();
        foreach (var key in new[] { "c1", "c2", "c3" })
        {
            ids.Add(await Given.CompanyAsync(api, key));
        }

        var first = (await api.GetAsync("/companies?limit=2")).ShouldBe(HttpStatusCode.OK);
        var second = (await api.GetAsync("/companies?limit=2&offset=2")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(ids, first.Data.EnumerateArray().Concat(second.Data.EnumerateArray()).Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("c1", first.Data[0].GetProperty("keys")[0].GetProperty("value").GetString());
        Assert.Equal(3, (await api.GetAsync("/companies/count")).Data.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task DeletingACompanyFreesItsKeys()
    {
        var api = await server.NewEnvironmentAsync();
        var id = await Given.CompanyAsync(api, "short-lived");

        Assert.Equal("""{"data":{"deleted":true},"params":{}}""", (await api.DeleteAsync($"/companies/{id}")).ShouldBe(HttpStatusCode.OK).Text);

        (await api.GetAsync($"/companies/{id}")).ShouldFail(HttpStatusCode.NotFound, "company not found");
        (await api.GetAsync("/companies/lookup?keys[id]=short-lived")).ShouldBe(HttpStatusCode.NotFound);
        (await api.DeleteAsync($"/companies/{id}")).ShouldFail(HttpStatusCode.NotFound, "company not found");
        Assert.NotEqual(id, await Given.CompanyAsync(api, "short-lived"));
    }

    [Fact]
    public async Task CompanyPlansSetTheBasePlanAndAddOns()
    {
        var api = await server.NewEnvironmentAsync();
        var pro = await Given.PlanAsync(api, "Pro");
        var storage = await Given.PlanAsync(api, "Storage", "add_on");
        var id = await Given.CompanyAsync(api, "planned");

        var set = (await api.PutAsync($"/company-plans/{id}", new { basePlanId = pro, addOnIds = new[] { storage } })).ShouldBe(HttpStatusCode.OK);
        var cleared = (await api.PutAsync($"/company-plans/{id}", new { })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(pro, set.Data.GetProperty("base_plan_id").GetString());
        Assert.Equal([storage], set.Data.GetProperty("add_on_ids").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(JsonValueKind.Null, cleared.Data.GetProperty("base_plan_id").ValueKind);
        Assert.Equal(0, cleared.Data.GetProperty("add_on_ids").GetArrayLength());
    }

    [Fact]
    public async Task CompanyPlansMustNameExistingPlansOfTheRightType()
    {
        var api = await server.NewEnvironmentAsync();
        var pro = await Given.PlanAsync(api, "Pro");
        var storage = await Given.PlanAsync(api, "Storage", "add_on");
        var id = await Given.CompanyAsync(api, "strict");

        (await api.PutAsync($"/company-plans/{id}", new { basePlanId = "plan_missing" })).ShouldFail(HttpStatusCode.BadRequest, "base_plan_id");
        (await api.PutAsync($"/company-plans/{id}", new { basePlanId = storage })).ShouldFail(HttpStatusCode.BadRequest, "base_plan_id");
        (await api.PutAsync($"/company-plans/{id}", new { addOnIds = new[] { pro } })).ShouldFail(HttpStatusCode.BadRequest, "add_on_ids[0]");
        (await api.PutAsync($"/company-plans/{id}", new { addOnIds = new string?[] { null } })).ShouldFail(HttpStatusCode.BadRequest, "add_on_ids[0]");
        (await api.PostAsync("/companies", new { keys = Given.Keys("strict"), addOnIds = new string?[] { storage, null } })).ShouldFail(HttpStatusCode.BadRequest, "add_on_ids[1]");
        (await api.PutAsync("/company-plans/comp_missing", new { basePlanId = pro })).ShouldFail(HttpStatusCode.NotFound, "company not found");
    }

    [Fact]
    public async Task CompanyTraitsAreSetAndIncremented()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "counted", traits: new() { ["seats"] = 3 });

        (await api.PostAsync("/company-traits", new { keys = Given.Keys("counted"), trait = "seats", incr = 2 })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/company-traits", new { keys = Given.Keys("counted"), trait = "projects", incr = 1 })).ShouldBe(HttpStatusCode.OK);
        var set = (await api.PostAsync("/company-traits", new { keys = Given.Keys("counted"), trait = "plan_name", set = "gold" })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(5, set.Data.GetProperty("traits").GetProperty("seats").GetDouble());
        Assert.Equal(1, set.Data.GetProperty("traits").GetProperty("projects").GetDouble());
        Assert.Equal("gold", set.Data.GetProperty("traits").GetProperty("plan_name").GetString());
    }

    [Fact]
    public async Task CompanyTraitChangesAreValidated()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "validated");

        (await api.PostAsync("/company-traits", new { trait = "seats", incr = 1 })).ShouldFail(HttpStatusCode.BadRequest, "keys");
        (await api.PostAsync("/company-traits", new { keys = Given.Keys("validated"), incr = 1 })).ShouldFail(HttpStatusCode.BadRequest, "trait");
        (await api.PostAsync("/company-traits", new { keys = Given.Keys("validated"), trait = "seats" })).ShouldFail(HttpStatusCode.BadRequest, "set");
        (await api.PostAsync("/company-traits", new { keys = Given.Keys("validated"), trait = "seats", set = 1, incr = 1 })).ShouldFail(HttpStatusCode.BadRequest, "set");
        (await api.PostAsync("/company-traits", new { keys = Given.Keys("validated"), trait = "seats", set = new { nested = 1 } })).ShouldFail(HttpStatusCode.BadRequest, "set");
        (await api.PostAsync("/company-traits", new { keys = Given.Keys("nobody"), trait = "seats", incr = 1 })).ShouldFail(HttpStatusCode.NotFound, "company not found");
    }

    [Fact]
    public async Task IncrementingATraitPastTheLargestNumberIsRejected()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "huge", traits: new() { ["usage"] = 1e308 });

        (await api.PostAsync("/company-traits", new { keys = Given.Keys("huge"), trait = "usage", incr = 1e308 })).ShouldFail(HttpStatusCode.BadRequest, "incr");

        Assert.Equal(1e308, (await api.GetAsync("/companies/lookup?keys[id]=huge")).Data.GetProperty("traits").GetProperty("usage").GetDouble());
    }

    [Fact]
    public async Task IncrementingATraitStoredBeyondTheNumberRangeIsRejected()
    {
        var api = await server.NewEnvironmentAsync();
        (await api.SendRawAsync(HttpMethod.Post, "/companies", """{"keys":{"id":"astronomical"},"traits":{"stars":1e400}}""")).ShouldBe(HttpStatusCode.OK);

        (await api.PostAsync("/company-traits", new { keys = Given.Keys("astronomical"), trait = "stars", incr = 1 })).ShouldFail(HttpStatusCode.BadRequest, "incr");
        (await api.SendRawAsync(HttpMethod.Post, "/company-traits", """{"keys":{"id":"astronomical"},"trait":"stars","incr":1e400}""")).ShouldFail(HttpStatusCode.BadRequest, "incr");
    }

    [Fact]
    public async Task ASubscriptionPeriodMustEndAfterItStarts()
    {
        var api = await server.NewEnvironmentAsync();

        (await api.PostAsync("/companies", new { keys = Given.Keys("s"), subscription = new { periodStart = "2025-06-01T00:00:00Z" } })).ShouldFail(HttpStatusCode.BadRequest, "subscription");
        (await api.PostAsync("/companies", new { keys = Given.Keys("s"), subscription = new { periodStart = "2025-06-01T00:00:00Z", periodEnd = "2025-05-01T00:00:00Z" } }))
            .ShouldFail(HttpStatusCode.BadRequest, "subscription.period_end");
        var ok = (await api.PostAsync("/companies", new { keys = Given.Keys("s"), subscription = new { id = "sub_1", periodStart = "2025-06-01T00:00:00+02:00", periodEnd = "2025-07-01T00:00:00Z" } }))
            .ShouldBe(HttpStatusCode.OK);

        Assert.Equal(new DateTimeOffset(2025, 5, 31, 22, 0, 0, TimeSpan.Zero), ok.Data.GetProperty("subscription").GetProperty("period_start").GetDateTimeOffset());
    }

    [Fact]
    public async Task DatesOutsideTheRepresentableRangeAreRejected()
    {
        var api = await server.NewEnvironmentAsync();
        var companyId = await Given.CompanyAsync(api, "dated");
        var featureId = await Given.BooleanFeatureAsync(api, "dated-feature");

        (await api.PostAsync("/companies", new { keys = Given.Keys("dated"), subscription = new { periodStart = "0001-01-01T00:00:00+14:00", periodEnd = "2025-07-01T00:00:00Z" } }))
            .ShouldFail(HttpStatusCode.BadRequest, "subscription");
        (await api.PostAsync("/company-overrides", new { companyId, featureId, valueType = "boolean", valueBool = true, expirationDate = "9999-12-31T23:59:59-14:00" }))
            .ShouldFail(HttpStatusCode.BadRequest, "expiration_date");
    }

    [Fact]
    public async Task UsersAreUpsertedByKeysAndJoinCompanies()
    {
        var api = await server.NewEnvironmentAsync();
        var acme = await Given.CompanyAsync(api, "acme");
        var globex = await Given.CompanyAsync(api, "globex");

        var created = (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" }, name = "Ana", company = Given.Keys("acme"), traits = new { role = "admin" } }))
            .ShouldBe(HttpStatusCode.OK);
        var updated = (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" }, companyIds = new[] { globex } })).ShouldBe(HttpStatusCode.OK);

        Assert.StartsWith("user_", created.Id, StringComparison.Ordinal);
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal("Ana", updated.Data.GetProperty("name").GetString());
        Assert.Equal("admin", updated.Data.GetProperty("traits").GetProperty("role").GetString());
        Assert.Equal([acme, globex], updated.Data.GetProperty("company_ids").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(updated.Text, (await api.GetAsync($"/users/{created.Id}")).ShouldBe(HttpStatusCode.OK).Text);
    }

    [Fact]
    public async Task UsersAreCreatedOnlyOnceListedAndDeleted()
    {
        var api = await server.NewEnvironmentAsync();
        var first = (await api.PostAsync("/users/create", new { keys = new Dictionary<string, string> { ["email"] = "a@x.test" } })).ShouldBe(HttpStatusCode.Created).Id;
        var second = (await api.PostAsync("/users/create", new { keys = new Dictionary<string, string> { ["email"] = "b@x.test" } })).ShouldBe(HttpStatusCode.Created).Id;

        (await api.PostAsync("/users/create", new { keys = new Dictionary<string, string> { ["email"] = "a@x.test" } })).ShouldFail(HttpStatusCode.Conflict, "keys");
        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "c@x.test" }, updateOnly = true })).ShouldFail(HttpStatusCode.NotFound, "user not found");
        var page = (await api.GetAsync("/users?limit=1&offset=1")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal([second], page.Data.EnumerateArray().Select(u => u.GetProperty("id").GetString()));
        (await api.DeleteAsync($"/users/{first}")).ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync($"/users/{first}")).ShouldFail(HttpStatusCode.NotFound, "user not found");
        (await api.DeleteAsync($"/users/{first}")).ShouldFail(HttpStatusCode.NotFound, "user not found");
        Assert.Single((await api.GetAsync("/users")).Data.EnumerateArray());
    }

    [Fact]
    public async Task AUserKeyOwnedByAnotherUserIsAnswered409()
    {
        var api = await server.NewEnvironmentAsync();
        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "one@x.test" } })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "two@x.test", ["slack"] = "U2" } })).ShouldBe(HttpStatusCode.OK);

        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "one@x.test", ["slack"] = "U2" } })).ShouldFail(HttpStatusCode.Conflict, "keys.slack");
    }

    [Fact]
    public async Task AUserMustJoinCompaniesThatExist()
    {
        var api = await server.NewEnvironmentAsync();

        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "u@x.test" }, company = Given.Keys("missing") })).ShouldFail(HttpStatusCode.BadRequest, "company");
        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "u@x.test" }, companyId = "comp_missing" })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "u@x.test" }, companyIds = new string?[] { null } })).ShouldFail(HttpStatusCode.BadRequest, "company_ids[0]");
        Assert.Equal(0, (await api.GetAsync("/users")).Data.GetArrayLength());
    }

    [Fact]
    public async Task UnknownCompaniesAndUsersAreAnswered404()
    {
        var api = server.Api();

        (await api.GetAsync("/companies/comp_missing")).ShouldFail(HttpStatusCode.NotFound, "company not found");
        (await api.DeleteAsync("/companies/comp_missing")).ShouldFail(HttpStatusCode.NotFound, "company not found");
        (await api.GetAsync("/users/user_missing")).ShouldFail(HttpStatusCode.NotFound, "user not found");
        (await api.DeleteAsync("/users/user_missing")).ShouldFail(HttpStatusCode.NotFound, "user not found");
    }
}

public sealed class CompanyTestsOnSqlite(SqliteServer server) : CompanyTests(server), IClassFixture<SqliteServer>;

public sealed class CompanyTestsOnPostgres(PostgresServer server) : CompanyTests(server), IClassFixture<PostgresServer>;
