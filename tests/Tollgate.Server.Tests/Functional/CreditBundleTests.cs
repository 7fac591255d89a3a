using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Credit bundles and their grant, spend policies, auto top-up, rollover and the v1 ledger.</summary>
public abstract class CreditBundleTests(TollgateFactory server)
{
    [Fact]
    public async Task ABundleIsCreatedReadListedCountedUpdatedAndDeleted()
    {
        var s = await CreditScenario.CreateAsync(server);
        var created = (await s.Api.PostAsync("/billing/credits/bundles", new
        {
            bundleName = "Starter pack", creditId = s.CreditId, currency = "USD", pricePerUnit = 2, quantity = 500, expiryType = "duration", expiryUnit = "days",
            expiryUnitCount = 30, compatiblePlanIds = new[] { s.PlanId },
        })).ShouldBe(HttpStatusCode.Created).Data;
        var id = created.GetProperty("id").GetString()!;
        (await s.Api.PostAsync("/billing/credits/bundles", new { bundleName = "Single credits", creditId = s.CreditId, currency = "usd", pricePerUnit = 3, status = "inactive" }))
            .ShouldBe(HttpStatusCode.Created);

        var updated = (await s.Api.PutAsync($"/billing/credits/bundles/{id}", new { bundleName = "Starter", pricePerUnit = 1.5, quantity = 400 })).ShouldBe(HttpStatusCode.OK).Data;
        var active = (await s.Api.GetAsync("/billing/credits/bundles?status=active")).ShouldBe(HttpStatusCode.OK);
        var count = (await s.Api.GetAsync($"/billing/credits/bundles/count?credit_id={s.CreditId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64();
        var read = (await s.Api.GetAsync($"/billing/credits/bundles/{id}")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.StartsWith("bcb_", id, StringComparison.Ordinal);
        Assert.Equal("fixed", created.GetProperty("bundle_type").GetString());
        Assert.Equal("AI tokens", created.GetProperty("credit_name").GetString());
        Assert.Equal("usd", created.GetProperty("unit_price").GetProperty("currency").GetString());
        Assert.Equal(1000, created.GetProperty("price").GetProperty("price").GetDouble());
        Assert.False(created.GetProperty("has_grants").GetBoolean());
        Assert.Equal("Starter", updated.GetProperty("name").GetString());
        Assert.Equal(1.5, read.GetProperty("unit_price").GetProperty("price").GetDouble());
        Assert.Equal(400, read.GetProperty("quantity").GetDouble());
        Assert.Equal("duration", read.GetProperty("expiry_type").GetString());
        Assert.Equal(30, read.GetProperty("expiry_unit_count").GetInt32());
        Assert.Equal([s.PlanId], read.GetProperty("compatible_plan_ids").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(id, Assert.Single(active.Data.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("active", active.Params.GetProperty("status").GetString());
        Assert.Equal(2, count);
        (await s.Api.DeleteAsync($"/billing/credits/bundles/{id}")).ShouldBe(HttpStatusCode.OK);
        (await s.Api.GetAsync($"/billing/credits/bundles/{id}")).ShouldFail(HttpStatusCode.NotFound, "credit bundle");
        (await s.Api.PostAsync("/billing/credits/bundles", new { bundleName = "x", creditId = s.CreditId, currency = "usd" })).ShouldFail(HttpStatusCode.BadRequest, "price_per_unit");
        (await s.Api.PostAsync("/billing/credits/bundles", new { bundleName = "x", creditId = "bcrd_nope", currency = "usd", pricePerUnit = 1 }))
            .ShouldFail(HttpStatusCode.BadRequest, "credit_id");
        var audited = (await s.Api.GetAsync($"/audit-log?resource_id={id}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(["create", "delete", "update"], audited.EnumerateArray().Select(e => e.GetProperty("action").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GrantingABundleGivesItsCreditsAsAPurchaseExpiringAsTheBundleSays()
    {
        var s = await CreditScenario.CreateAsync(server);
        var bundle = (await s.Api.PostAsync("/billing/credits/bundles", new
        {
            bundleName = "Pack", creditId = s.CreditId, currency = "usd", pricePerUnit = 1, quantity = 100, expiryType = "duration", expiryUnitCount = 10,
        })).ShouldBe(HttpStatusCode.Created).Id;
        var otherPlan = await Given.PlanAsync(s.Api, "Enterprise");
        var enterpriseOnly = (await s.Api.PostAsync("/billing/credits/bundles", new
        {
            bundleName = "Enterprise pack", creditId = s.CreditId, currency = "usd", pricePerUnit = 1, quantity = 5, compatiblePlanIds = new[] { otherPlan },
        })).ShouldBe(HttpStatusCode.Created).Id;

        var grant = (await s.Api.PostAsync($"/billing/credits/bundles/{bundle}/grant", new { companyId = s.CompanyId, quantity = 2 })).ShouldBe(HttpStatusCode.Created).Data;
        var remaining = await s.RemainingAsync();
        server.Time.Advance(TimeSpan.FromDays(11));

        Assert.Equal("purchased", grant.GetProperty("grant_reason").GetString());
        Assert.Equal(200, grant.GetProperty("quantity").GetDouble());
        Assert.Equal(grant.GetProperty("created_at").GetDateTimeOffset().AddDays(10), grant.GetProperty("expires_at").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Equal(200, remaining);
        Assert.Equal(0, await s.RemainingAsync());
        Assert.True((await s.Api.GetAsync($"/billing/credits/bundles/{bundle}")).Data.GetProperty("has_grants").GetBoolean());
        (await s.Api.PostAsync($"/billing/credits/bundles/{enterpriseOnly}/grant", new { companyId = s.CompanyId }))
            .ShouldFail(HttpStatusCode.UnprocessableEntity, "compatible plans");
        (await s.Api.PutAsync($"/billing/credits/bundles/{bundle}", new { bundleName = "Pack", pricePerUnit = 1, status = "inactive" })).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PostAsync($"/billing/credits/bundles/{bundle}/grant", new { companyId = s.CompanyId })).ShouldFail(HttpStatusCode.UnprocessableEntity, "inactive");
    }

    [Fact]
    public async Task ASpendPolicyRefusesADrawOverItsCapAndCapsLeases()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(100);
        var policy = (await s.Api.PostAsync("/billing/credits/spend-policies", new { billingCreditId = s.CreditId, companyId = s.CompanyId, maxPerDraw = 10, label = "cap" }))
            .ShouldBe(HttpStatusCode.Created).Data;
        var policyId = policy.GetProperty("id").GetString()!;

        var overConsume = await s.ConsumeAsync(11);
        var underConsume = await s.ConsumeAsync(10);
        var overReserve = await s.ReserveAsync(12);
        var lease = (await s.Api.PostAsync("/billing/credits/lease", new { companyId = s.CompanyId, creditTypeId = s.CreditId, requestedAmount = 50 })).ShouldBe(HttpStatusCode.OK).Data;
        var overCheck = (await s.CheckAndReserveAsync(quantity: 6)).ShouldBe(HttpStatusCode.OK).Data;
        (await s.Api.PutAsync($"/billing/credits/lease/{lease.GetProperty("id").GetString()}/release", new { })).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PutAsync($"/billing/credits/spend-policies/{policyId}", new { maxPerDraw = 20 })).ShouldBe(HttpStatusCode.OK);
        var raised = await s.ConsumeAsync(15);

        Assert.Equal("company", policy.GetProperty("scope_type").GetString());
        Assert.Equal(10, policy.GetProperty("max_per_draw").GetDouble());
        overConsume.ShouldFail(HttpStatusCode.UnprocessableEntity, "max_per_draw");
        underConsume.ShouldBe(HttpStatusCode.OK);
        overReserve.ShouldFail(HttpStatusCode.UnprocessableEntity, "max_per_draw");
        Assert.Equal(10, lease.GetProperty("granted_amount").GetDouble());
        Assert.False(overCheck.GetProperty("value").GetBoolean());
        Assert.Equal(JsonValueKind.Null, overCheck.GetProperty("reservation").ValueKind);
        raised.ShouldBe(HttpStatusCode.OK);
        Assert.Equal(75, await s.RemainingAsync());
        Assert.Equal(1, (await s.Api.GetAsync($"/billing/credits/spend-policies/count?company_id={s.CompanyId}")).Data.GetProperty("count").GetInt64());
        Assert.Single((await s.Api.GetAsync("/billing/credits/spend-policies?scope_type=company")).Data.EnumerateArray());
        (await s.Api.DeleteAsync($"/billing/credits/spend-policies/{policyId}")).ShouldBe(HttpStatusCode.OK);
        (await s.ConsumeAsync(30)).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PostAsync("/billing/credits/spend-policies", new { billingCreditId = s.CreditId, maxPerDraw = 1 })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
    }

    [Fact]
    public async Task AUserScopedSpendPolicyCapsThatUsersCheckAndReserveOnly()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(100);
        var ana = (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" }, company = Given.Keys(CreditScenario.Company) }))
            .ShouldBe(HttpStatusCode.OK).Id;
        (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "bo@acme.test" }, company = Given.Keys(CreditScenario.Company) }))
            .ShouldBe(HttpStatusCode.OK);
        var policy = (await s.Api.PostAsync("/billing/credits/spend-policies", new { billingCreditId = s.CreditId, userId = ana, maxPerDraw = 4 }))
            .ShouldBe(HttpStatusCode.Created).Data;

        var anaAnswer = (await s.Api.PostAsync("/flags/ai-gen/check-and-reserve", new
        {
            company = Given.Keys(CreditScenario.Company), user = new Dictionary<string, string> { ["email"] = "ana@acme.test" }, quantity = 3,
        })).ShouldBe(HttpStatusCode.OK).Data;
        var boAnswer = (await s.Api.PostAsync("/flags/ai-gen/check-and-reserve", new
        {
            company = Given.Keys(CreditScenario.Company), user = new Dictionary<string, string> { ["email"] = "bo@acme.test" }, quantity = 3,
        })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal("user", policy.GetProperty("scope_type").GetString());
        Assert.False(anaAnswer.GetProperty("value").GetBoolean());
        Assert.Equal(JsonValueKind.Null, anaAnswer.GetProperty("reservation").ValueKind);
        Assert.True(boAnswer.GetProperty("value").GetBoolean());
        Assert.Equal(6, boAnswer.GetProperty("reservation").GetProperty("credits_reserved").GetDouble());
        Assert.Equal(1, (await s.Api.GetAsync($"/billing/credits/spend-policies/count?user_id={ana}")).Data.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task AutoTopUpGrantsTheAmountOnceWhenABurnTakesTheBalanceBelowTheThreshold()
    {
        var s = await CreditScenario.CreateAsync(server);
        var planGrant = (await s.Api.PostAsync("/billing/credits/plan-grants", new
        {
            planId = s.PlanId, creditId = s.CreditId, creditAmount = 50, resetCadence = "monthly", resetStart = "first_of_month",
            autoTopupAvailability = "automatic", autoTopupThresholdCredits = 20, autoTopupAmount = 5,
        })).ShouldBe(HttpStatusCode.Created).Data;
        Assert.Equal(50, await s.RemainingAsync());

        (await s.ConsumeAsync(25)).ShouldBe(HttpStatusCode.OK);
        var noTopUp = await s.RemainingAsync();
        (await s.ConsumeAsync(11)).ShouldBe(HttpStatusCode.OK);
        var afterFirst = await EventuallyRemainingAsync(s, 19);

        // A top-up that leaves the balance under the threshold is not followed by another until the next burn.
        await Task.Delay(200);
        var settled = await s.RemainingAsync();
        (await s.ConsumeAsync(1)).ShouldBe(HttpStatusCode.OK);
        var afterSecond = await EventuallyRemainingAsync(s, 23);
        var topUps = (await s.Api.GetAsync($"/billing/credits/grants/company/list?company_id={s.CompanyId}")).Data.EnumerateArray()
            .Where(g => g.GetProperty("grant_reason").GetString() == "billing_credit_auto_topup").ToList();

        Assert.True(planGrant.GetProperty("auto_topup_enabled").GetBoolean());
        Assert.Equal("automatic", planGrant.GetProperty("auto_topup_availability").GetString());
        Assert.Equal("granted", planGrant.GetProperty("billing_mode").GetString());
        Assert.Equal(25, noTopUp);
        Assert.Equal(19, afterFirst);
        Assert.Equal(19, settled);
        Assert.Equal(23, afterSecond);
        Assert.Equal(2, topUps.Count);
        Assert.All(topUps, g => Assert.Equal(5, g.GetProperty("quantity").GetDouble()));
    }

    [Fact]
    public async Task AtThePeriodEndTheRolloverPercentageOfUnusedPlanCreditsCarriesIntoTheNextPeriod()
    {
        var s = await CreditScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        (await s.Api.PostAsync("/billing/credits/plan-grants", new
        {
            planId = s.PlanId, creditId = s.CreditId, creditAmount = 100, resetCadence = "monthly", resetStart = "first_of_month", rolloverPercentage = 50,
        })).ShouldBe(HttpStatusCode.Created);
        (await s.ConsumeAsync(40)).ShouldBe(HttpStatusCode.OK);

        server.Time.SetUtcNow(month.AddMonths(1).AddHours(1));
        var second = await s.RemainingAsync();
        (await s.ConsumeAsync(100)).ShouldBe(HttpStatusCode.OK);
        server.Time.SetUtcNow(month.AddMonths(2).AddHours(1));
        var third = await s.RemainingAsync();
        var rollovers = (await s.Api.GetAsync($"/billing/credits/grants/company/list?company_id={s.CompanyId}")).Data.EnumerateArray()
            .Where(g => g.GetProperty("grant_reason").GetString() == "rollover").ToList();
        var ledger = (await s.Api.GetAsync($"/billing/credits/ledger?company_id={s.CompanyId}&event_type=grant")).ShouldBe(HttpStatusCode.OK).Data;

        // 60 unused of 100: 30 carried. Then 100 of the 130 used (the plan's own first): 30 unused, 15 carried.
        Assert.Equal(130, second);
        Assert.Equal(115, third);
        Assert.Equal([30d, 15d], rollovers.Select(g => g.GetProperty("quantity").GetDouble()));
        Assert.Equal([month.AddMonths(2), month.AddMonths(3)], rollovers.Select(g => g.GetProperty("expires_at").GetDateTimeOffset()));
        Assert.Equal(5, ledger.GetArrayLength());
    }

    [Fact]
    public async Task WithoutRolloverUnusedPlanCreditsExpireAtThePeriodEnd()
    {
        var s = await CreditScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        (await s.Api.PostAsync("/billing/credits/plan-grants", new { planId = s.PlanId, creditId = s.CreditId, creditAmount = 100, resetCadence = "monthly", resetStart = "first_of_month" }))
            .ShouldBe(HttpStatusCode.Created);
        (await s.ConsumeAsync(40)).ShouldBe(HttpStatusCode.OK);

        server.Time.SetUtcNow(month.AddMonths(1).AddHours(1));

        Assert.Equal(100, await s.RemainingAsync());
    }

    private static async Task<double> EventuallyRemainingAsync(CreditScenario s, double expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var remaining = await s.RemainingAsync();
            if (remaining == expected || clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                return remaining;
            }

            await Task.Delay(20);
        }
    }
}

public sealed class CreditBundleTestsOnSqlite(SqliteServer server) : CreditBundleTests(server), IClassFixture<SqliteServer>;

public sealed class CreditBundleTestsOnPostgres(PostgresServer server) : CreditBundleTests(server), IClassFixture<PostgresServer>;
