using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Plans, add-ons and plan entitlements.</summary>
public abstract class PlanTests(TollgateFactory server)
{
    [Fact]
    public async Task PlansAndAddOnsAreCreatedReadListedAndCounted()
    {
        var api = await server.NewEnvironmentAsync();

        var pro = (await api.PostAsync("/plans", new { name = "Pro", description = "For teams" })).ShouldBe(HttpStatusCode.Created);
        var addOn = (await api.PostAsync("/plans", new { name = "Extra storage", planType = "add_on" })).ShouldBe(HttpStatusCode.Created);
        var third = await Given.PlanAsync(api, "Enterprise");

        Assert.StartsWith("plan_", pro.Id, StringComparison.Ordinal);
        Assert.Equal("plan", pro.Data.GetProperty("plan_type").GetString());
        Assert.Equal("add_on", addOn.Data.GetProperty("plan_type").GetString());
        Assert.Equal(pro.Text, (await api.GetAsync($"/plans/{pro.Id}")).ShouldBe(HttpStatusCode.OK).Text);
        Assert.Equal(3, (await api.GetAsync("/plans/count")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        var page = (await api.GetAsync("/plans?limit=2&offset=1")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal([addOn.Id, third], page.Data.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task UpdatingAPlanChangesOnlyTheFieldsGiven()
    {
        var api = await server.NewEnvironmentAsync();
        var id = (await api.PostAsync("/plans", new { name = "Starter", description = "Small" })).ShouldBe(HttpStatusCode.Created).Id;

        (await api.PutAsync($"/plans/{id}", new { name = "Starter 2025" })).ShouldBe(HttpStatusCode.OK);
        (await api.PutAsync($"/plans/{id}", new { planType = "enterprise" })).ShouldFail(HttpStatusCode.BadRequest, "plan_type");
        (await api.PutAsync($"/plans/{id}", new { name = "" })).ShouldFail(HttpStatusCode.BadRequest, "name");
        var read = (await api.GetAsync($"/plans/{id}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("Starter 2025", read.Data.GetProperty("name").GetString());
        Assert.Equal("Small", read.Data.GetProperty("description").GetString());
        Assert.Equal("plan", read.Data.GetProperty("plan_type").GetString());
    }

    [Fact]
    public async Task DeletingAPlanDeletesItsEntitlements()
    {
        var api = await server.NewEnvironmentAsync();
        var featureId = await Given.BooleanFeatureAsync(api, "priority-support");
        var planId = await Given.PlanAsync(api, "Gold");
        var entitlementId = await Given.EntitlementAsync(api, new { planId, featureId, valueType = "boolean", valueBool = true });

        (await api.DeleteAsync($"/plans/{planId}")).ShouldBe(HttpStatusCode.OK);

        (await api.GetAsync($"/plans/{planId}")).ShouldFail(HttpStatusCode.NotFound, "plan not found");
        (await api.GetAsync($"/plan-entitlements/{entitlementId}")).ShouldFail(HttpStatusCode.NotFound, "plan entitlement not found");
        (await api.DeleteAsync($"/plans/{planId}")).ShouldFail(HttpStatusCode.NotFound, "plan not found");
        Assert.Equal(0, (await api.GetAsync("/plan-entitlements")).Data.GetArrayLength());
    }

    [Fact]
    public async Task UnknownPlansAndEntitlementsAreAnswered404()
    {
        var api = server.Api();

        (await api.GetAsync("/plans/plan_missing")).ShouldFail(HttpStatusCode.NotFound, "plan not found");
        (await api.PutAsync("/plans/plan_missing", new { name = "x" })).ShouldFail(HttpStatusCode.NotFound, "plan not found");
        (await api.DeleteAsync("/plans/plan_missing")).ShouldFail(HttpStatusCode.NotFound, "plan not found");
        (await api.GetAsync("/plan-entitlements/pent_missing")).ShouldFail(HttpStatusCode.NotFound, "plan entitlement not found");
        (await api.PutAsync("/plan-entitlements/pent_missing", new { valueType = "unlimited" })).ShouldFail(HttpStatusCode.NotFound, "plan entitlement not found");
        (await api.DeleteAsync("/plan-entitlements/pent_missing")).ShouldFail(HttpStatusCode.NotFound, "plan entitlement not found");
    }

    [Fact]
    public async Task EveryKindOfEntitlementIsStoredAsGiven()
    {
        var api = await server.NewEnvironmentAsync();
        var planId = await Given.PlanAsync(api, "Scale");
        var seatsTrait = await Given.TraitAsync(api, "seats");
        var limitTrait = await Given.TraitAsync(api, "seat_limit");
        var sso = await Given.BooleanFeatureAsync(api, "sso");
        var calls = await Given.EventFeatureAsync(api, "api-calls", "api_call");
        var seats = await Given.TraitFeatureAsync(api, "seats", seatsTrait);
        var exports = await Given.EventFeatureAsync(api, "exports", "export");
        var credits = await Given.EventFeatureAsync(api, "ai", "ai_generation");

        var boolean = await GetAsync(api, await Given.EntitlementAsync(api, new { planId, featureId = sso, valueType = "boolean", valueBool = true }));
        var numeric = await GetAsync(api, await Given.EntitlementAsync(api, new
        {
            planId, featureId = calls, valueType = "numeric", valueNumeric = 5000, metricPeriod = "current_month", metricPeriodMonthReset = "billing_cycle", softLimit = 4000,
            warningTiers = new[] { new { key = "80%", value = 4000 } },
        }));
        var trait = await GetAsync(api, await Given.EntitlementAsync(api, new { planId, featureId = seats, valueType = "trait", valueTraitId = limitTrait }));
        var unlimited = await GetAsync(api, await Given.EntitlementAsync(api, new { planId, featureId = exports, valueType = "unlimited" }));
        var credit = await GetAsync(api, await Given.EntitlementAsync(api, new { planId, featureId = credits, valueType = "credit", valueCreditId = "ai_credits", creditConsumptionRate = 2.5 }));

        Assert.StartsWith("pent_", boolean.Id, StringComparison.Ordinal);
        Assert.True(boolean.Data.GetProperty("value_bool").GetBoolean());
        Assert.Equal(planId, boolean.Data.GetProperty("plan_id").GetString());
        Assert.Equal("numeric", numeric.Data.GetProperty("value_type").GetString());
        Assert.Equal(5000, numeric.Data.GetProperty("value_numeric").GetInt64());
        Assert.Equal("current_month", numeric.Data.GetProperty("metric_period").GetString());
        Assert.Equal("billing_cycle", numeric.Data.GetProperty("metric_period_month_reset").GetString());
        Assert.Equal(4000, numeric.Data.GetProperty("soft_limit").GetInt64());
        Assert.Equal("80%", numeric.Data.GetProperty("warning_tiers")[0].GetProperty("key").GetString());
        Assert.Equal(limitTrait, trait.Data.GetProperty("value_trait_id").GetString());
        Assert.Equal("all_time", trait.Data.GetProperty("metric_period").GetString());
        Assert.Equal("unlimited", unlimited.Data.GetProperty("value_type").GetString());
        Assert.Equal("ai_credits", credit.Data.GetProperty("value_credit_id").GetString());
        Assert.Equal(2.5, credit.Data.GetProperty("credit_consumption_rate").GetDouble());
    }

    [Fact]
    public async Task EntitlementsAreListedByPlanAndInPages()
    {
        var api = await server.NewEnvironmentAsync();
        var basic = await Given.PlanAsync(api, "Basic");
        var premium = await Given.PlanAsync(api, "Premium");
        var a = await Given.BooleanFeatureAsync(api, "a");
        var b = await Given.BooleanFeatureAsync(api, "b");
        var basicA = await Given.EntitlementAsync(api, new { planId = basic, featureId = a, valueType = "boolean", valueBool = true });
        var premiumA = await Given.EntitlementAsync(api, new { planId = premium, featureId = a, valueType = "unlimited" });
        var premiumB = await Given.EntitlementAsync(api, new { planId = premium, featureId = b, valueType = "unlimited" });

        var ofPremium = (await api.GetAsync($"/plan-entitlements?plan_id={premium}")).ShouldBe(HttpStatusCode.OK);
        var secondPage = (await api.GetAsync("/plan-entitlements?limit=1&offset=1")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal([premiumA, premiumB], ofPremium.Data.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal([premiumA], secondPage.Data.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(3, (await api.GetAsync("/plan-entitlements")).Data.GetArrayLength());
        Assert.NotEqual(basicA, premiumA);
    }

    [Fact]
    public async Task AnEntitlementIsUpdatedInPlaceAndDeleted()
    {
        var api = await server.NewEnvironmentAsync();
        var planId = await Given.PlanAsync(api, "Growth");
        var featureId = await Given.EventFeatureAsync(api, "emails", "email_sent");
        var id = await Given.EntitlementAsync(api, new { planId, featureId, valueType = "numeric", valueNumeric = 100, metricPeriod = "current_day" });

        var updated = (await api.PutAsync($"/plan-entitlements/{id}", new { valueType = "numeric", valueNumeric = 250, metricPeriod = "current_week" })).ShouldBe(HttpStatusCode.OK);
        (await api.PutAsync($"/plan-entitlements/{id}", new { valueType = "numeric", valueNumeric = -1 })).ShouldFail(HttpStatusCode.BadRequest, "value_numeric");

        Assert.Equal(id, updated.Id);
        Assert.Equal(featureId, updated.Data.GetProperty("feature_id").GetString());
        Assert.Equal(250, (await api.GetAsync($"/plan-entitlements/{id}")).Data.GetProperty("value_numeric").GetInt64());
        Assert.Equal("current_week", (await api.GetAsync($"/plan-entitlements/{id}")).Data.GetProperty("metric_period").GetString());

        Assert.Equal("""{"data":{"deleted":true},"params":{}}""", (await api.DeleteAsync($"/plan-entitlements/{id}")).ShouldBe(HttpStatusCode.OK).Text);
        (await api.GetAsync($"/plan-entitlements/{id}")).ShouldBe(HttpStatusCode.NotFound);
        (await api.DeleteAsync($"/plan-entitlements/{id}")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task APlanGrantsAFeatureAtMostOnce()
    {
        var api = await server.NewEnvironmentAsync();
        var planId = await Given.PlanAsync(api, "Solo");
        var featureId = await Given.BooleanFeatureAsync(api, "webhooks");
        await Given.EntitlementAsync(api, new { planId, featureId, valueType = "boolean", valueBool = true });

        (await api.PostAsync("/plan-entitlements", new { planId, featureId, valueType = "unlimited" })).ShouldFail(HttpStatusCode.Conflict, "feature_id");
    }

    [Fact]
    public async Task EntitlementValuesMustSuitTheFeature()
    {
        var api = await server.NewEnvironmentAsync();
        var planId = await Given.PlanAsync(api, "Checks");
        var flag = await Given.BooleanFeatureAsync(api, "flag-only");
        var metered = await Given.EventFeatureAsync(api, "metered", "metered_event");

        (await api.PostAsync("/plan-entitlements", new { planId = "plan_missing", featureId = flag, valueType = "boolean", valueBool = true })).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await api.PostAsync("/plan-entitlements", new { planId, featureId = "feat_missing", valueType = "boolean", valueBool = true })).ShouldFail(HttpStatusCode.BadRequest, "feature_id");
        (await api.PostAsync("/plan-entitlements", new { planId, featureId = flag, valueType = "numeric", valueNumeric = 3 })).ShouldFail(HttpStatusCode.BadRequest, "value_type");
        (await api.PostAsync("/plan-entitlements", new { planId, featureId = flag, valueType = "trait", valueTraitId = "trait_x" })).ShouldFail(HttpStatusCode.BadRequest, "value_type");
        (await api.PostAsync("/plan-entitlements", new { planId, featureId = metered, valueType = "trait", valueTraitId = "trait_missing" })).ShouldFail(HttpStatusCode.BadRequest, "value_trait_id");
        (await api.PostAsync("/plan-entitlements", new { planId, featureId = metered, valueType = "numeric", valueNumeric = 5, metricPeriod = "current_day", metricPeriodMonthReset = "billing_cycle" }))
            .ShouldFail(HttpStatusCode.BadRequest, "metric_period_month_reset");
        (await api.PostAsync("/plan-entitlements", new { planId, featureId = metered, valueType = "credit", valueCreditId = "c", creditConsumptionRate = -1 }))
            .ShouldFail(HttpStatusCode.BadRequest, "credit_consumption_rate");
        (await api.PostAsync("/plan-entitlements", new { planId, featureId = metered, valueType = "numeric", valueNumeric = 5, warningTiers = new[] { new { key = " ", value = 1 } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "warning_tiers");
        (await api.PostAsync("/plan-entitlements", new { planId, featureId = metered, valueType = "numeric", valueNumeric = 5, warningTiers = new object?[] { null } }))
            .ShouldFail(HttpStatusCode.BadRequest, "warning_tiers");
        Assert.Equal(0, (await api.GetAsync("/plan-entitlements")).Data.GetArrayLength());
    }

    private static async Task<ApiResponse> GetAsync(ApiClient api, string entitlementId) =>
        (await api.GetAsync($"/plan-entitlements/{entitlementId}")).ShouldBe(HttpStatusCode.OK);
}

public sealed class PlanTestsOnSqlite(SqliteServer server) : PlanTests(server), IClassFixture<SqliteServer>;

public sealed class PlanTestsOnPostgres(PostgresServer server) : PlanTests(server), IClassFixture<PostgresServer>;
