using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Every management write leaves an audit entry naming the key that made it, with the state before and after.</summary>
public abstract class AuditTests(TollgateFactory server)
{
    [Fact]
    public async Task CreatingUpdatingAndDeletingAFeatureLeaveEntriesWithBeforeAndAfter()
    {
        var api = await server.NewEnvironmentAsync();
        var id = await Given.BooleanFeatureAsync(api, "reports");
        (await api.PutAsync($"/features/{id}", new { name = "Reports" })).ShouldBe(HttpStatusCode.OK);
        (await api.DeleteAsync($"/features/{id}")).ShouldBe(HttpStatusCode.OK);

        var entries = await EntriesAsync(api, $"resource_id={id}");

        Assert.Equal(["delete", "update", "create"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e => Assert.Equal(api.KeyId, e.GetProperty("api_key_id").GetString()));
        Assert.All(entries, e => Assert.Equal("feature", e.GetProperty("resource_type").GetString()));
        Assert.All(entries, e => Assert.Equal(api.EnvironmentId, e.GetProperty("environment_id").GetString()));
        var (deleted, updated, created) = (entries[0], entries[1], entries[2]);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("before").ValueKind);
        Assert.Equal("reports", created.GetProperty("after").GetProperty("name").GetString());
        Assert.Equal("reports", updated.GetProperty("before").GetProperty("name").GetString());
        Assert.Equal("Reports", updated.GetProperty("after").GetProperty("name").GetString());
        Assert.Equal("Reports", deleted.GetProperty("before").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, deleted.GetProperty("after").ValueKind);
        Assert.StartsWith("audit_", created.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(deleted.GetProperty("created_at").GetDateTimeOffset() >= created.GetProperty("created_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task EachEntryNamesTheKeyThatMadeTheWrite()
    {
        var api = await server.NewEnvironmentAsync();
        var second = (await api.PostAsync("/api-keys", new { name = "deploy" })).ShouldBe(HttpStatusCode.Created);
        var deploy = server.Api(second.Data.GetProperty("key").GetString());
        var deployKeyId = second.Data.GetProperty("api_key").GetProperty("id").GetString();

        var mine = await Given.PlanAsync(api, "Mine");
        var theirs = await Given.PlanAsync(deploy, "Theirs");

        Assert.Equal(api.KeyId, Assert.Single(await EntriesAsync(api, $"resource_id={mine}")).GetProperty("api_key_id").GetString());
        Assert.Equal(deployKeyId, Assert.Single(await EntriesAsync(api, $"resource_id={theirs}")).GetProperty("api_key_id").GetString());
    }

    [Fact]
    public async Task EveryKindOfManagementWriteIsRecorded()
    {
        var s = await PricingScenario.CreateAsync(server);
        var api = s.Api;
        var company = await s.CompanyAsync("audited", s.Pro, seats: 1);
        var flagId = await Given.FlagIdOfAsync(api, s.Sso);
        var overrideId = await Given.OverrideAsync(api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = false });
        var user = (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "a@audited.test" }, company = Given.Keys("audited") })).ShouldBe(HttpStatusCode.OK).Id;
        var trait = await Given.TraitAsync(api, "region", comparableType: "string");
        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = Array.Empty<object>() })).ShouldBe(HttpStatusCode.OK);
        (await api.PutAsync($"/plans/{s.Starter}", new { description = "Entry" })).ShouldBe(HttpStatusCode.OK);
        (await api.PutAsync($"/plan-entitlements/{s.ProSeats}", new { valueType = "numeric", valueNumeric = 11 })).ShouldBe(HttpStatusCode.OK);
        (await api.PutAsync($"/company-plans/{company}", new { basePlanId = s.Enterprise })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/company-traits", new { keys = Given.Keys("audited"), trait = "seats", incr = 1 })).ShouldBe(HttpStatusCode.OK);
        (await api.PutAsync($"/company-overrides/{overrideId}", new { valueType = "boolean", valueBool = true })).ShouldBe(HttpStatusCode.OK);
        (await api.DeleteAsync($"/company-overrides/{overrideId}")).ShouldBe(HttpStatusCode.OK);
        (await api.DeleteAsync($"/users/{user}")).ShouldBe(HttpStatusCode.OK);
        (await api.DeleteAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK);

        async Task<string> Actions(string resourceId) =>
            string.Join(',', (await EntriesAsync(api, $"resource_id={resourceId}")).Select(e => $"{e.GetProperty("resource_type").GetString()}:{e.GetProperty("action").GetString()}"));
        Assert.Equal("flag:update,flag:create", await Actions(flagId));
        Assert.Equal("trait_definition:create", await Actions(trait));
        Assert.Equal("plan:update,plan:create", await Actions(s.Starter));
        Assert.Equal("plan_entitlement:update,plan_entitlement:create", await Actions(s.ProSeats));
        Assert.Equal("company:delete,company:update,company:update,company:create", await Actions(company));
        Assert.Equal("company_override:delete,company_override:update,company_override:create", await Actions(overrideId));
        Assert.Equal("user:delete,user:create", await Actions(user));
        var plans = await EntriesAsync(api, $"resource_id={company}");
        Assert.Equal(s.Pro, plans[2].GetProperty("before").GetProperty("base_plan_id").GetString());
        Assert.Equal(s.Enterprise, plans[2].GetProperty("after").GetProperty("base_plan_id").GetString());
    }

    [Fact]
    public async Task TheLogCanBeListedForOneCompany()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 1);
        var globex = await s.CompanyAsync("globex", s.Pro, seats: 1);
        var acmeOverride = await Given.OverrideAsync(s.Api, new { companyId = acme, featureId = s.Sso, valueType = "boolean", valueBool = false });
        await Given.OverrideAsync(s.Api, new { companyId = globex, featureId = s.Sso, valueType = "boolean", valueBool = false });
        (await s.Api.PutAsync($"/company-plans/{acme}", new { basePlanId = s.Starter })).ShouldBe(HttpStatusCode.OK);

        var entries = await EntriesAsync(s.Api, $"company_id={acme}");

        // Newest first: the plan change asked for through the company's plans is kept in /plan-changes, and its record
        // is in the company's trail beside the company's own update.
        var planChange = entries[0].GetProperty("resource_id_string").GetString();
        Assert.StartsWith("pchg_", planChange, StringComparison.Ordinal);
        Assert.Equal(
            [$"plan_change:{planChange}", $"company:{acme}", $"company_override:{acmeOverride}", $"company:{acme}"],
            entries.Select(e => $"{e.GetProperty("resource_type").GetString()}:{e.GetProperty("resource_id_string").GetString()}"));
        Assert.All(entries, e => Assert.Equal(acme, e.GetProperty("company_id").GetString()));
    }

    [Fact]
    public async Task TheLogIsNewestFirstInPages()
    {
        var api = await server.NewEnvironmentAsync();
        // Trait definitions: each is one write with one entry (a plan is two, the plan and its version 1).
        var traits = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            traits.Add(await Given.TraitAsync(api, $"trait_{i}"));
        }

        var first = (await api.GetAsync("/audit-log?limit=2")).ShouldBe(HttpStatusCode.OK);
        var second = (await api.GetAsync("/audit-log?limit=2&offset=2")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(2, first.Params.GetProperty("limit").GetInt32());
        Assert.Equal(
            [traits[3], traits[2], traits[1], traits[0]],
            first.Data.EnumerateArray().Concat(second.Data.EnumerateArray()).Select(e => e.GetProperty("resource_id_string").GetString()));
    }

    [Fact]
    public async Task RejectedWritesAndChecksLeaveNoEntry()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 1);
        var before = (await s.Api.GetAsync("/audit-log?limit=1000")).ShouldBe(HttpStatusCode.OK).Data.GetArrayLength();

        (await s.Api.PostAsync("/features", new { name = "sso", featureType = "boolean" })).ShouldBe(HttpStatusCode.Conflict);
        (await s.Api.PostAsync("/companies/create", new { keys = Given.Keys("acme") })).ShouldBe(HttpStatusCode.Conflict);
        (await s.Api.PostAsync("/plan-entitlements", new { planId = s.Pro, featureId = s.Sso, valueType = "unlimited" })).ShouldBe(HttpStatusCode.Conflict);
        (await s.Api.PutAsync($"/plans/{s.Pro}", new { planType = "bogus" })).ShouldBe(HttpStatusCode.BadRequest);
        (await s.Api.PostAsync("/flags/sso/check", new { company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PostAsync("/flags/check", new { company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK);
        (await s.Api.GetAsync("/companies/lookup?keys[id]=acme")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(before, (await s.Api.GetAsync("/audit-log?limit=1000")).Data.GetArrayLength());
    }

    [Fact]
    public async Task CreatingAndRevokingKeysIsRecorded()
    {
        var api = await server.NewEnvironmentAsync();
        var created = (await api.PostAsync("/api-keys", new { name = "rotated" })).ShouldBe(HttpStatusCode.Created);
        var keyId = created.Data.GetProperty("api_key").GetProperty("id").GetString()!;
        (await api.DeleteAsync($"/api-keys/{keyId}")).ShouldBe(HttpStatusCode.OK);

        var entries = await EntriesAsync(api, $"resource_id={keyId}");

        Assert.Equal(["api_key:delete", "api_key:create"], entries.Select(e => $"{e.GetProperty("resource_type").GetString()}:{e.GetProperty("action").GetString()}"));
        Assert.All(entries, e => Assert.Equal(api.KeyId, e.GetProperty("api_key_id").GetString()));
        Assert.DoesNotContain(created.Data.GetProperty("key").GetString()!, (await api.GetAsync("/audit-log")).Text, StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> EntriesAsync(ApiClient api, string query) =>
        [.. (await api.GetAsync($"/audit-log?{query}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()];
}

public sealed class AuditTestsOnSqlite(SqliteServer server) : AuditTests(server), IClassFixture<SqliteServer>;

public sealed class AuditTestsOnPostgres(PostgresServer server) : AuditTests(server), IClassFixture<PostgresServer>;
