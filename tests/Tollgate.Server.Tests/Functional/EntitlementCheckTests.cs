using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Checks answer from plans, entitlements and overrides built through the API, and follow every change to them at once.</summary>
public abstract class EntitlementCheckTests(TollgateFactory server)
{
    [Fact]
    public async Task ABooleanEntitlementOfTheCompanysPlanGrantsTheFlag()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("acme", s.Pro, seats: 4);

        var check = await s.CheckAsync("sso", "acme");

        Assert.Equal("sso", check.GetProperty("flag").GetString());
        Assert.True(check.GetProperty("value").GetBoolean());
        Assert.Equal($"Matched plan entitlement rule \"Pro\" ({s.ProSso})", check.GetProperty("reason").GetString());
        Assert.Equal("plan_entitlement", check.GetProperty("rule_type").GetString());
        Assert.Equal(s.ProSso, check.GetProperty("rule_id").GetString());
        Assert.Equal(company, check.GetProperty("company_id").GetString());
        Assert.Equal(await Given.FlagIdOfAsync(s.Api, s.Sso), check.GetProperty("flag_id").GetString());
        Assert.Equal(JsonValueKind.Null, check.GetProperty("error").ValueKind);
        var entitlement = check.GetProperty("entitlement");
        Assert.Equal(s.Sso, entitlement.GetProperty("feature_id").GetString());
        Assert.Equal("sso", entitlement.GetProperty("feature_key").GetString());
        Assert.Equal("boolean", entitlement.GetProperty("value_type").GetString());
    }

    [Fact]
    public async Task AMonthlyEventLimitReportsAllocationUsageAndTheNextReset()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 4);

        var check = await s.CheckAsync("api-calls", "acme");

        Assert.True(check.GetProperty("value").GetBoolean());
        Assert.Equal("plan_entitlement", check.GetProperty("rule_type").GetString());
        Assert.Equal(1000, check.GetProperty("feature_allocation").GetInt64());
        Assert.Equal(0, check.GetProperty("feature_usage").GetInt64());
        Assert.Equal("api_call", check.GetProperty("feature_usage_event").GetString());
        Assert.Equal("current_month", check.GetProperty("feature_usage_period").GetString());
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero), check.GetProperty("feature_usage_reset_at").GetDateTimeOffset());
        var entitlement = check.GetProperty("entitlement");
        Assert.Equal("numeric", entitlement.GetProperty("value_type").GetString());
        Assert.Equal(1000, entitlement.GetProperty("allocation").GetInt64());
        Assert.Equal(0, entitlement.GetProperty("usage").GetInt64());
        Assert.Equal("current_month", entitlement.GetProperty("metric_period").GetString());
        Assert.Equal("first_of_month", entitlement.GetProperty("month_reset").GetString());
        Assert.Equal("api_call", entitlement.GetProperty("event_name").GetString());
        Assert.Equal(800, entitlement.GetProperty("soft_limit").GetInt64());
    }

    [Fact]
    public async Task ATraitBasedSeatLimitComparesTheCompanysTraitWithTheLimit()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("within", s.Pro, seats: 9);
        await s.CompanyAsync("at-limit", s.Pro, seats: 10);

        var within = await s.CheckAsync("seats", "within");
        var atLimit = await s.CheckAsync("seats", "at-limit");

        Assert.True(within.GetProperty("value").GetBoolean());
        Assert.Equal(10, within.GetProperty("feature_allocation").GetInt64());
        Assert.Equal(9, within.GetProperty("feature_usage").GetInt64());
        Assert.Equal("plan_entitlement", within.GetProperty("rule_type").GetString());
        Assert.False(atLimit.GetProperty("value").GetBoolean());
        Assert.Equal("plan_entitlement_usage_exceeded", atLimit.GetProperty("rule_type").GetString());
        Assert.Equal(10, atLimit.GetProperty("feature_usage").GetInt64());
    }

    [Fact]
    public async Task ChangingATraitChangesTheNextCheck()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("growing", s.Pro, seats: 2);
        Assert.True((await s.CheckAsync("seats", "growing")).GetProperty("value").GetBoolean());

        (await s.Api.PostAsync("/company-traits", new { keys = Given.Keys("growing"), trait = "seats", incr = 8 })).ShouldBe(HttpStatusCode.OK);

        var check = await s.CheckAsync("seats", "growing");
        Assert.False(check.GetProperty("value").GetBoolean());
        Assert.Equal(10, check.GetProperty("feature_usage").GetInt64());
    }

    [Fact]
    public async Task PreflightUsageIsAddedToTheCurrentUsage()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("planning", s.Pro, seats: 4);

        var fits = await s.CheckAsync("seats", "planning", new { usage = 5 });
        var overflows = await s.CheckAsync("seats", "planning", new { usage = 6 });

        Assert.True(fits.GetProperty("value").GetBoolean());
        Assert.False(overflows.GetProperty("value").GetBoolean());
        Assert.True((await s.CheckAsync("seats", "planning")).GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task AnUnlimitedEntitlementAlwaysGrants()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("initech", s.Enterprise, seats: 400, seatLimit: 500);

        var calls = await s.CheckAsync("api-calls", "initech", new { eventUsage = new { eventSubtype = "api_call", quantity = 1_000_000_000 } });

        Assert.True(calls.GetProperty("value").GetBoolean());
        Assert.Equal("plan_entitlement", calls.GetProperty("rule_type").GetString());
        Assert.Equal("unlimited", calls.GetProperty("entitlement").GetProperty("value_type").GetString());
        Assert.Equal(JsonValueKind.Null, calls.GetProperty("feature_allocation").ValueKind);
    }

    [Fact]
    public async Task ALimitTakenFromATraitFollowsThatTrait()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("big", s.Enterprise, seats: 400, seatLimit: 500);
        await s.CompanyAsync("full", s.Enterprise, seats: 500, seatLimit: 500);

        var big = await s.CheckAsync("seats", "big");
        var full = await s.CheckAsync("seats", "full");

        Assert.True(big.GetProperty("value").GetBoolean());
        Assert.Equal("trait", big.GetProperty("entitlement").GetProperty("value_type").GetString());
        Assert.False(full.GetProperty("value").GetBoolean());
        Assert.Equal("plan_entitlement_usage_exceeded", full.GetProperty("rule_type").GetString());
    }

    [Fact]
    public async Task ACreditEntitlementCarriesItsCreditAndRate()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 1);

        var check = await s.CheckAsync("ai-credits", "acme");

        var entitlement = check.GetProperty("entitlement");
        Assert.Equal("credit", entitlement.GetProperty("value_type").GetString());
        Assert.Equal("ai_credits", entitlement.GetProperty("credit_id").GetString());
        Assert.Equal(2, entitlement.GetProperty("consumption_rate").GetDouble());
        Assert.Equal(s.AiCredits, entitlement.GetProperty("feature_id").GetString());
    }

    [Fact]
    public async Task MovingACompanyToAnotherPlanChangesTheAnswerAtOnce()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("mover", s.Pro, seats: 4);
        Assert.True((await s.CheckAsync("sso", "mover")).GetProperty("value").GetBoolean());
        Assert.True((await s.CheckAsync("seats", "mover")).GetProperty("value").GetBoolean());

        (await s.Api.PutAsync($"/company-plans/{company}", new { basePlanId = s.Starter })).ShouldBe(HttpStatusCode.OK);

        var sso = await s.CheckAsync("sso", "mover");
        var seats = await s.CheckAsync("seats", "mover");
        var calls = await s.CheckAsync("api-calls", "mover");
        Assert.False(sso.GetProperty("value").GetBoolean());
        Assert.Equal("No rules matched; default value for flag", sso.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, sso.GetProperty("entitlement").ValueKind);
        Assert.False(seats.GetProperty("value").GetBoolean());
        Assert.Equal(3, seats.GetProperty("feature_allocation").GetInt64());
        Assert.Equal(100, calls.GetProperty("feature_allocation").GetInt64());
    }

    [Fact]
    public async Task AnAddOnGrantsItsFeaturesOnTopOfTheBasePlan()
    {
        var s = await PricingScenario.CreateAsync(server);
        var boost = await Given.PlanAsync(s.Api, "Seat boost", "add_on");
        await Given.EntitlementAsync(s.Api, new { planId = boost, featureId = s.Seats, valueType = "numeric", valueNumeric = 50 });
        await Given.EntitlementAsync(s.Api, new { planId = boost, featureId = s.Sso, valueType = "boolean", valueBool = true });
        var company = await s.CompanyAsync("boosted", s.Starter, seats: 20);
        Assert.False((await s.CheckAsync("seats", "boosted")).GetProperty("value").GetBoolean());

        (await s.Api.PutAsync($"/company-plans/{company}", new { basePlanId = s.Starter, addOnIds = new[] { boost } })).ShouldBe(HttpStatusCode.OK);

        var seats = await s.CheckAsync("seats", "boosted");
        Assert.True(seats.GetProperty("value").GetBoolean());
        Assert.Equal(50, seats.GetProperty("feature_allocation").GetInt64());
        Assert.True((await s.CheckAsync("sso", "boosted")).GetProperty("value").GetBoolean());
        Assert.Equal(100, (await s.CheckAsync("api-calls", "boosted")).GetProperty("feature_allocation").GetInt64());
    }

    [Fact]
    public async Task ChangingAnEntitlementChangesTheAnswerAtOnce()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 4);
        Assert.True((await s.CheckAsync("seats", "acme")).GetProperty("value").GetBoolean());

        (await s.Api.PutAsync($"/plan-entitlements/{s.ProSeats}", new { valueType = "numeric", valueNumeric = 4 })).ShouldBe(HttpStatusCode.OK);
        var lowered = await s.CheckAsync("seats", "acme");
        (await s.Api.DeleteAsync($"/plan-entitlements/{s.ProSso}")).ShouldBe(HttpStatusCode.OK);
        var removed = await s.CheckAsync("sso", "acme");

        Assert.False(lowered.GetProperty("value").GetBoolean());
        Assert.Equal(4, lowered.GetProperty("feature_allocation").GetInt64());
        Assert.False(removed.GetProperty("value").GetBoolean());
        Assert.Null(removed.GetProperty("rule_type").GetString());
    }

    [Fact]
    public async Task ABooleanOverrideTakesAwayWhatThePlanGrants()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("restricted", s.Pro, seats: 4);

        var overrideId = await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = false, note = "Security review" });
        var check = await s.CheckAsync("sso", "restricted");

        Assert.False(check.GetProperty("value").GetBoolean());
        Assert.Equal("company_override", check.GetProperty("rule_type").GetString());
        Assert.Equal($"Matched company override rule \"Security review\" ({overrideId})", check.GetProperty("reason").GetString());

        (await s.Api.DeleteAsync($"/company-overrides/{overrideId}")).ShouldBe(HttpStatusCode.OK);
        Assert.True((await s.CheckAsync("sso", "restricted")).GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task ANumericOverrideReplacesThePlansLimit()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("negotiated", s.Pro, seats: 12);
        Assert.False((await s.CheckAsync("seats", "negotiated")).GetProperty("value").GetBoolean());

        var overrideId = await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Seats, valueType = "numeric", valueNumeric = 50 });
        var raised = await s.CheckAsync("seats", "negotiated");
        (await s.Api.PutAsync($"/company-overrides/{overrideId}", new { valueType = "numeric", valueNumeric = 12 })).ShouldBe(HttpStatusCode.OK);
        var lowered = await s.CheckAsync("seats", "negotiated");

        Assert.True(raised.GetProperty("value").GetBoolean());
        Assert.Equal("company_override", raised.GetProperty("rule_type").GetString());
        Assert.Equal(50, raised.GetProperty("feature_allocation").GetInt64());
        Assert.Equal(50, raised.GetProperty("entitlement").GetProperty("allocation").GetInt64());
        Assert.False(lowered.GetProperty("value").GetBoolean());
        Assert.Equal("company_override_usage_exceeded", lowered.GetProperty("rule_type").GetString());
        Assert.Equal(12, lowered.GetProperty("feature_allocation").GetInt64());
    }

    [Fact]
    public async Task AnOverrideGrantsAFeatureTheCompanysPlanLacks()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("trial", s.Starter, seats: 1);

        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = true });

        Assert.True((await s.CheckAsync("sso", "trial")).GetProperty("value").GetBoolean());
    }
}

public sealed class EntitlementCheckTestsOnSqlite(SqliteServer server) : EntitlementCheckTests(server), IClassFixture<SqliteServer>;

public sealed class EntitlementCheckTestsOnPostgres(PostgresServer server) : EntitlementCheckTests(server), IClassFixture<PostgresServer>;
