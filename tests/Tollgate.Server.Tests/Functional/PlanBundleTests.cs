using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Plan bundles (a plan, its price and its entitlement changes in one request), billing-linked upserts (the same
/// external resource always updates the same Tollgate resource) and plan issues.
/// </summary>
public abstract class PlanBundleTests(TollgateFactory server)
{
    [Fact]
    public async Task ABundleMakesThePlanItsPriceAndEntitlementsAndAnUpdateChangesWhatChecksAnswer()
    {
        var s = await PricingScenario.CreateAsync(server);
        var created = (await s.Api.PostAsync("/plan-bundles", new
        {
            plan = new { name = "Team", planType = "plan", description = "for teams" },
            billingProduct = new { chargeType = "recurring", isTrialable = false, monthlyPrice = 3000, currency = "usd" },
            entitlements = new object[]
            {
                new { action = "create", req = new { planId = "ignored", featureId = s.Sso, valueType = "boolean", valueBool = true } },
                new { action = "create", req = new { planId = "ignored", featureId = s.ApiCalls, valueType = "numeric", valueNumeric = 300, metricPeriod = "current_month" } },
            },
        })).ShouldBe(HttpStatusCode.Created).Data;
        var planId = created.GetProperty("plan").GetProperty("id").GetString()!;
        var apiCalls = created.GetProperty("entitlements").EnumerateArray().Single(e => e.GetProperty("feature_id").GetString() == s.ApiCalls).GetProperty("id").GetString();
        var sso = created.GetProperty("entitlements").EnumerateArray().Single(e => e.GetProperty("feature_id").GetString() == s.Sso).GetProperty("id").GetString();
        await s.CompanyAsync("team-co", planId, seats: 1);

        Assert.Equal("Team", created.GetProperty("plan").GetProperty("name").GetString());
        Assert.Equal(planId, created.GetProperty("billing_product").GetProperty("plan_id").GetString());
        Assert.Equal(created.GetProperty("plan_version").GetProperty("id").GetString(), created.GetProperty("entitlements")[0].GetProperty("plan_version_id").GetString());
        Assert.True((await s.CheckAsync("sso", "team-co")).GetProperty("value").GetBoolean());
        Assert.Equal(300, (await s.CheckAsync("api-calls", "team-co")).GetProperty("feature_allocation").GetInt64());

        var updated = (await s.Api.PutAsync($"/plan-bundles/{planId}", new
        {
            plan = new { name = "Team plus" },
            entitlements = new object[]
            {
                new { action = "update", entitlementId = apiCalls, req = new { planId, featureId = s.ApiCalls, valueType = "numeric", valueNumeric = 50, metricPeriod = "current_month" } },
                new { action = "delete", entitlementId = sso },
            },
        })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal("Team plus", updated.GetProperty("plan").GetProperty("name").GetString());
        Assert.Single(updated.GetProperty("entitlements").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("billing_product").ValueKind);
        Assert.False((await s.CheckAsync("sso", "team-co")).GetProperty("value").GetBoolean());
        Assert.Equal(50, (await s.CheckAsync("api-calls", "team-co")).GetProperty("feature_allocation").GetInt64());
        Assert.Equal("Team plus", (await s.Api.GetAsync($"/plans/{planId}")).Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task BadBundlesAreRefusedNamingTheFieldAndACustomBundleBelongsToItsCompany()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 1);
        var globex = await s.CompanyAsync("globex", s.Pro, seats: 1);
        var price = new { chargeType = "recurring", isTrialable = false, monthlyPrice = 100 };

        (await s.Api.PostAsync("/plan-bundles", new { entitlements = Array.Empty<object>() })).ShouldFail(HttpStatusCode.BadRequest, "plan");
        (await s.Api.PostAsync("/plan-bundles", new { plan = new { name = "X", planType = "plan" }, entitlements = new[] { new { action = "move" } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "entitlements[0].action");
        (await s.Api.PostAsync("/plan-bundles", new { plan = new { name = "X", planType = "plan" }, entitlements = Array.Empty<object>(), creditGrants = new[] { new { action = "create" } } }))
            .ShouldFail(HttpStatusCode.UnprocessableEntity, "credit_grants");
        (await s.Api.PutAsync($"/plan-bundles/{s.Starter}", new { entitlements = new[] { new { action = "delete", entitlementId = s.ProSso } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "entitlements[0].entitlement_id");
        (await s.Api.PostAsync("/custom-plan-bundles", new { plan = new { companyId = acme, name = "Deal" }, entitlements = Array.Empty<object>() }))
            .ShouldFail(HttpStatusCode.BadRequest, "billing_product");
        Assert.True((await s.CheckAsync("sso", "acme")).GetProperty("value").GetBoolean());

        var custom = (await s.Api.PostAsync("/custom-plan-bundles", new
        {
            plan = new { companyId = acme, name = "Acme deal" }, billingProduct = price,
            entitlements = new[] { new { action = "create", req = new { planId = "ignored", featureId = s.ApiCalls, valueType = "unlimited" } } },
        })).ShouldBe(HttpStatusCode.Created).Data;
        var customId = custom.GetProperty("plan").GetProperty("id").GetString();

        Assert.Equal(acme, custom.GetProperty("plan").GetProperty("company_id").GetString());
        (await s.Api.PostAsync("/manage-plan", new { companyId = acme, basePlanId = customId })).ShouldBe(HttpStatusCode.OK);
        Assert.StartsWith("Matched plan entitlement rule \"Acme deal", (await s.CheckAsync("api-calls", "acme")).GetProperty("reason").GetString(), StringComparison.Ordinal);
        (await s.Api.PostAsync("/manage-plan", new { companyId = globex, basePlanId = customId })).ShouldFail(HttpStatusCode.BadRequest, "base_plan_id");
    }

    [Fact]
    public async Task BillingLinkedUpsertsUpdateTheResourceTheirExternalIdFirstMade()
    {
        var api = await server.NewEnvironmentAsync();
        var companyId = await Given.CompanyAsync(api, "linked-co");

        var plan1 = (await api.PostAsync("/plans/billing-linked", new { billingProvider = "orb", externalResourceId = "orb_p1", name = "Orb plan", planType = "plan" })).ShouldBe(HttpStatusCode.OK);
        var plan2 = (await api.PostAsync("/plans/billing-linked", new { billingProvider = "orb", externalResourceId = "orb_p1", name = "Orb plan renamed", planType = "plan" })).ShouldBe(HttpStatusCode.OK);
        var other = (await api.PostAsync("/plans/billing-linked", new { billingProvider = "metronome", externalResourceId = "orb_p1", name = "Metronome plan", planType = "plan" })).ShouldBe(HttpStatusCode.OK);
        var feature1 = (await api.PostAsync("/features/billing-linked", new { billingProvider = "orb", externalResourceId = "orb_f1", name = "Exports", description = "", featureType = "boolean" }))
            .ShouldBe(HttpStatusCode.OK);
        var feature2 = (await api.PostAsync("/features/billing-linked", new { billingProvider = "orb", externalResourceId = "orb_f1", name = "Exports v2", description = "", featureType = "boolean" }))
            .ShouldBe(HttpStatusCode.OK);
        var entitlement = new { billingProvider = "orb", externalResourceId = "orb_e1", planId = plan1.Id, featureId = feature1.Id, valueType = "boolean", valueBool = true };
        var e1 = (await api.PostAsync("/plan-entitlements/billing-linked", entitlement)).ShouldBe(HttpStatusCode.OK);
        (await api.PutAsync($"/company-plans/{companyId}", new { basePlanId = plan1.Id })).ShouldBe(HttpStatusCode.OK);
        Assert.True((await Check(api, "exports")).GetProperty("value").GetBoolean());
        var e2 = (await api.PostAsync("/plan-entitlements/billing-linked", entitlement with { valueBool = false })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(plan1.Id, plan2.Id);
        Assert.Equal("Orb plan renamed", plan2.Data.GetProperty("name").GetString());
        Assert.NotEqual(plan1.Id, other.Id);
        Assert.Equal(feature1.Id, feature2.Id);
        Assert.Equal("Exports v2", feature2.Data.GetProperty("name").GetString());
        Assert.Equal(e1.Id, e2.Id);
        Assert.False((await Check(api, "exports")).GetProperty("value").GetBoolean());
        (await api.PostAsync("/plans/billing-linked", new { billingProvider = "paddle", externalResourceId = "x", name = "P", planType = "plan" })).ShouldFail(HttpStatusCode.BadRequest, "billing_provider");
        (await api.PostAsync("/plans/billing-linked", new { billingProvider = "orb", name = "P", planType = "plan" })).ShouldFail(HttpStatusCode.BadRequest, "external_resource_id");
    }

    [Fact]
    public async Task PlanIssuesNameEntitlementsNoCheckCanSee()
    {
        var s = await PricingScenario.CreateAsync(server);
        Assert.Empty((await s.Api.GetAsync($"/plans/issues?plan_id={s.Pro}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());

        (await s.Api.DeleteAsync($"/flags/{await Given.FlagIdOfAsync(s.Api, s.Sso)}")).ShouldBe(HttpStatusCode.OK);
        var issue = Assert.Single((await s.Api.GetAsync($"/plans/issues?plan_id={s.Pro}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());

        Assert.Equal("feature_without_flag", issue.GetProperty("code").GetString());
        Assert.Equal(s.ProSso, issue.GetProperty("id").GetString());
        (await s.Api.GetAsync("/plans/issues")).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await s.Api.GetAsync($"/plans/issues?plan_id={s.Pro}&plan_version_id=plvr_missing")).ShouldFail(HttpStatusCode.BadRequest, "plan_version_id");
        (await s.Api.GetAsync("/plans/billing-product-match-companies")).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        Assert.Equal(0, (await s.Api.GetAsync($"/plans/billing-product-match-companies/count?plan_id={s.Pro}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
    }

    private static async Task<JsonElement> Check(ApiClient api, string flag) =>
        (await api.PostAsync($"/flags/{flag}/check", new { company = Given.Keys("linked-co") })).ShouldBe(HttpStatusCode.OK).Data;
}

public sealed class PlanBundleTestsOnSqlite(SqliteServer server) : PlanBundleTests(server), IClassFixture<SqliteServer>;

public sealed class PlanBundleTestsOnPostgres(PostgresServer server) : PlanBundleTests(server), IClassFixture<PostgresServer>;
