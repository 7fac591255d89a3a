using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Catalog answers in the shapes of the Schematic Node SDK's serialization types (<c>FeatureDetailResponseData</c>,
/// <c>PlanDetailResponseData</c>, <c>PlanEntitlementResponseData</c>, <c>CompanyOverrideResponseData</c>): required
/// strings and lists are present, never null; and the plan-entitlement filters.
/// </summary>
public abstract class CatalogShapeTests(TollgateFactory server)
{
    [Fact]
    public async Task AFeatureCarriesItsFlagsAndThePlansThatGrantIt()
    {
        var s = await PricingScenario.CreateAsync(server);

        var feature = (await s.Api.GetAsync($"/features/{s.Sso}")).ShouldBe(HttpStatusCode.OK).Data;
        var listed = (await s.Api.GetAsync("/features")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single(f => f.GetProperty("id").GetString() == s.Sso);

        var flag = Assert.Single(feature.GetProperty("flags").EnumerateArray());
        Assert.Equal("sso", flag.GetProperty("key").GetString());
        Assert.Equal("boolean", flag.GetProperty("flag_type").GetString());
        Assert.Equal(s.Sso, flag.GetProperty("feature_id").GetString());
        Assert.Equal(string.Empty, flag.GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.Array, flag.GetProperty("rules").ValueKind);
        Assert.Equal(feature.GetProperty("flag_id").GetString(), flag.GetProperty("id").GetString());
        Assert.Equal([s.Pro, s.Enterprise], feature.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal("Pro", feature.GetProperty("plans")[0].GetProperty("name").GetString());
        Assert.Equal(string.Empty, feature.GetProperty("description").GetString());
        Assert.Equal(string.Empty, feature.GetProperty("icon").GetString());
        Assert.Equal(feature.GetRawText(), listed.GetRawText());
    }

    [Fact]
    public async Task FlagsAreAnsweredWithTheirTypeAndADescriptionString()
    {
        var api = await server.NewEnvironmentAsync();
        var featureId = await Given.BooleanFeatureAsync(api, "exports");
        var flagId = await Given.FlagIdOfAsync(api, featureId);

        var flag = (await api.GetAsync($"/flags/{flagId}")).ShouldBe(HttpStatusCode.OK).Data;
        var updated = (await api.PutAsync($"/flags/{flagId}/rules", new { rules = Array.Empty<object>() })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal("boolean", flag.GetProperty("flag_type").GetString());
        Assert.Equal(string.Empty, flag.GetProperty("description").GetString());
        Assert.Equal(api.EnvironmentId, flag.GetProperty("environment_id").GetString());
        Assert.Equal("boolean", updated.GetProperty("flag_type").GetString());
        Assert.Equal(updated.GetRawText(), (await api.GetAsync("/flags")).Data[0].GetRawText());
    }

    [Fact]
    public async Task APlanIncludesItsVersionsWithTheActiveAndDraftOnes()
    {
        var api = await server.NewEnvironmentAsync();
        var created = (await api.PostAsync("/plans", new { name = "Pro" })).ShouldBe(HttpStatusCode.Created);
        var draft = (await api.PostAsync($"/plans/{created.Id}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;

        var plan = (await api.GetAsync($"/plans/{created.Id}")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(string.Empty, created.Data.GetProperty("description").GetString());
        Assert.Single(created.Data.GetProperty("versions").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, created.Data.GetProperty("draft_version").ValueKind);
        Assert.Equal([1, 2], plan.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(string.Empty, plan.GetProperty("versions")[0].GetProperty("description").GetString());
        Assert.Equal(plan.GetProperty("versions")[0].GetProperty("id").GetString(), plan.GetProperty("active_version").GetProperty("id").GetString());
        Assert.Equal("published", plan.GetProperty("active_version").GetProperty("status").GetString());
        Assert.Equal(draft, plan.GetProperty("draft_version").GetProperty("id").GetString());
        Assert.Equal(plan.GetRawText(), (await api.GetAsync("/plans")).Data[0].GetRawText());
    }

    [Fact]
    public async Task APlanCountsTheCompaniesHoldingItAsBasePlanOrAddOn()
    {
        var api = await server.NewEnvironmentAsync();
        var pro = await Given.PlanAsync(api, "Pro");
        var storage = await Given.PlanAsync(api, "Storage", "add_on");
        var unused = await Given.PlanAsync(api, "Unused");
        await Given.CompanyAsync(api, "a", pro);
        (await api.PostAsync("/companies", new { keys = Given.Keys("b"), basePlanId = pro, addOnIds = new[] { storage, storage } })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/companies", new { keys = Given.Keys("c"), addOnIds = new[] { storage } })).ShouldBe(HttpStatusCode.OK);
        await Given.CompanyAsync(api, "d");

        var listed = (await api.GetAsync("/plans")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal([2L, 2L, 0L], listed.EnumerateArray().Select(p => p.GetProperty("company_count").GetInt64()));
        Assert.Equal(2, (await api.GetAsync($"/plans/{pro}")).Data.GetProperty("company_count").GetInt64());
        Assert.Equal(0, (await api.GetAsync($"/plans/{unused}")).Data.GetProperty("company_count").GetInt64());
    }

    [Fact]
    public async Task APlanEntitlementCarriesSchematicsFieldsWithListsNeverNull()
    {
        var s = await PricingScenario.CreateAsync(server);
        var tiered = await Given.EntitlementAsync(s.Api, new
        {
            planId = s.Starter, featureId = s.Sso, valueType = "boolean", valueBool = true, warningTiers = new[] { new { key = "80pct", value = 80 } },
        });

        var seats = (await s.Api.GetAsync($"/plan-entitlements/{s.ProSeats}")).ShouldBe(HttpStatusCode.OK).Data;
        var sso = (await s.Api.GetAsync($"/plan-entitlements/{s.ProSso}")).ShouldBe(HttpStatusCode.OK).Data;
        var withTiers = (await s.Api.GetAsync($"/plan-entitlements/{tiered}")).ShouldBe(HttpStatusCode.OK).Data;
        var credit = (await s.Api.GetAsync($"/plan-entitlements?plan_id={s.Pro}&feature_id={s.AiCredits}")).ShouldBe(HttpStatusCode.OK).Data[0];

        Assert.Equal(s.Api.EnvironmentId, seats.GetProperty("environment_id").GetString());
        Assert.Equal(s.ProSeats, seats.GetProperty("rule_id").GetString());
        Assert.Equal($"{s.ProSeats}_exceeded", seats.GetProperty("rule_id_usage_exceeded").GetString());
        Assert.Equal(JsonValueKind.Null, sso.GetProperty("rule_id_usage_exceeded").ValueKind);
        Assert.Equal(0, sso.GetProperty("warning_tiers").GetArrayLength());
        Assert.Equal(0, sso.GetProperty("currency_prices").GetArrayLength());
        var tier = Assert.Single(withTiers.GetProperty("warning_tiers").EnumerateArray());
        Assert.Equal("80pct", tier.GetProperty("key").GetString());
        Assert.Equal(80, tier.GetProperty("value").GetInt64());
        Assert.False(string.IsNullOrEmpty(tier.GetProperty("id").GetString()));
        Assert.Equal(2, credit.GetProperty("consumption_rate").GetDouble());
        Assert.Equal(2, credit.GetProperty("credit_consumption_rate").GetDouble());
    }

    [Fact]
    public async Task PlanEntitlementsAreFilteredByPlanVersionAndFeature()
    {
        var s = await PricingScenario.CreateAsync(server);
        var v1 = (await s.Api.GetAsync($"/plans/{s.Pro}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("active_version").GetProperty("id").GetString();
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;

        var ofV1 = (await s.Api.GetAsync($"/plan-entitlements?plan_version_id={v1}")).ShouldBe(HttpStatusCode.OK);
        var ofDraft = (await s.Api.GetAsync($"/plan-entitlements/count?plan_version_id={draft}")).ShouldBe(HttpStatusCode.OK);
        var ssoEverywhere = (await s.Api.GetAsync($"/plan-entitlements?feature_id={s.Sso}")).ShouldBe(HttpStatusCode.OK);
        var ssoInDraft = (await s.Api.GetAsync($"/plan-entitlements?feature_id={s.Sso}&plan_version_id={draft}&plan_id={s.Pro}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(4, ofV1.Data.GetArrayLength());
        Assert.All(ofV1.Data.EnumerateArray(), e => Assert.Equal(v1, e.GetProperty("plan_version_id").GetString()));
        Assert.Equal(v1, ofV1.Params.GetProperty("plan_version_id").GetString());
        Assert.Equal(4, ofDraft.Data.GetProperty("count").GetInt64());
        Assert.Equal(draft, ofDraft.Params.GetProperty("plan_version_id").GetString());
        Assert.Equal([s.Pro, s.Enterprise, s.Pro], ssoEverywhere.Data.EnumerateArray().Select(e => e.GetProperty("plan_id").GetString()));
        var only = Assert.Single(ssoInDraft.Data.EnumerateArray());
        Assert.Equal(draft, only.GetProperty("plan_version_id").GetString());
        Assert.Equal(s.Sso, ssoInDraft.Params.GetProperty("feature_id").GetString());
        Assert.Equal(0, (await s.Api.GetAsync("/plan-entitlements?feature_id=feat_missing")).Data.GetArrayLength());
        (await s.Api.GetAsync($"/plan-entitlements?feature_id={s.Sso}&feature_id={s.Seats}")).ShouldFail(HttpStatusCode.BadRequest, "feature_id");
    }

    [Fact]
    public async Task ACompanyOverrideCarriesItsNotesRulesAndEnvironment()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("acme", s.Starter, seats: 1);
        var id = await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Seats, valueType = "numeric", valueNumeric = 50, note = "Pilot" });
        var plain = await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = true });

        var read = (await s.Api.GetAsync($"/company-overrides/{id}")).ShouldBe(HttpStatusCode.OK).Data;
        var listed = (await s.Api.GetAsync($"/company-overrides?company_id={company}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(s.Api.EnvironmentId, read.GetProperty("environment_id").GetString());
        Assert.Equal(id, read.GetProperty("rule_id").GetString());
        Assert.Equal($"{id}_exceeded", read.GetProperty("rule_id_usage_exceeded").GetString());
        Assert.Equal("Pilot", read.GetProperty("note").GetString());
        Assert.Equal("Pilot", Assert.Single(read.GetProperty("notes").EnumerateArray()).GetProperty("note").GetString());
        Assert.Equal(company, listed.Params.GetProperty("company_id").GetString());
        var other = listed.Data.EnumerateArray().Single(o => o.GetProperty("id").GetString() == plain);
        Assert.Equal(0, other.GetProperty("notes").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, other.GetProperty("rule_id_usage_exceeded").ValueKind);
    }
}

public sealed class CatalogShapeTestsOnSqlite(SqliteServer server) : CatalogShapeTests(server), IClassFixture<SqliteServer>;

public sealed class CatalogShapeTestsOnPostgres(PostgresServer server) : CatalogShapeTests(server), IClassFixture<PostgresServer>;
