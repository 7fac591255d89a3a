using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Flags on their own (Schematic's <c>POST/PUT/DELETE /flags</c>): a flag without a feature answers checks with its
/// default; a flag's key, name and default change after it was made and checks follow at once; a feature keeps one flag.
/// </summary>
public abstract class FlagCrudTests(TollgateFactory server)
{
    [Fact]
    public async Task AFlagWithoutAFeatureAnswersItsDefaultAndFollowsEveryChangeToIt()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "acme");
        var created = (await api.PostAsync("/flags", new { key = "new-checkout", name = "New checkout", description = "rollout", defaultValue = true, flagType = "boolean" }))
            .ShouldBe(HttpStatusCode.Created);
        var flagId = created.Id;

        Assert.Equal(JsonValueKind.Null, created.Data.GetProperty("feature_id").ValueKind);
        Assert.True((await CheckAsync(api, "new-checkout")).GetProperty("value").GetBoolean());

        (await api.PutAsync($"/flags/{flagId}", new { defaultValue = false })).ShouldBe(HttpStatusCode.OK);
        Assert.False((await CheckAsync(api, "new-checkout")).GetProperty("value").GetBoolean());

        var renamed = (await api.PutAsync($"/flags/{flagId}", new { key = "checkout-v2", name = "Checkout v2", defaultValue = true })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("Checkout v2", renamed.Data.GetProperty("name").GetString());
        Assert.Equal("rollout", renamed.Data.GetProperty("description").GetString());
        Assert.True((await CheckAsync(api, "checkout-v2")).GetProperty("value").GetBoolean());
        (await api.PostAsync("/flags/new-checkout/check", new { company = Given.Keys("acme") })).ShouldFail(HttpStatusCode.NotFound, "flag not found");

        Assert.True((await api.DeleteAsync($"/flags/{flagId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("deleted").GetBoolean());
        (await api.PostAsync("/flags/checkout-v2/check", new { company = Given.Keys("acme") })).ShouldFail(HttpStatusCode.NotFound, "flag not found");
        (await api.GetAsync($"/flags/{flagId}")).ShouldBe(HttpStatusCode.NotFound);
        (await api.DeleteAsync($"/flags/{flagId}")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AFeaturesFlagKeepsItsEntitlementsWhenItsDefaultAndNameChange()
    {
        var api = await server.NewEnvironmentAsync();
        var featureId = await Given.BooleanFeatureAsync(api, "sso");
        var planId = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId, featureId, valueType = "boolean", valueBool = true });
        await Given.CompanyAsync(api, "on-pro", planId);
        await Given.CompanyAsync(api, "on-nothing");
        var flagId = await Given.FlagIdOfAsync(api, featureId);
        Assert.False((await CheckAsync(api, "sso", "on-nothing")).GetProperty("value").GetBoolean());

        var updated = (await api.PutAsync($"/flags/{flagId}", new { name = "Single sign-on", defaultValue = true })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(featureId, updated.Data.GetProperty("feature_id").GetString());
        Assert.True((await CheckAsync(api, "sso", "on-nothing")).GetProperty("value").GetBoolean());
        var onPro = await CheckAsync(api, "sso", "on-pro");
        Assert.True(onPro.GetProperty("value").GetBoolean());
        Assert.StartsWith("Matched plan entitlement rule", onPro.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Single sign-on", (await api.GetAsync($"/features/{featureId}")).Data.GetProperty("flags")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task AFeatureHasOneFlagAndGetsANewOneOnlyAfterItsFlagIsDeleted()
    {
        var api = await server.NewEnvironmentAsync();
        var featureId = await Given.BooleanFeatureAsync(api, "audit-log");
        var planId = await Given.PlanAsync(api, "Business");
        await Given.EntitlementAsync(api, new { planId, featureId, valueType = "boolean", valueBool = true });
        await Given.CompanyAsync(api, "biz", planId);
        var oldFlag = await Given.FlagIdOfAsync(api, featureId);

        (await api.PostAsync("/flags", new { key = "audit-log-2", name = "Audit log", featureId, defaultValue = false }))
            .ShouldFail(HttpStatusCode.Conflict, "feature_id");
        (await api.DeleteAsync($"/flags/{oldFlag}")).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/flags/audit-log/check", new { company = Given.Keys("biz") })).ShouldFail(HttpStatusCode.NotFound, "flag not found");

        var relinked = (await api.PostAsync("/flags", new { key = "audit-log-2", name = "Audit log", featureId, defaultValue = false })).ShouldBe(HttpStatusCode.Created);

        Assert.Equal(featureId, relinked.Data.GetProperty("feature_id").GetString());
        Assert.True((await CheckAsync(api, "audit-log-2", "biz")).GetProperty("value").GetBoolean());
        Assert.Equal(relinked.Id, (await api.GetAsync($"/features/{featureId}")).Data.GetProperty("flag_id").GetString());
    }

    [Fact]
    public async Task BadFlagWritesAreRefusedNamingTheField()
    {
        var api = await server.NewEnvironmentAsync();
        await api.PostAsync("/flags", new { key = "taken", name = "Taken" });
        var other = (await api.PostAsync("/flags", new { key = "other", name = "Other" })).ShouldBe(HttpStatusCode.Created).Id;

        (await api.PostAsync("/flags", new { name = "No key" })).ShouldFail(HttpStatusCode.BadRequest, "key");
        (await api.PostAsync("/flags", new { key = "no-name" })).ShouldFail(HttpStatusCode.BadRequest, "name");
        (await api.PostAsync("/flags", new { key = "taken", name = "Again" })).ShouldFail(HttpStatusCode.Conflict, "key");
        (await api.PostAsync("/flags", new { key = "typed", name = "Typed", flagType = "number" })).ShouldFail(HttpStatusCode.BadRequest, "flag_type");
        (await api.PostAsync("/flags", new { key = "orphan", name = "Orphan", featureId = "feat_missing" })).ShouldFail(HttpStatusCode.BadRequest, "feature_id");
        (await api.PutAsync($"/flags/{other}", new { key = "taken" })).ShouldFail(HttpStatusCode.Conflict, "key");
        (await api.PutAsync("/flags/flag_missing", new { name = "x" })).ShouldBe(HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> CheckAsync(ApiClient api, string flag, string company = "acme") =>
        (await api.PostAsync($"/flags/{flag}/check", new { company = Given.Keys(company) })).ShouldBe(HttpStatusCode.OK).Data;
}

public sealed class FlagCrudTestsOnSqlite(SqliteServer server) : FlagCrudTests(server), IClassFixture<SqliteServer>;

public sealed class FlagCrudTestsOnPostgres(PostgresServer server) : FlagCrudTests(server), IClassFixture<PostgresServer>;
