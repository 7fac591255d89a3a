using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Manage-plan without a billing provider: an upgrade applies at once; a downgrade while a billing period runs is
/// scheduled for its end, shown as the company's <c>scheduled_downgrade</c>, and applies itself at that instant on the
/// server's clock (fake time here); every change is in the plan change log.
/// </summary>
public abstract class ManagePlanTests(TollgateFactory server)
{
    [Fact]
    public async Task AnUpgradeAppliesAtOnceAndIsLogged()
    {
        var s = await PricedAsync();
        var company = await CompanyWithPeriodAsync(s, "upgrader", s.Starter, TimeSpan.FromDays(10));

        var preview = (await s.Api.PostAsync("/manage-plan/preview", new { companyId = company, basePlanId = s.Pro })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("subscription_change_preview");
        var managed = (await s.Api.PostAsync("/manage-plan", new { companyId = company, basePlanId = s.Pro })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.False(preview.GetProperty("is_scheduled_downgrade").GetBoolean());
        Assert.Equal(5000, preview.GetProperty("new_charges").GetInt64());
        Assert.Equal(s.Pro, managed.GetProperty("company").GetProperty("plan").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, managed.GetProperty("company").GetProperty("scheduled_downgrade").ValueKind);
        Assert.True((await s.CheckAsync("sso", "upgrader")).GetProperty("value").GetBoolean());
        var change = Assert.Single((await s.Api.GetAsync($"/plan-changes?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        Assert.Equal("upgrade", change.GetProperty("subscription_change_action").GetString());
        Assert.Equal("manage_plan", change.GetProperty("action").GetString());
        Assert.Equal("api_key", change.GetProperty("actor_type").GetString());
        Assert.Equal(s.Starter, change.GetProperty("previous_base_plan").GetProperty("id").GetString());
        Assert.Equal(change.GetRawText(), (await s.Api.GetAsync($"/plan-changes/{change.GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK).Data.GetRawText());
    }

    [Fact]
    public async Task APlanChangeAskedForThroughACompanyWriteIsLoggedAsCompanyUpsertAndAWriteNamingNoPlanLogsNothing()
    {
        var s = await PricedAsync();
        var company = await Given.CompanyAsync(s.Api, "upserted", s.Starter);
        Assert.Empty((await s.Api.GetAsync($"/plan-changes?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());

        await Given.CompanyAsync(s.Api, "upserted", s.Pro);
        (await s.Api.PostAsync("/companies", new { keys = Given.Keys("upserted"), name = "renamed" })).ShouldBe(HttpStatusCode.OK);

        var change = Assert.Single((await s.Api.GetAsync($"/plan-changes?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        Assert.Equal(("company_upsert", "api_key", s.Starter, s.Pro, JsonValueKind.Null), (
            change.GetProperty("action").GetString(), change.GetProperty("actor_type").GetString(),
            change.GetProperty("previous_base_plan").GetProperty("id").GetString(), change.GetProperty("base_plan").GetProperty("id").GetString(),
            change.GetProperty("subscription_change_action").ValueKind));
        Assert.Equal(change.GetRawText(), (await s.Api.GetAsync($"/plan-changes/{change.GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK).Data.GetRawText());
    }

    [Fact]
    public async Task ADowngradeIsScheduledForThePeriodEndAndAppliesItselfThen()
    {
        var s = await PricedAsync();
        var periodEnd = server.Time.GetUtcNow().AddDays(10);
        var company = await CompanyWithPeriodAsync(s, "downgrader", s.Pro, TimeSpan.FromDays(10));

        var preview = (await s.Api.PostAsync("/manage-plan/preview", new { companyId = company, basePlanId = s.Starter })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("subscription_change_preview");
        var managed = (await s.Api.PostAsync("/manage-plan", new { companyId = company, basePlanId = s.Starter })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("company");

        Assert.True(preview.GetProperty("is_scheduled_downgrade").GetBoolean());
        Assert.Equal(periodEnd.ToUnixTimeSeconds(), preview.GetProperty("scheduled_change_time").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(s.Pro, managed.GetProperty("plan").GetProperty("id").GetString());
        var scheduled = managed.GetProperty("scheduled_downgrade");
        Assert.Equal(s.Pro, scheduled.GetProperty("from_plan_id").GetString());
        Assert.Equal(s.Starter, scheduled.GetProperty("to_plan_id").GetString());
        Assert.Equal("Starter", scheduled.GetProperty("to_plan_name").GetString());
        Assert.Equal(5000, scheduled.GetProperty("from_subscription_price").GetInt64());
        Assert.Equal(1000, scheduled.GetProperty("scheduled_price").GetInt64());
        Assert.Equal(periodEnd.ToUnixTimeSeconds(), scheduled.GetProperty("effective_after").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.True((await s.CheckAsync("sso", "downgrader")).GetProperty("value").GetBoolean());
        Assert.Empty((await s.Api.GetAsync($"/plan-changes?company_id={company}")).Data.EnumerateArray());

        server.Time.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(2));
        var after = await EventuallyAsync(s.Api, company, c => c.GetProperty("plan").GetProperty("id").GetString() == s.Starter);

        Assert.Equal(JsonValueKind.Null, after.GetProperty("scheduled_downgrade").ValueKind);
        Assert.False((await s.CheckAsync("sso", "downgrader")).GetProperty("value").GetBoolean());
        Assert.Equal(100, (await s.CheckAsync("api-calls", "downgrader")).GetProperty("feature_allocation").GetInt64());
        var change = Assert.Single((await s.Api.GetAsync($"/plan-changes?company_id={company}")).Data.EnumerateArray());
        Assert.Equal("downgrade", change.GetProperty("subscription_change_action").GetString());
        Assert.Equal("system", change.GetProperty("actor_type").GetString());
    }

    [Fact]
    public async Task ADowngradeWithoutARunningPeriodAppliesAtOnceAndAnUpgradeReplacesAScheduledOne()
    {
        var s = await PricedAsync();
        var now = await Given.CompanyAsync(s.Api, "no-period", s.Pro);
        var later = await CompanyWithPeriodAsync(s, "changes-mind", s.Pro, TimeSpan.FromDays(5));

        var immediate = (await s.Api.PostAsync("/manage-plan", new { companyId = now, basePlanId = s.Starter })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("company");
        (await s.Api.PostAsync("/manage-plan", new { companyId = later, basePlanId = s.Starter })).ShouldBe(HttpStatusCode.OK);
        var replaced = (await s.Api.PostAsync("/manage-plan", new { companyId = later, basePlanId = s.Enterprise })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("company");

        Assert.Equal(s.Starter, immediate.GetProperty("plan").GetProperty("id").GetString());
        Assert.Equal(s.Enterprise, replaced.GetProperty("plan").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, replaced.GetProperty("scheduled_downgrade").ValueKind);
        server.Time.Advance(TimeSpan.FromDays(6));
        await Task.Delay(500);
        var settled = await EventuallyAsync(s.Api, later, c => c.GetProperty("plan").GetProperty("id").GetString() == s.Enterprise);
        Assert.Equal(JsonValueKind.Null, settled.GetProperty("scheduled_downgrade").ValueKind);
    }

    [Fact]
    public async Task AScheduledDowngradeToAPlanDeletedMeanwhileIsDroppedAndTheCompanyKeepsItsPlan()
    {
        var s = await PricedAsync();
        var doomed = await Given.PlanAsync(s.Api, "Doomed");
        var company = await CompanyWithPeriodAsync(s, "keeps-pro", s.Pro, TimeSpan.FromDays(2));
        var scheduled = (await s.Api.PostAsync("/manage-plan", new { companyId = company, basePlanId = doomed })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("company");
        Assert.Equal(doomed, scheduled.GetProperty("scheduled_downgrade").GetProperty("to_plan_id").GetString());

        (await s.Api.DeleteAsync($"/plans/{doomed}")).ShouldBe(HttpStatusCode.OK);
        server.Time.Advance(TimeSpan.FromDays(3));
        var after = await EventuallyAsync(s.Api, company, c => c.GetProperty("scheduled_downgrade").ValueKind == JsonValueKind.Null);

        Assert.Equal(s.Pro, after.GetProperty("plan").GetProperty("id").GetString());
        Assert.True((await s.CheckAsync("sso", "keeps-pro")).GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task CancellingEndsThePlansAtOnceOrAtThePeriodEnd()
    {
        var s = await PricedAsync();
        var addOn = await Given.PlanAsync(s.Api, "Extra", "add_on");
        var now = await Given.CompanyAsync(s.Api, "cancel-now", s.Pro);
        var later = await CompanyWithPeriodAsync(s, "cancel-later", s.Pro, TimeSpan.FromDays(3));
        (await s.Api.PostAsync("/manage-plan", new { companyId = now, addOnSelections = new[] { new { planId = addOn } } })).ShouldBe(HttpStatusCode.OK);

        var cancelled = (await s.Api.PostAsync("/manage-plan/subscription/cancel", new { companyId = now, cancelImmediately = true })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("company");
        var pending = (await s.Api.PostAsync("/manage-plan/subscription/cancel", new { companyId = later })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("company");

        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("plan").ValueKind);
        Assert.Empty(cancelled.GetProperty("add_ons").EnumerateArray());
        Assert.Equal(s.Pro, pending.GetProperty("plan").GetProperty("id").GetString());
        Assert.Equal(
            ["adjustment", "unsubscribe"],
            (await s.Api.GetAsync($"/plan-changes?company_id={now}")).Data.EnumerateArray().Select(c => c.GetProperty("subscription_change_action").GetString()));
        server.Time.Advance(TimeSpan.FromDays(4));
        await EventuallyAsync(s.Api, later, c => c.GetProperty("plan").ValueKind == JsonValueKind.Null);
        Assert.False((await s.CheckAsync("sso", "cancel-later")).GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task BadManagePlanRequestsAreRefusedNamingTheField()
    {
        var s = await PricedAsync();
        var company = await Given.CompanyAsync(s.Api, "bad", s.Pro);
        var addOn = await Given.PlanAsync(s.Api, "Extra", "add_on");

        (await s.Api.PostAsync("/manage-plan", new { basePlanId = s.Pro })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await s.Api.PostAsync("/manage-plan", new { companyId = "comp_missing", basePlanId = s.Pro })).ShouldBe(HttpStatusCode.NotFound);
        (await s.Api.PostAsync("/manage-plan", new { companyId = company, basePlanId = addOn })).ShouldFail(HttpStatusCode.BadRequest, "base_plan_id");
        (await s.Api.PostAsync("/manage-plan", new { companyId = company, addOnSelections = new[] { new { planId = s.Pro } } })).ShouldFail(HttpStatusCode.BadRequest, "add_on_selections[0].plan_id");
        (await s.Api.PostAsync("/manage-plan", new { companyId = company, basePlanId = s.Pro, basePlanVersionId = "plvr_missing" })).ShouldFail(HttpStatusCode.BadRequest, "base_plan_version_id");
        (await s.Api.PutAsync($"/plans/{s.Pro}/billing_products", new { chargeType = "sometimes", isTrialable = false })).ShouldFail(HttpStatusCode.BadRequest, "charge_type");
        (await s.Api.PutAsync($"/plans/{s.Pro}/billing_products", new { chargeType = "recurring", isTrialable = false, monthlyPrice = -1 })).ShouldFail(HttpStatusCode.BadRequest, "monthly_price");
        (await s.Api.PutAsync("/plans/plan_missing/billing_products", new { chargeType = "recurring", isTrialable = false })).ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>The pricing scenario with prices: Starter 10.00, Pro 50.00, Enterprise 200.00 a month.</summary>
    private static async Task<PricingScenario> PricedAsync(TollgateFactory server)
    {
        var s = await PricingScenario.CreateAsync(server);
        foreach (var (plan, price) in new[] { (s.Starter, 1000), (s.Pro, 5000), (s.Enterprise, 20000) })
        {
            var billing = (await s.Api.PutAsync($"/plans/{plan}/billing_products", new { chargeType = "recurring", isTrialable = false, monthlyPrice = price, currency = "usd" }))
                .ShouldBe(HttpStatusCode.OK).Data;
            Assert.Equal(plan, billing.GetProperty("plan_id").GetString());
        }

        return s;
    }

    private Task<PricingScenario> PricedAsync() => PricedAsync(server);

    private async Task<string> CompanyWithPeriodAsync(PricingScenario s, string key, string planId, TimeSpan left)
    {
        var now = server.Time.GetUtcNow();
        return (await s.Api.PostAsync("/companies", new
        {
            keys = Given.Keys(key), name = key, basePlanId = planId, traits = new Dictionary<string, object> { ["seats"] = 1 },
            subscription = new { id = "sub_" + key, periodStart = now.AddDays(-20), periodEnd = now + left },
        })).ShouldBe(HttpStatusCode.OK).Id;
    }

    /// <summary>The company once <paramref name="done"/> holds (the background loop runs on its own); fails after 20 s.</summary>
    private static async Task<JsonElement> EventuallyAsync(ApiClient api, string companyId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var company = (await api.GetAsync($"/companies/{companyId}")).ShouldBe(HttpStatusCode.OK).Data;
            if (done(company))
            {
                return company;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the company did not reach the expected state: {company.GetRawText()}");
            await Task.Delay(100);
        }
    }
}

public sealed class ManagePlanTestsOnSqlite(SqliteServer server) : ManagePlanTests(server), IClassFixture<SqliteServer>;

public sealed class ManagePlanTestsOnPostgres(PostgresServer server) : ManagePlanTests(server), IClassFixture<PostgresServer>;
