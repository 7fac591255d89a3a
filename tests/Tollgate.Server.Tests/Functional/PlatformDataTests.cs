using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>The event log, company memberships, entity keys and traits, and per-user usage (issue 11, item 6).</summary>
public abstract class PlatformDataTests(TollgateFactory server)
{
    private static Dictionary<string, object?> Track(string subtype, string company, string user, long quantity, DateTimeOffset at) => new()
    {
        ["type"] = "track",
        ["sent_at"] = at.ToString("O"),
        ["trusted_client_clock"] = true,
        ["body"] = new Dictionary<string, object?> { ["event"] = subtype, ["company"] = Given.Keys(company), ["user"] = new Dictionary<string, string> { ["email"] = user }, ["quantity"] = quantity },
    };

    private static async Task<(string Company, string Ada, string Bob)> PeopleAsync(ApiClient api)
    {
        var company = await Given.CompanyAsync(api, "acme");
        var ada = (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ada@acme.test" }, name = "Ada", company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Id;
        var bob = (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "bob@acme.test" }, name = "Bob", company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Id;
        return (company, ada, bob);
    }

    [Fact]
    public async Task EventsAreListedNewestFirstWithFiltersAndPagingAndReadById()
    {
        var api = await server.NewEnvironmentAsync();
        var feature = await Given.EventFeatureAsync(api, "api-calls", "api-call");
        var (company, ada, _) = await PeopleAsync(api);
        var now = server.Time.GetUtcNow();
        await Events.SendAsync(api, Track("api-call", "acme", "ada@acme.test", 3, now.AddMinutes(-2)), Track("export", "acme", "bob@acme.test", 1, now.AddMinutes(-1)));
        await Events.SendAsync(api, Track("api-call", "acme", "bob@acme.test", 5, now));

        var all = (await api.GetAsync($"/events?company_id={company}&event_types=track")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToList();
        var second = (await api.GetAsync($"/events?company_id={company}&event_types=track&limit=1&offset=1")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single();
        var calls = (await api.GetAsync("/events?event_subtype=api-call")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToList();
        var adas = (await api.GetAsync($"/events?user_id={ada}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single();

        Assert.Equal([5L, 1, 3], all.Select(e => e.GetProperty("quantity").GetInt64()));
        Assert.Equal(all[1].GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal(2, calls.Count);
        Assert.Equal([feature], calls[0].GetProperty("feature_ids").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("Ada", adas.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("processed", adas.GetProperty("status").GetString());
        Assert.Equal("api-call", adas.GetProperty("body").GetProperty("event").GetString());
        var read = (await api.GetAsync($"/events/{adas.GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(3, read.GetProperty("quantity").GetInt64());
        Assert.Empty((await api.GetAsync("/events?event_types=identify")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        (await api.GetAsync("/events?event_types=click")).ShouldFail(HttpStatusCode.BadRequest, "event_types");
        (await api.GetAsync("/events/evt_999999999")).ShouldFail(HttpStatusCode.NotFound, "event");
        (await api.GetAsync("/events/nonsense")).ShouldFail(HttpStatusCode.NotFound, "event");

        var other = await server.NewEnvironmentAsync();
        (await other.GetAsync($"/events/{adas.GetProperty("id").GetString()}")).ShouldFail(HttpStatusCode.NotFound, "event");
        Assert.Empty((await other.GetAsync("/events")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());

        var types = (await api.GetAsync("/event-types")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToList();
        Assert.Equal(["api-call", "export"], types.Select(t => t.GetProperty("event_subtype").GetString()));
        Assert.Equal(2, types[0].GetProperty("event_count").GetInt64());
        Assert.Equal(2, types[0].GetProperty("user_count").GetInt64());
        Assert.Equal(1, types[0].GetProperty("company_count").GetInt64());
    }

    [Fact]
    public async Task PerUserUsageIsSummedFromTheLogOverTheWindowAndPerDay()
    {
        var api = await server.NewEnvironmentAsync();
        var feature = await Given.EventFeatureAsync(api, "api-calls", "api-call");
        var (company, ada, bob) = await PeopleAsync(api);
        var day = new DateTimeOffset(server.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(-3);
        await Events.SendAsync(
            api,
            Track("api-call", "acme", "ada@acme.test", 3, day.AddHours(1)),
            Track("api-call", "acme", "ada@acme.test", 4, day.AddDays(1).AddHours(1)),
            Track("api-call", "acme", "bob@acme.test", 1, day.AddHours(2)),
            Track("api-call", "acme", "bob@acme.test", 100, day.AddDays(-60)));

        var byCompany = (await api.GetAsync($"/user-usage-by-company?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data;
        var rows = byCompany.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("user_id").GetString()!);
        Assert.Equal(7, rows[ada].GetProperty("value").GetInt64());
        Assert.Equal(1, rows[bob].GetProperty("value").GetInt64());
        Assert.Equal(0.875, rows[ada].GetProperty("share").GetDouble(), 6);
        Assert.Equal(feature, rows[ada].GetProperty("feature").GetProperty("id").GetString());
        Assert.Empty(byCompany.GetProperty("credits").EnumerateArray());

        var detail = (await api.GetAsync($"/user-usage-detail?company_id={company}&user_id={ada}&start_time={Uri.EscapeDataString(day.ToString("O"))}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(
            [(day.ToString("yyyy-MM-dd"), 3L), (day.AddDays(1).ToString("yyyy-MM-dd"), 4L)],
            detail.GetProperty("daily_points").EnumerateArray().Select(p => (p.GetProperty("date").GetString(), p.GetProperty("value").GetInt64())));
        Assert.Equal("Ada", detail.GetProperty("user").GetProperty("name").GetString());
        (await api.GetAsync("/user-usage-by-company")).ShouldFail(HttpStatusCode.BadRequest, "company_id");
    }

    [Fact]
    public async Task FeatureUsersShowEachMembersOwnUsageUnderTheCompanysEntitlement()
    {
        var api = await server.NewEnvironmentAsync();
        var feature = await Given.EventFeatureAsync(api, "api-calls", "api-call");
        var plan = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = feature, valueType = "numeric", valueNumeric = 100, metricPeriod = "all_time" });
        await Given.CompanyAsync(api, "acme", plan);
        var (_, ada, bob) = await PeopleAsync(api);
        var now = server.Time.GetUtcNow();
        await Events.SendAsync(api, Track("api-call", "acme", "ada@acme.test", 3, now), Track("api-call", "acme", "bob@acme.test", 2, now));

        var users = (await api.GetAsync($"/feature-users?feature_id={feature}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .ToDictionary(u => u.GetProperty("user").GetProperty("id").GetString()!);

        Assert.Equal(3, users[ada].GetProperty("usage").GetInt64());
        Assert.Equal(2, users[bob].GetProperty("usage").GetInt64());
        Assert.Equal(100, users[ada].GetProperty("allocation").GetInt64());
        Assert.True(users[ada].GetProperty("access").GetBoolean());
        Assert.Equal(2, (await api.GetAsync($"/feature-users/count?feature_id={feature}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(1, (await api.GetAsync($"/feature-users/count?feature_id={feature}&q=ada")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(1, (await api.GetAsync($"/feature-companies/count?feature_id={feature}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task MembershipsAreMadeOnceListedAndRemoved()
    {
        var api = await server.NewEnvironmentAsync();
        var (acme, ada, _) = await PeopleAsync(api);
        var globex = await Given.CompanyAsync(api, "globex");

        var made = (await api.PostAsync("/company-memberships", new { company_id = globex, user_id = ada })).ShouldBe(HttpStatusCode.OK).Data;
        (await api.PostAsync("/company-memberships", new { company_id = globex, user_id = ada })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(2, (await api.GetAsync($"/company-memberships?company_id={acme}")).ShouldBe(HttpStatusCode.OK).Data.GetArrayLength());
        Assert.Equal([acme, globex], (await api.GetAsync($"/company-memberships?user_id={ada}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(m => m.GetProperty("company_id").GetString()));
        Assert.Equal("globex", made.GetProperty("company").GetProperty("id").GetString() == globex ? "globex" : null);
        Assert.Single((await api.GetAsync($"/audit-log?resource_id={ada}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray(), e => e.GetProperty("action").GetString() == "update");

        (await api.DeleteAsync($"/company-memberships/{made.GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK);
        (await api.DeleteAsync($"/company-memberships/{made.GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.NotFound);
        Assert.Empty((await api.GetAsync($"/company-memberships?company_id={globex}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        (await api.PostAsync("/company-memberships", new { company_id = "comp_missing", user_id = ada })).ShouldFail(HttpStatusCode.NotFound, "company_id");
        (await api.PostAsync("/company-memberships", new { user_id = ada })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
    }

    [Fact]
    public async Task KeyDefinitionsComeFromTheKeysInUseAndDeletingOneRemovesTheKeyButNeverTheLastKey()
    {
        var api = await server.NewEnvironmentAsync();
        (await api.PostAsync("/companies", new { keys = new Dictionary<string, string> { ["id"] = "acme", ["crm"] = "c-1" } })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/companies", new { keys = new Dictionary<string, string> { ["crm"] = "c-2" } })).ShouldBe(HttpStatusCode.OK);

        var definitions = (await api.GetAsync("/entity-key-definitions?entity_type=company")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToList();
        Assert.Equal(["crm", "id"], definitions.Select(d => d.GetProperty("key").GetString()));
        var crm = definitions[0].GetProperty("id").GetString()!;
        var id = definitions[1].GetProperty("id").GetString()!;
        Assert.Equal(2, (await api.GetAsync($"/entity-keys/count?definition_id={crm}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(2, (await api.GetAsync("/entity-key-definitions/count")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());

        (await api.DeleteAsync($"/entity-key-definitions/{crm}")).ShouldFail(HttpStatusCode.Conflict, "no other key");
        (await api.DeleteAsync($"/entity-key-definitions/{id}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/companies/lookup?keys[id]=acme")).Status);
        (await api.GetAsync("/companies/lookup?keys[crm]=c-1")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["crm"], (await api.GetAsync("/entity-key-definitions")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(d => d.GetProperty("key").GetString()));
        (await api.DeleteAsync("/entity-key-definitions/bogus")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TraitValuesAreCountedAndADefinitionInUseIsNeitherRetypedNorDeleted()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "acme", traits: new() { ["region"] = "eu", ["seats"] = 3 });
        await Given.CompanyAsync(api, "globex", traits: new() { ["region"] = "us" });
        await Given.CompanyAsync(api, "initech", traits: new() { ["region"] = "eu" });
        var traits = (await api.GetAsync("/entity-trait-definitions?entity_type=company")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("id").GetString()!);
        var region = traits["region"];
        var seats = traits["seats"];

        Assert.Equal(["eu", "us"], (await api.GetAsync($"/entity-trait-values?definition_id={region}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(v => v.GetProperty("value").GetString()));
        Assert.Equal(3, (await api.GetAsync($"/entity-traits/count?definition_id={region}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(4, (await api.GetAsync("/entity-traits/count?entity_type=company")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());

        await Given.TraitFeatureAsync(api, "seat-limit", seats);
        var usage = (await api.GetAsync($"/entity-trait-definitions/{seats}/usage")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(1, usage.GetProperty("feature_count").GetInt32());
        (await api.PutAsync($"/entity-trait-definitions/{seats}", new { trait_type = "string" })).ShouldFail(HttpStatusCode.Conflict, "trait_type");
        (await api.DeleteAsync($"/entity-trait-definitions/{seats}")).ShouldFail(HttpStatusCode.Conflict, "1 features");

        var renamed = (await api.PutAsync($"/entity-trait-definitions/{region}", new { display_name = "Region", trait_type = "url" })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("Region", renamed.GetProperty("display_name").GetString());
        (await api.DeleteAsync($"/entity-trait-definitions/{region}")).ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync($"/entity-trait-definitions/{region}")).ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class PlatformDataTestsOnSqlite(SqliteServer server) : PlatformDataTests(server), IClassFixture<SqliteServer>;

public sealed class PlatformDataTestsOnPostgres(PostgresServer server) : PlatformDataTests(server), IClassFixture<PostgresServer>;
