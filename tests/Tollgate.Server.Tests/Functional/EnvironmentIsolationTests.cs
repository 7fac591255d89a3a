using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Every request is confined to its key's environment: a key of one can neither read nor write another's data.</summary>
public abstract class EnvironmentIsolationTests(TollgateFactory server)
{
    [Fact]
    public async Task CreatingAnEnvironmentAnswersItsFirstSecretKeyWhichWorksAtOnce()
    {
        var created = (await server.Api().PostAsync("/environments", new { name = $"staging-{Guid.NewGuid():N}" })).ShouldBe(HttpStatusCode.Created);
        var key = created.Data.GetProperty("key").GetString()!;

        var environment = (await server.Api(key).GetAsync("/environment")).ShouldBe(HttpStatusCode.OK);

        Assert.StartsWith("tg_sk_", key, StringComparison.Ordinal);
        Assert.Equal(created.Data.GetProperty("environment").GetProperty("id").GetString(), environment.Id);
        Assert.Equal("secret", created.Data.GetProperty("api_key").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task EnvironmentNamesAreUnique()
    {
        var name = $"production-{Guid.NewGuid():N}";
        (await server.Api().PostAsync("/environments", new { name })).ShouldBe(HttpStatusCode.Created);

        (await server.Api().PostAsync("/environments", new { name })).ShouldFail(HttpStatusCode.Conflict, "name");
    }

    [Fact]
    public async Task AKeyCannotReadAnotherEnvironmentsResources()
    {
        var (_, theirs) = await TwoWorldsAsync();
        var mine = await server.NewEnvironmentAsync();

        foreach (var path in theirs.ResourcePaths)
        {
            (await mine.GetAsync(path)).ShouldBe(HttpStatusCode.NotFound);
        }

        (await mine.GetAsync($"/companies/lookup?keys[id]={theirs.CompanyKey}")).ShouldFail(HttpStatusCode.NotFound, "company not found");
    }

    [Fact]
    public async Task ListsCountsAndTheAuditLogShowOnlyTheKeysOwnEnvironment()
    {
        var (mine, theirs) = await TwoWorldsAsync();

        foreach (var list in new[]
        {
            "/features", "/flags", "/trait-definitions", "/entity-trait-definitions", "/plans", "/plan-entitlements", "/companies", "/users", "/company-overrides",
            "/audit-log", "/api-keys", "/companies?without_plan=false&q=a", "/users?without_plan=true",
        })
        {
            var listed = (await mine.Api.GetAsync(list)).ShouldBe(HttpStatusCode.OK).Text;
            foreach (var id in theirs.AllIds)
            {
                Assert.False(listed.Contains(id, StringComparison.Ordinal), $"{list} of one environment shows {id} of another: {listed}");
            }
        }

        foreach (var (count, expected) in new[] { ("/features/count", 1), ("/plans/count", 1), ("/companies/count", 2) })
        {
            Assert.Equal(expected, (await mine.Api.GetAsync(count)).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        }

        Assert.Equal(0, (await mine.Api.GetAsync($"/audit-log?resource_id={theirs.FeatureId}")).Data.GetArrayLength());
        Assert.Equal(0, (await mine.Api.GetAsync($"/audit-log?company_id={theirs.CompanyId}")).Data.GetArrayLength());
        Assert.Equal(0, (await mine.Api.GetAsync($"/plan-entitlements?plan_id={theirs.PlanId}")).Data.GetArrayLength());
        Assert.Equal(0, (await mine.Api.GetAsync($"/company-overrides?company_id={theirs.CompanyId}")).Data.GetArrayLength());
    }

    [Fact]
    public async Task AKeyCannotChangeOrDeleteAnotherEnvironmentsResources()
    {
        var (mine, theirs) = await TwoWorldsAsync();
        var before = await SnapshotAsync(theirs);

        (await mine.Api.PutAsync($"/features/{theirs.FeatureId}", new { name = "hijacked" })).ShouldBe(HttpStatusCode.NotFound);
        (await mine.Api.PutAsync($"/flags/{theirs.FlagId}/rules", new { rules = Array.Empty<object>() })).ShouldBe(HttpStatusCode.NotFound);
        (await mine.Api.PutAsync($"/plans/{theirs.PlanId}", new { name = "hijacked" })).ShouldBe(HttpStatusCode.NotFound);
        (await mine.Api.PutAsync($"/plan-entitlements/{theirs.EntitlementId}", new { valueType = "boolean", valueBool = false })).ShouldBe(HttpStatusCode.NotFound);
        (await mine.Api.PutAsync($"/company-overrides/{theirs.OverrideId}", new { valueType = "boolean", valueBool = true })).ShouldBe(HttpStatusCode.NotFound);
        (await mine.Api.PutAsync($"/company-plans/{theirs.CompanyId}", new { basePlanId = (string?)null })).ShouldBe(HttpStatusCode.NotFound);
        foreach (var path in theirs.ResourcePaths.Where(p => !p.StartsWith("/flags/", StringComparison.Ordinal)))
        {
            (await mine.Api.DeleteAsync(path)).ShouldBe(HttpStatusCode.NotFound);
        }

        (await mine.Api.DeleteAsync($"/api-keys/{theirs.Api.KeyId}")).ShouldBe(HttpStatusCode.NotFound);

        Assert.Equal(before, await SnapshotAsync(theirs));
        (await theirs.Api.GetAsync("/features")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AKeyCannotAttachItsDataToAnotherEnvironmentsResources()
    {
        var (mine, theirs) = await TwoWorldsAsync();

        (await mine.Api.PostAsync("/plan-entitlements", new { planId = theirs.PlanId, featureId = mine.FeatureId, valueType = "boolean", valueBool = true }))
            .ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await mine.Api.PostAsync("/plan-entitlements", new { planId = mine.PlanId, featureId = theirs.FeatureId, valueType = "boolean", valueBool = true }))
            .ShouldFail(HttpStatusCode.BadRequest, "feature_id");
        (await mine.Api.PostAsync("/company-overrides", new { companyId = theirs.CompanyId, featureId = mine.FeatureId, valueType = "boolean", valueBool = true }))
            .ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await mine.Api.PostAsync("/company-overrides", new { companyId = mine.CompanyId, featureId = theirs.FeatureId, valueType = "boolean", valueBool = true }))
            .ShouldFail(HttpStatusCode.BadRequest, "feature_id");
        (await mine.Api.PutAsync($"/company-plans/{mine.CompanyId}", new { basePlanId = theirs.PlanId })).ShouldFail(HttpStatusCode.BadRequest, "base_plan_id");
        (await mine.Api.PostAsync("/companies", new { keys = Given.Keys("newco"), basePlanId = theirs.PlanId })).ShouldFail(HttpStatusCode.BadRequest, "base_plan_id");
        (await mine.Api.PostAsync("/features", new { name = "t", featureType = "trait", traitId = theirs.TraitId })).ShouldFail(HttpStatusCode.BadRequest, "trait_id");
        (await mine.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "x@y.test" }, company = Given.Keys(theirs.CompanyKey + "-only") }))
            .ShouldFail(HttpStatusCode.BadRequest, "company");
        (await mine.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "z@y.test" }, companyIds = new[] { theirs.CompanyId } }))
            .ShouldFail(HttpStatusCode.BadRequest, "company_ids[0]");
    }

    [Fact]
    public async Task TheSameKeysAndFlagKeysLiveIndependentlyInEachEnvironment()
    {
        var (mine, theirs) = await TwoWorldsAsync();

        var myFeature = await Given.BooleanFeatureAsync(mine.Api, "shared-flag");
        var theirFeature = await Given.BooleanFeatureAsync(theirs.Api, "shared-flag", defaultValue: true);
        var myCompany = await Given.CompanyAsync(mine.Api, "same-key");
        var theirCompany = await Given.CompanyAsync(theirs.Api, "same-key");

        Assert.NotEqual(myFeature, theirFeature);
        Assert.NotEqual(myCompany, theirCompany);
        Assert.False(await CheckAsync(mine.Api, "shared-flag", "same-key"));
        Assert.True(await CheckAsync(theirs.Api, "shared-flag", "same-key"));
    }

    [Fact]
    public async Task AKeyCannotCheckAnotherEnvironmentsFlagsOrSeeItsCompanies()
    {
        var (mine, theirs) = await TwoWorldsAsync();

        (await mine.Api.PostAsync($"/flags/{theirs.FlagKey}/check", new { company = Given.Keys(theirs.CompanyKey) })).ShouldFail(HttpStatusCode.NotFound, "flag not found");
        var all = (await mine.Api.PostAsync("/flags/check", new { company = Given.Keys(theirs.CompanyKey) })).ShouldBe(HttpStatusCode.OK);
        var mineOnly = (await mine.Api.PostAsync($"/flags/{mine.FlagKey}/check", new { company = Given.Keys(theirs.CompanyKey) })).ShouldBe(HttpStatusCode.OK);

        var flags = all.Data.GetProperty("flags").EnumerateArray().Select(f => f.GetProperty("flag").GetString()).ToList();
        Assert.Equal([mine.FlagKey], flags);
        Assert.Equal("Company not found", mineOnly.Data.GetProperty("reason").GetString());
        Assert.DoesNotContain(theirs.CompanyId, all.Text, StringComparison.Ordinal);
    }

    private static async Task<bool> CheckAsync(ApiClient api, string flag, string company) =>
        (await api.PostAsync($"/flags/{flag}/check", new { company = Given.Keys(company) })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("value").GetBoolean();

    private static async Task<string> SnapshotAsync(World world)
    {
        var parts = new List<string>();
        foreach (var path in world.ResourcePaths)
        {
            parts.Add((await world.Api.GetAsync(path)).ShouldBe(HttpStatusCode.OK).Text);
        }

        parts.Add((await world.Api.GetAsync("/api-keys")).ShouldBe(HttpStatusCode.OK).Text);
        return string.Join('\n', parts);
    }

    private async Task<(World Mine, World Theirs)> TwoWorldsAsync() => (await WorldAsync("mine"), await WorldAsync("theirs"));

    /// <summary>One of everything in a new environment, with keys unique to it.</summary>
    private async Task<World> WorldAsync(string label)
    {
        var api = await server.NewEnvironmentAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var flagKey = $"{label}-feature-{suffix}";
        var companyKey = $"{label}-company-{suffix}";
        var traitId = await Given.TraitAsync(api, "seats");
        var featureId = await Given.BooleanFeatureAsync(api, flagKey);
        var planId = await Given.PlanAsync(api, $"{label} plan");
        var entitlementId = await Given.EntitlementAsync(api, new { planId, featureId, valueType = "boolean", valueBool = true });
        var companyId = await Given.CompanyAsync(api, companyKey, planId);
        (await api.PostAsync("/companies", new { keys = Given.Keys(companyKey + "-only") })).ShouldBe(HttpStatusCode.OK);
        var userId = (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = $"{label}@{suffix}.test" }, company = Given.Keys(companyKey) }))
            .ShouldBe(HttpStatusCode.OK).Id;
        var overrideId = await Given.OverrideAsync(api, new { companyId, featureId, valueType = "boolean", valueBool = false });
        var flagId = await Given.FlagIdOfAsync(api, featureId);
        return new World(api, flagKey, companyKey, traitId, featureId, flagId, planId, entitlementId, companyId, userId, overrideId);
    }

    private sealed record World(
        ApiClient Api, string FlagKey, string CompanyKey, string TraitId, string FeatureId, string FlagId, string PlanId, string EntitlementId,
        string CompanyId, string UserId, string OverrideId)
    {
        public string[] AllIds => [TraitId, FeatureId, FlagId, PlanId, EntitlementId, CompanyId, UserId, OverrideId, Api.KeyId!, Api.EnvironmentId!];

        public string[] ResourcePaths =>
        [
            $"/features/{FeatureId}", $"/flags/{FlagId}", $"/plans/{PlanId}", $"/plan-entitlements/{EntitlementId}", $"/companies/{CompanyId}",
            $"/users/{UserId}", $"/company-overrides/{OverrideId}",
        ];
    }
}

public sealed class EnvironmentIsolationTestsOnSqlite(SqliteServer server) : EnvironmentIsolationTests(server), IClassFixture<SqliteServer>;

public sealed class EnvironmentIsolationTestsOnPostgres(PostgresServer server) : EnvironmentIsolationTests(server), IClassFixture<PostgresServer>;
