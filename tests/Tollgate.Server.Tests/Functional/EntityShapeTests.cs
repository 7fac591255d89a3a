using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Companies and users in the shapes of the Schematic Node SDK's <c>CompanyDetailResponseData</c> and
/// <c>UserDetailResponseData</c>: plans, add-ons, keys and traits in detail, rules from overrides, user counts and
/// memberships; lists that Tollgate does not fill yet are empty, never null; a listed entity is the entity read alone.
/// </summary>
public abstract class EntityShapeTests(TollgateFactory server)
{
    [Fact]
    public async Task ACompanyCarriesItsPlanAddOnsKeysTraitsEntitlementsAndUserCount()
    {
        var s = await PricingScenario.CreateAsync(server);
        var storage = await Given.PlanAsync(s.Api, "Storage", "add_on");
        var id = (await s.Api.PostAsync("/companies", new { keys = Given.Keys("acme"), name = "Acme", basePlanId = s.Pro, addOnIds = new[] { storage }, traits = new { seats = 3 } }))
            .ShouldBe(HttpStatusCode.OK).Id;
        (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" }, company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "bo@acme.test" }, companyId = id })).ShouldBe(HttpStatusCode.OK);

        var company = (await s.Api.GetAsync($"/companies/{id}")).ShouldBe(HttpStatusCode.OK).Data;

        var plan = company.GetProperty("plan");
        Assert.Equal((s.Pro, "Pro", string.Empty), (plan.GetProperty("id").GetString(), plan.GetProperty("name").GetString(), plan.GetProperty("description").GetString()));
        Assert.Equal(company.GetProperty("plan_version_ids")[0].GetString(), plan.GetProperty("plan_version_id").GetString());
        Assert.Equal(0, plan.GetProperty("included_credit_grants").GetArrayLength());
        Assert.Equal([s.Pro, storage], company.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal([storage], company.GetProperty("add_ons").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(2, company.GetProperty("user_count").GetInt64());
        var key = Assert.Single(company.GetProperty("keys").EnumerateArray());
        Assert.Equal(("id", "acme", id, "company", s.Api.EnvironmentId), (Text(key, "key"), Text(key, "value"), Text(key, "entity_id"), Text(key, "entity_type"), Text(key, "environment_id")));
        Assert.False(string.IsNullOrEmpty(Text(key, "definition_id")));
        var trait = Assert.Single(company.GetProperty("entity_traits").EnumerateArray());
        Assert.Equal("3", Text(trait, "value"));
        Assert.Equal(["seats"], trait.GetProperty("definition").GetProperty("hierarchy").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal("number", trait.GetProperty("definition").GetProperty("trait_type").GetString());
        Assert.Equal(Text(trait, "definition_id"), trait.GetProperty("definition").GetProperty("id").GetString());
        Assert.Equal(["ai-credits", "api-calls", "seats", "sso"], company.GetProperty("entitlements").EnumerateArray().Select(e => Text(e, "feature_key")).Order());
        Assert.All(company.GetProperty("entitlements").EnumerateArray(), e => Assert.Equal(JsonValueKind.Array, e.GetProperty("warning_tiers").ValueKind));
        foreach (var list in new[] { "rules", "metrics", "billing_subscriptions", "payment_methods", "custom_plan_billings" })
        {
            Assert.Equal(0, company.GetProperty(list).GetArrayLength());
        }
    }

    [Fact]
    public async Task ACompanysActiveOverridesAreItsRules()
    {
        var s = await PricingScenario.CreateAsync(server);
        var id = await s.CompanyAsync("acme", s.Starter, seats: 1);
        var seats = await Given.OverrideAsync(s.Api, new { companyId = id, featureId = s.Seats, valueType = "numeric", valueNumeric = 50, note = "Pilot" });
        await Given.OverrideAsync(s.Api, new { companyId = id, featureId = s.Sso, valueType = "boolean", valueBool = true, expirationDate = server.Time.GetUtcNow().AddMinutes(1) });
        server.Time.Advance(TimeSpan.FromMinutes(2));

        var company = (await s.Api.GetAsync($"/companies/{id}")).ShouldBe(HttpStatusCode.OK).Data;

        var rules = company.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal([seats, $"{seats}_exceeded"], rules.Select(r => Text(r, "id")));
        Assert.Equal(["company_override", "company_override_usage_exceeded"], rules.Select(r => Text(r, "rule_type")));
        Assert.Equal("Pilot", Text(rules[0], "name"));
        Assert.Equal(await Given.FlagIdOfAsync(s.Api, s.Seats), Text(rules[0], "flag_id"));
        var scope = rules[0].GetProperty("conditions")[0];
        Assert.Equal(("company", "eq"), (Text(scope, "condition_type"), Text(scope, "operator")));
        Assert.Equal([id], scope.GetProperty("resource_ids").EnumerateArray().Select(r => r.GetString()));
        var limit = rules[0].GetProperty("conditions")[1];
        Assert.Equal(("trait", "lt", "50"), (Text(limit, "condition_type"), Text(limit, "operator"), Text(limit, "trait_value")));
        Assert.Equal(("int", "company"), (Text(limit.GetProperty("trait_definition"), "comparable_type"), Text(limit.GetProperty("trait_definition"), "entity_type")));
        Assert.Equal(50, company.GetProperty("entitlements").EnumerateArray().Single(e => Text(e, "feature_key") == "seats").GetProperty("allocation").GetInt64());
        Assert.DoesNotContain(company.GetProperty("entitlements").EnumerateArray(), e => Text(e, "feature_key") == "sso");
    }

    [Fact]
    public async Task AListedCompanyIsTheCompanyReadAlone()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 2);
        var globex = await s.CompanyAsync("globex", s.Starter, seats: 1);
        await Given.OverrideAsync(s.Api, new { companyId = acme, featureId = s.Sso, valueType = "boolean", valueBool = false });
        (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "g@globex.test" }, company = Given.Keys("globex") })).ShouldBe(HttpStatusCode.OK);

