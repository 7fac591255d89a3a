using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Custom plans for sales-led deals: a company's own plan, copied from a catalog plan and edited, whose entitlements
/// decide checks for that company only; billed by invoice and given on payment; and entitlement duplication.
/// </summary>
public abstract class CustomPlanTests(TollgateFactory server)
{
    [Fact]
    public async Task ACustomPlansEntitlementsDecideChecksForItsCompanyOnly()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 2);
        var globex = await s.CompanyAsync("globex", s.Pro, seats: 2);

        var created = (await s.Api.PostAsync("/custom-plans", new { companyId = acme, copiedFromPlanId = s.Pro, name = "Acme deal", description = "signed 2025" }))
            .ShouldBe(HttpStatusCode.Created);
        var custom = created.Id;
        var entitlements = await EntitlementsAsync(s.Api, custom);
        var apiCalls = entitlements.Single(e => e.GetProperty("feature_id").GetString() == s.ApiCalls).GetProperty("id").GetString();
        (await s.Api.PutAsync($"/plan-entitlements/{apiCalls}", new { valueType = "numeric", valueNumeric = 5000, metricPeriod = "current_month" })).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PutAsync($"/company-plans/{acme}", new { basePlanId = custom })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(acme, created.Data.GetProperty("company_id").GetString());
        Assert.Equal(s.Pro, created.Data.GetProperty("copied_from_plan_id").GetString());
        Assert.Equal("plan", created.Data.GetProperty("plan_type").GetString());
        Assert.Equal(
            (await EntitlementsAsync(s.Api, s.Pro)).Select(e => e.GetProperty("feature_id").GetString()).Order(StringComparer.Ordinal),
            entitlements.Select(e => e.GetProperty("feature_id").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(5000, (await s.CheckAsync("api-calls", "acme")).GetProperty("feature_allocation").GetInt64());
        Assert.Equal(1000, (await s.CheckAsync("api-calls", "globex")).GetProperty("feature_allocation").GetInt64());
        Assert.Equal(1000, (await s.Api.GetAsync($"/plan-entitlements/{s.ProApiCalls}")).Data.GetProperty("value_numeric").GetInt64());
        (await s.Api.PutAsync($"/company-plans/{globex}", new { basePlanId = custom })).ShouldFail(HttpStatusCode.BadRequest, "base_plan_id");
        (await s.Api.PostAsync("/companies", new { keys = Given.Keys("globex"), basePlanId = custom })).ShouldFail(HttpStatusCode.BadRequest, "base_plan_id");
        (await s.Api.PostAsync("/manage-plan", new { companyId = globex, basePlanId = custom })).ShouldFail(HttpStatusCode.BadRequest, "base_plan_id");
        Assert.Equal(1000, (await s.CheckAsync("api-calls", "globex")).GetProperty("feature_allocation").GetInt64());
    }

    [Fact]
    public async Task AnInvoicedCustomPlanIsGivenWhenItsBillingIsMarkedPaid()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Starter, seats: 2);
        var custom = (await s.Api.PostAsync("/custom-plans", new { companyId = acme, copiedFromPlanId = s.Enterprise, name = "Acme enterprise" })).ShouldBe(HttpStatusCode.Created).Id;

        var managed = (await s.Api.PostAsync("/manage-plan", new { companyId = acme, basePlanId = custom, sendInvoice = true, activateOnPayment = true, daysUntilDue = 45 }))
            .ShouldBe(HttpStatusCode.OK);
        var billing = Assert.Single((await s.Api.GetAsync($"/custom-plan-billings?company_id={acme}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        var billingId = billing.GetProperty("id").GetString();

        Assert.True(managed.Data.GetProperty("success").GetBoolean());
        Assert.Equal(s.Starter, managed.Data.GetProperty("company").GetProperty("plan").GetProperty("id").GetString());
        Assert.Equal("pending", billing.GetProperty("status").GetString());
        Assert.Equal("custom_plan", billing.GetProperty("plan_billing_source").GetString());
        Assert.Equal("on_payment", billing.GetProperty("activation_strategy").GetString());
        Assert.Equal(45, billing.GetProperty("days_until_due").GetInt64());
        Assert.False((await s.CheckAsync("sso", "acme")).GetProperty("value").GetBoolean());
        Assert.Empty((await s.Api.GetAsync($"/custom-plan-billings?company_id={acme}&status=paid")).Data.EnumerateArray());

        var retried = (await s.Api.PutAsync($"/custom-plan-billings/{billingId}/retry", new { customerEmail = "ap@acme.test", daysUntilDue = 10 })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(10, retried.Data.GetProperty("days_until_due").GetInt64());
        (await s.Api.PutAsync($"/custom-plan-billings/{billingId}/retry", new { daysUntilDue = 10 })).ShouldFail(HttpStatusCode.BadRequest, "customer_email");

        var paid = (await s.Api.PutAsync($"/custom-plan-billings/{billingId}/mark-paid", new { })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("paid", paid.Data.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, paid.Data.GetProperty("paid_at").ValueKind);
        Assert.True((await s.CheckAsync("sso", "acme")).GetProperty("value").GetBoolean());
        Assert.Equal(custom, (await s.Api.GetAsync($"/companies/{acme}")).Data.GetProperty("plan").GetProperty("id").GetString());
        (await s.Api.PutAsync($"/custom-plan-billings/{billingId}/mark-paid", new { })).ShouldFail(HttpStatusCode.Conflict, "paid");
        (await s.Api.PutAsync($"/custom-plan-billings/{billingId}/retry", new { customerEmail = "ap@acme.test" })).ShouldFail(HttpStatusCode.Conflict, "paid");
        (await s.Api.PutAsync("/custom-plan-billings/cpb_missing/mark-paid", new { })).ShouldBe(HttpStatusCode.NotFound);
        var change = (await s.Api.GetAsync($"/plan-changes?company_id={acme}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Last();
        Assert.Equal(custom, change.GetProperty("base_plan").GetProperty("id").GetString());
        Assert.Equal(s.Starter, change.GetProperty("previous_base_plan").GetProperty("id").GetString());
    }

    [Fact]
    public async Task DuplicatingEntitlementsCopiesWhatTheTargetLacksAndSkipsTheRest()
    {
        var s = await PricingScenario.CreateAsync(server);
        var target = await Given.PlanAsync(s.Api, "Pro copy");
        await Given.EntitlementAsync(s.Api, new { planId = target, featureId = s.Seats, valueType = "numeric", valueNumeric = 50 });
        await s.CompanyAsync("copycat", target, seats: 2);

        var first = (await s.Api.PostAsync("/plan-entitlements/duplicate", new { sourcePlanId = s.Pro, targetPlanId = target })).ShouldBe(HttpStatusCode.OK).Data;
        var second = (await s.Api.PostAsync("/plan-entitlements/duplicate", new { sourcePlanId = s.Pro, targetPlanId = target })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(3, first.GetProperty("data").GetArrayLength());
        Assert.Equal(s.Seats, Assert.Single(first.GetProperty("skipped").EnumerateArray()).GetProperty("feature_id").GetString());
        Assert.Empty(second.GetProperty("data").EnumerateArray());
        Assert.Equal(4, second.GetProperty("skipped").GetArrayLength());
        Assert.True((await s.CheckAsync("sso", "copycat")).GetProperty("value").GetBoolean());
        Assert.Equal(1000, (await s.CheckAsync("api-calls", "copycat")).GetProperty("feature_allocation").GetInt64());
        Assert.Equal(50, (await s.CheckAsync("seats", "copycat")).GetProperty("feature_allocation").GetInt64());
        Assert.Equal(4, (await EntitlementsAsync(s.Api, s.Pro)).Count);
        (await s.Api.PostAsync("/plan-entitlements/duplicate", new { sourcePlanId = s.Pro, targetPlanId = s.Pro })).ShouldFail(HttpStatusCode.BadRequest, "target_plan_id");
        (await s.Api.PostAsync("/plan-entitlements/duplicate", new { sourcePlanId = "plan_missing", targetPlanId = target })).ShouldFail(HttpStatusCode.BadRequest, "source_plan_id");
    }

    [Fact]
    public async Task ACustomPlanNeedsAnExistingCompanyAndABasePlanToCopy()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 1);
        var addOn = await Given.PlanAsync(s.Api, "Extra", "add_on");

        (await s.Api.PostAsync("/custom-plans", new { companyId = "comp_missing", name = "Deal" })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await s.Api.PostAsync("/custom-plans", new { companyId = acme })).ShouldFail(HttpStatusCode.BadRequest, "name");
        (await s.Api.PostAsync("/custom-plans", new { companyId = acme, name = "Deal", copiedFromPlanId = addOn })).ShouldFail(HttpStatusCode.BadRequest, "copied_from_plan_id");
        var empty = (await s.Api.PostAsync("/custom-plans", new { companyId = acme, name = "Blank deal" })).ShouldBe(HttpStatusCode.Created).Id;
        Assert.Empty(await EntitlementsAsync(s.Api, empty));
    }

    private static async Task<List<JsonElement>> EntitlementsAsync(ApiClient api, string planId) =>
        [.. (await api.GetAsync($"/plan-entitlements?plan_id={planId}&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()];
}

public sealed class CustomPlanTestsOnSqlite(SqliteServer server) : CustomPlanTests(server), IClassFixture<SqliteServer>;

public sealed class CustomPlanTestsOnPostgres(PostgresServer server) : CustomPlanTests(server), IClassFixture<PostgresServer>;
