using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Grants (manual and per plan period), their expiry, zero-outs, the ledger, and checks that see the balance.</summary>
public abstract class CreditGrantTests(TollgateFactory server)
{
    [Fact]
    public async Task AManualGrantIsListedCountedAndAddsToTheBalance()
    {
        var s = await CreditScenario.CreateAsync(server);
        var expires = server.Time.GetUtcNow().AddDays(30);

        var grant = (await s.Api.PostAsync("/billing/credits/grants/company", new
        {
            companyId = s.CompanyId, creditId = s.CreditId, quantity = 100, reason = "purchased", expiresAt = expires, note = "Bundle of 100",
        })).ShouldBe(HttpStatusCode.Created).Data;
        await s.GrantAsync(20, reason: "free");
        var listed = (await s.Api.GetAsync($"/billing/credits/grants/company/list?company_id={s.CompanyId}")).ShouldBe(HttpStatusCode.OK).Data;
        var ofCredit = (await s.Api.GetAsync($"/billing/credits/grants/list?credit_id={s.CreditId}&limit=1")).ShouldBe(HttpStatusCode.OK).Data;
        var balance = await s.BalanceAsync();

        Assert.StartsWith("bcgr_", grant.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("purchased", grant.GetProperty("grant_reason").GetString());
        Assert.Equal(100, grant.GetProperty("quantity").GetDouble());
        Assert.Equal(100, grant.GetProperty("quantity_remaining").GetDouble());
        Assert.Equal("AI tokens", grant.GetProperty("credit_name").GetString());
        Assert.Equal(CreditScenario.Company, grant.GetProperty("company_name").GetString());
        Assert.Equal("Bundle of 100", grant.GetProperty("note").GetString());
        Assert.Equal(expires, grant.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal(2, listed.GetArrayLength());
        Assert.Equal(1, ofCredit.GetArrayLength());
        Assert.Equal(2, (await s.Api.GetAsync($"/billing/credits/grants/company/count?company_id={s.CompanyId}")).Data.GetProperty("count").GetInt64());
        Assert.Equal(2, (await s.Api.GetAsync($"/billing/credits/grants/count?credit_id={s.CreditId}")).Data.GetProperty("count").GetInt64());
        Assert.Equal(120, balance.GetProperty("remaining").GetDouble());
        Assert.Equal(0, balance.GetProperty("reserved").GetDouble());
        Assert.Equal(120, balance.GetProperty("settled").GetDouble());
        Assert.Equal(120, balance.GetProperty("total").GetDouble());
        Assert.Equal("schematic", balance.GetProperty("source").GetString());
        var audited = (await s.Api.GetAsync($"/audit-log?resource_id={grant.GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("create", Assert.Single(audited.EnumerateArray()).GetProperty("action").GetString());
    }

    [Fact]
    public async Task AGrantStopsCountingTheInstantItExpiresWithoutAnyWrite()
    {
        var s = await CreditScenario.CreateAsync(server);
        var expires = server.Time.GetUtcNow().AddHours(1);
        await s.GrantAsync(10, expires);
        await s.GrantAsync(4);

        var before = await s.CheckAsync(new { creditCost = new Dictionary<string, double> { [s.CreditId] = 12 } });
        // Five seconds short of the instant, not milliseconds: the test clock advances 1 ms on every read, and the jump
        // wakes the server's background loops (trials, scheduled changes and checkouts, migrations), whose reads can
        // take it more than a few milliseconds further before the check reads it.
        server.Time.SetUtcNow(expires.AddSeconds(-5));
        var justBefore = await s.CheckAsync();
        server.Time.SetUtcNow(expires.AddSeconds(1));
        var after = await s.CheckAsync(new { creditCost = new Dictionary<string, double> { [s.CreditId] = 12 } });

        Assert.True(before.GetProperty("value").GetBoolean());
        Assert.Equal(14, before.GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
        Assert.Equal(14, justBefore.GetProperty("entitlement").GetProperty("credit_total").GetDouble());
        Assert.False(after.GetProperty("value").GetBoolean());
        Assert.Equal(4, after.GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
        Assert.Equal(4, after.GetProperty("entitlement").GetProperty("credit_total").GetDouble());
        Assert.Equal(4, await s.RemainingAsync());
        var expired = (await s.Api.GetAsync($"/billing/credits/grants/company/list?company_id={s.CompanyId}")).Data[0];
        Assert.Equal("expired", expired.GetProperty("zeroed_out_reason").GetString());
        Assert.Equal(0, expired.GetProperty("quantity_remaining").GetDouble());
    }

    [Fact]
    public async Task BurnsTakeFromTheGrantThatExpiresFirst()
    {
        var s = await CreditScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        await s.GrantAsync(10);
        await s.GrantAsync(10, now.AddHours(1));
        (await s.ConsumeAsync(6)).ShouldBe(HttpStatusCode.OK);

        server.Time.SetUtcNow(now.AddHours(2));

        Assert.Equal(10, await s.RemainingAsync());
    }

    [Fact]
    public async Task APlanGrantGivesEachCompanyOnThePlanItsCreditsEveryMonth()
    {
        var s = await CreditScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var planGrant = (await s.Api.PostAsync("/billing/credits/plan-grants", new
        {
            planId = s.PlanId, creditId = s.CreditId, creditAmount = 50, resetCadence = "monthly", resetStart = "first_of_month",
        })).ShouldBe(HttpStatusCode.Created);
        await Given.CompanyAsync(s.Api, "initech", s.PlanId);

        var first = await s.BalanceAsync();
        (await s.ConsumeAsync(20)).ShouldBe(HttpStatusCode.OK);
        var spent = await s.CheckAsync();
        server.Time.SetUtcNow(month.AddMonths(1).AddSeconds(1));
        var second = await s.CheckAsync();
        server.Time.SetUtcNow(month.AddMonths(2).AddDays(2));
        var third = await s.BalanceAsync();
        var initech = (await s.Api.GetAsync($"/billing/credits/balance?company_id={await CompanyIdAsync(s.Api, "initech")}")).Data[0];
        var grants = (await s.Api.GetAsync($"/billing/credits/grants/company/list?company_id={s.CompanyId}")).Data.EnumerateArray().ToList();

        Assert.Equal("AI tokens", planGrant.Data.GetProperty("credit_name").GetString());
        Assert.Equal("Pro", planGrant.Data.GetProperty("plan_name").GetString());
        Assert.Equal(1, (await s.Api.GetAsync($"/billing/credits/plan-grants/count?plan_id={s.PlanId}")).Data.GetProperty("count").GetInt64());
        Assert.Equal(50, first.GetProperty("remaining").GetDouble());
        Assert.Equal(30, spent.GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
        Assert.Equal(20, spent.GetProperty("entitlement").GetProperty("credit_used").GetDouble());
        Assert.Equal(50, second.GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
        Assert.Equal(50, second.GetProperty("entitlement").GetProperty("credit_total").GetDouble());
        Assert.Equal(50, third.GetProperty("remaining").GetDouble());
        Assert.Equal(50, initech.GetProperty("remaining").GetDouble());
        Assert.Equal(3, grants.Count);
        Assert.All(grants, g => Assert.Equal("plan", g.GetProperty("grant_reason").GetString()));
        Assert.Equal(
            [month.AddMonths(1), month.AddMonths(2), month.AddMonths(3)],
            grants.Select(g => g.GetProperty("expires_at").GetDateTimeOffset()));
    }

    [Fact]
    public async Task ACompanyThatLeavesThePlanLosesWhatThePlanGaveButKeepsItsOwnGrants()
    {
        var s = await CreditScenario.CreateAsync(server);
        (await s.Api.PostAsync("/billing/credits/plan-grants", new { planId = s.PlanId, creditId = s.CreditId, creditAmount = 50 })).ShouldBe(HttpStatusCode.Created);
        await s.GrantAsync(7);
        (await s.ConsumeAsync(5)).ShouldBe(HttpStatusCode.OK);
        var onPlan = await s.RemainingAsync();

        (await s.Api.PutAsync($"/company-plans/{s.CompanyId}", new { basePlanId = (string?)null, addOnIds = Array.Empty<string>() })).ShouldBe(HttpStatusCode.OK);
        var offPlan = await s.CheckAsync();
        var grants = (await s.Api.GetAsync($"/billing/credits/grants/company/list?company_id={s.CompanyId}")).Data.EnumerateArray().ToList();

        Assert.Equal(52, onPlan);
        Assert.Equal(7, await s.RemainingAsync());
        Assert.Equal("plan_change", grants.Single(g => g.GetProperty("grant_reason").GetString() == "plan").GetProperty("zeroed_out_reason").GetString());
        Assert.Equal(JsonValueKind.Null, grants.Single(g => g.GetProperty("grant_reason").GetString() == "purchased").GetProperty("zeroed_out_reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, offPlan.GetProperty("entitlement").ValueKind);
    }

    [Fact]
    public async Task ZeroingOutAGrantTakesWhatRemainsOfItOnce()
    {
        var s = await CreditScenario.CreateAsync(server);
        var grant = (await s.GrantAsync(30)).GetProperty("id").GetString();
        await s.GrantAsync(5);
        (await s.ConsumeAsync(10)).ShouldBe(HttpStatusCode.OK);

        var zeroed = (await s.Api.PutAsync($"/billing/credits/grants/{grant}/zero-out", new { reason = "manual" })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal("manual", zeroed.GetProperty("zeroed_out_reason").GetString());
        Assert.Equal(0, zeroed.GetProperty("quantity_remaining").GetDouble());
        Assert.Equal(10, zeroed.GetProperty("quantity_used").GetDouble());
        Assert.Equal(5, await s.RemainingAsync());
        (await s.Api.PutAsync($"/billing/credits/grants/{grant}/zero-out", new { })).ShouldFail(HttpStatusCode.Conflict, "grant");
    }

    [Fact]
    public async Task TheLedgerRecordsEveryMovementAndSumsToTheBalance()
    {
        var s = await CreditScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var zeroed = (await s.GrantAsync(40)).GetProperty("id").GetString();
        await s.GrantAsync(100);
        await s.GrantAsync(25, now.AddHours(1));
        (await s.ConsumeAsync(7)).ShouldBe(HttpStatusCode.OK);
        var settled = (await s.ReserveAsync(30)).ShouldBe(HttpStatusCode.OK).Id;
        var released = (await s.ReserveAsync(12)).ShouldBe(HttpStatusCode.OK).Id;
        (await s.ReserveAsync(9, now.AddMinutes(30))).ShouldBe(HttpStatusCode.OK);
        (await s.ReserveAsync(5, now.AddDays(1))).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PutAsync($"/billing/credits/reservations/{settled}/settle", new { amount = 18 })).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PutAsync($"/billing/credits/reservations/{released}/release", null)).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PutAsync($"/billing/credits/grants/{zeroed}/zero-out", new { })).ShouldBe(HttpStatusCode.OK);
        (await s.CheckAndReserveAsync(quantity: 3)).ShouldBe(HttpStatusCode.OK);
        server.Time.Advance(TimeSpan.FromHours(2));

        var ledger = await s.LedgerAsync();
        var balance = await s.BalanceAsync();

        Assert.Equal(
            ["grant", "grant", "grant", "consume", "reserve", "reserve", "reserve", "reserve", "settle", "release", "zero_out", "reserve", "expire", "release", "release"],
            ledger.Select(e => e.GetProperty("movement").GetString()));
        Assert.Equal(balance.GetProperty("remaining").GetDouble(), ledger.Sum(e => e.GetProperty("remaining_delta").GetDouble()));
        Assert.Equal(balance.GetProperty("reserved").GetDouble(), ledger.Sum(e => e.GetProperty("reserved_delta").GetDouble()));
        Assert.Equal(100 - 5, balance.GetProperty("remaining").GetDouble());
        Assert.Equal(5, balance.GetProperty("reserved").GetDouble());
        Assert.Equal(ledger.Count, (await s.Api.GetAsync($"/v2/billing/credits/ledger/count?company_id={s.CompanyId}")).Data.GetProperty("count").GetInt64());
        Assert.All(ledger, e => Assert.Equal(e.GetProperty("amount").GetDouble(), e.GetProperty("remaining_delta").GetDouble()));
        Assert.Equal("zero_out", ledger[12].GetProperty("event_type").GetString());
        Assert.Equal("expired", ledger[12].GetProperty("zeroed_out_reason").GetString());
        Assert.Equal("reservation_hold", ledger[4].GetProperty("usage_reason").GetString());

        var path = $"/v2/billing/credits/ledger?company_id={s.CompanyId}";
        var usage = (await s.Api.GetAsync($"{path}&event_type=usage")).ShouldBe(HttpStatusCode.OK).Data;
        var zeroOuts = (await s.Api.GetAsync($"{path.Replace("ledger", "ledger/count", StringComparison.Ordinal)}&event_type=zero_out")).ShouldBe(HttpStatusCode.OK).Data;
        var since = ledger[12].GetProperty("event_at").GetDateTimeOffset().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var late = (await s.Api.GetAsync($"{path}&start_time={Uri.EscapeDataString(since)}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(10, usage.GetArrayLength());
        Assert.All(usage.EnumerateArray(), e => Assert.Equal("usage", e.GetProperty("event_type").GetString()));
        Assert.Equal(2, zeroOuts.GetProperty("count").GetInt64());
        Assert.Equal(ledger.Count(e => e.GetProperty("event_at").GetDateTimeOffset() >= ledger[12].GetProperty("event_at").GetDateTimeOffset()), late.GetArrayLength());
        (await s.Api.GetAsync($"{path}&start_time=yesterday")).ShouldFail(HttpStatusCode.BadRequest, "start_time");
        (await s.Api.GetAsync($"{path}&event_type=refund")).ShouldFail(HttpStatusCode.BadRequest, "event_type");
    }

    [Fact]
    public async Task TheCreditConditionFlipsWhenTheBalanceRunsOutAndBackWhenCreditsArrive()
    {
        var s = await CreditScenario.CreateAsync(server);

        var empty = await s.CheckAsync();
        await s.GrantAsync(4);
        var funded = await s.CheckAsync();
        var tooDear = await s.CheckAsync(new { eventUsage = new { eventSubtype = "ai_generation", quantity = 3 } });
        (await s.ConsumeAsync(3)).ShouldBe(HttpStatusCode.OK);
        var low = await s.CheckAsync();
        await s.GrantAsync(1);
        var topped = await s.CheckAsync();

        Assert.False(empty.GetProperty("value").GetBoolean());
        Assert.Equal("plan_entitlement_usage_exceeded", empty.GetProperty("rule_type").GetString());
        Assert.True(funded.GetProperty("value").GetBoolean());
        Assert.Equal("plan_entitlement", funded.GetProperty("rule_type").GetString());
        AssertCredits(funded.GetProperty("entitlement"), total: 4, used: 0, remaining: 4);
        Assert.False(tooDear.GetProperty("value").GetBoolean());
        Assert.False(low.GetProperty("value").GetBoolean());
        AssertCredits(low.GetProperty("entitlement"), total: 4, used: 3, remaining: 1);
        Assert.True(topped.GetProperty("value").GetBoolean());
        AssertCredits(topped.GetProperty("entitlement"), total: 5, used: 3, remaining: 2);
    }

    [Fact]
    public async Task AGrantsExpiryComesFromItsExpiryTypeOrTheCreditTypesDefault()
    {
        var s = await CreditScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var weekly = (await s.Api.PostAsync("/billing/credits", new { name = "Weekly", defaultExpiryUnit = "days", defaultExpiryUnitCount = 7 })).ShouldBe(HttpStatusCode.Created).Id;
        var grants = "/billing/credits/grants/company";

        var duration = (await s.Api.PostAsync(grants, new { companyId = s.CompanyId, creditId = s.CreditId, quantity = 1, reason = "free", expiryType = "duration", expiryUnit = "days", expiryUnitCount = 3 }))
            .ShouldBe(HttpStatusCode.Created).Data;
        var periodEnd = (await s.Api.PostAsync(grants, new { companyId = s.CompanyId, creditId = s.CreditId, quantity = 1, reason = "free", expiryType = "end_of_billing_period" }))
            .ShouldBe(HttpStatusCode.Created).Data;
        var never = (await s.Api.PostAsync(grants, new { companyId = s.CompanyId, creditId = weekly, quantity = 1, reason = "free", expiryType = "no_expiry" }))
            .ShouldBe(HttpStatusCode.Created).Data;
        var byDefault = (await s.Api.PostAsync(grants, new { companyId = s.CompanyId, creditId = weekly, quantity = 1, reason = "free" })).ShouldBe(HttpStatusCode.Created).Data;

        Assert.InRange(duration.GetProperty("expires_at").GetDateTimeOffset() - now.AddDays(3), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        // acme has no subscription: its billing period is the calendar month.
        Assert.Equal(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1), periodEnd.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, never.GetProperty("expires_at").ValueKind);
        Assert.InRange(byDefault.GetProperty("expires_at").GetDateTimeOffset() - now.AddDays(7), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        (await s.Api.PostAsync(grants, new { companyId = s.CompanyId, creditId = s.CreditId, quantity = 1, reason = "free", expiryType = "duration" }))
            .ShouldFail(HttpStatusCode.BadRequest, "expiry_unit_count");
        (await s.Api.PostAsync(grants, new { companyId = s.CompanyId, creditId = s.CreditId, quantity = 1, reason = "free", expiryType = "duration", expiryUnit = "years", expiryUnitCount = 1 }))
            .ShouldFail(HttpStatusCode.BadRequest, "expiry_unit");
    }

    [Fact]
    public async Task EveryBurnIsVisibleToTheNextCheckWithChecksInFlight()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(1000);

        // Checks in flight around each burn; the check after it must see the burn.
        for (var i = 1; i <= 40; i++)
        {
            var checks = Enumerable.Range(0, 4).Select(_ => s.CheckAsync()).ToList();
            (await s.ConsumeAsync(1)).ShouldBe(HttpStatusCode.OK);
            await Task.WhenAll(checks);

            Assert.Equal(1000 - i, (await s.CheckAsync()).GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
        }
    }

    [Fact]
    public async Task CheckingAllFlagsAnswersTheCompanysCreditBalances()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(10);
        (await s.ReserveAsync(3)).ShouldBe(HttpStatusCode.OK);

        var all = (await s.Api.PostAsync("/flags/check", new { company = Given.Keys(CreditScenario.Company) })).ShouldBe(HttpStatusCode.OK).Data;
        var anonymous = (await s.Api.PostAsync("/flags/check", new { })).ShouldBe(HttpStatusCode.OK).Data;

        var balance = all.GetProperty("credit_balances").GetProperty(s.CreditId);
        Assert.Equal(7, balance.GetProperty("remaining").GetDouble());
        Assert.Equal(3, balance.GetProperty("reserved").GetDouble());
        Assert.Equal(10, balance.GetProperty("settled").GetDouble());
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("credit_balances").ValueKind);
    }

    private static void AssertCredits(JsonElement entitlement, double total, double used, double remaining)
    {
        Assert.Equal("credit", entitlement.GetProperty("value_type").GetString());
        Assert.Equal(total, entitlement.GetProperty("credit_total").GetDouble());
        Assert.Equal(used, entitlement.GetProperty("credit_used").GetDouble());
        Assert.Equal(remaining, entitlement.GetProperty("credit_remaining").GetDouble());
        Assert.Equal(remaining + entitlement.GetProperty("credit_reserved").GetDouble(), entitlement.GetProperty("credit_settled").GetDouble());
        Assert.Equal(CreditScenario.Rate, entitlement.GetProperty("consumption_rate").GetDouble());
    }

    private static async Task<string> CompanyIdAsync(ApiClient api, string key) =>
        (await api.GetAsync($"/companies/lookup?keys[id]={key}")).ShouldBe(HttpStatusCode.OK).Id;
}

public sealed class CreditGrantTestsOnSqlite(SqliteServer server) : CreditGrantTests(server), IClassFixture<SqliteServer>;

public sealed class CreditGrantTestsOnPostgres(PostgresServer server) : CreditGrantTests(server), IClassFixture<PostgresServer>;