        var listed = (await s.Api.GetAsync("/companies")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal((await s.Api.GetAsync($"/companies/{acme}")).Data.GetRawText(), listed[0].GetRawText());
        Assert.Equal((await s.Api.GetAsync($"/companies/{globex}")).Data.GetRawText(), listed[1].GetRawText());
        Assert.Equal([0L, 1L], listed.EnumerateArray().Select(c => c.GetProperty("user_count").GetInt64()));
        Assert.Single(listed[0].GetProperty("rules").EnumerateArray());
    }

    [Fact]
    public async Task AUserCarriesItsMembershipsCompaniesKeysAndTraits()
    {
        var api = await server.NewEnvironmentAsync();
        var acme = await Given.CompanyAsync(api, "acme");
        var globex = await Given.CompanyAsync(api, "globex");
        var id = (await api.PostAsync("/users", new
        {
            keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" }, name = "Ana", company = Given.Keys("acme"), companyIds = new[] { globex }, traits = new { role = "admin" },
        })).ShouldBe(HttpStatusCode.OK).Id;
        var loner = (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "solo@x.test" } })).ShouldBe(HttpStatusCode.OK).Id;

        var user = (await api.GetAsync($"/users/{id}")).ShouldBe(HttpStatusCode.OK).Data;
        var listed = (await api.GetAsync("/users")).ShouldBe(HttpStatusCode.OK).Data;

        var memberships = user.GetProperty("company_memberships").EnumerateArray().ToList();
        Assert.Equal([globex, acme], memberships.Select(m => Text(m, "company_id")));
        Assert.All(memberships, m => Assert.Equal(id, Text(m, "user_id")));
        Assert.Equal("globex", Text(memberships[0].GetProperty("company"), "name"));
        Assert.Equal([globex, acme], user.GetProperty("companies").EnumerateArray().Select(c => Text(c, "id")));
        Assert.Equal(("email", "user"), (Text(user.GetProperty("keys")[0], "key"), Text(user.GetProperty("keys")[0], "entity_type")));
        var trait = Assert.Single(user.GetProperty("entity_traits").EnumerateArray());
        Assert.Equal(("admin", "string", "user"), (Text(trait, "value"), Text(trait.GetProperty("definition"), "trait_type"), Text(trait.GetProperty("definition"), "entity_type")));
        Assert.Equal(user.GetRawText(), listed[0].GetRawText());
        Assert.Equal(loner, Text(listed[1], "id"));
        Assert.Equal(0, listed[1].GetProperty("company_memberships").GetArrayLength());
        Assert.Equal(0, listed[1].GetProperty("entity_traits").GetArrayLength());
        (await api.DeleteAsync($"/companies/{acme}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([globex], (await api.GetAsync($"/users/{id}")).Data.GetProperty("companies").EnumerateArray().Select(c => Text(c, "id")));
    }

    private static string? Text(JsonElement element, string name) => element.GetProperty(name).GetString();
}

public sealed class EntityShapeTestsOnSqlite(SqliteServer server) : EntityShapeTests(server), IClassFixture<SqliteServer>;

public sealed class EntityShapeTestsOnPostgres(PostgresServer server) : EntityShapeTests(server), IClassFixture<PostgresServer>;
