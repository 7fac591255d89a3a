using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Reservations, check-and-reserve and postpaid overdrafts: concurrent callers never take more than the balance allows.</summary>
public abstract class CreditReservationTests(TollgateFactory server)
{
    private const int Callers = 120;

    [Fact]
    public async Task ParallelCheckAndReserveCallsHoldExactlyTheBalance()
    {
        var s = await CreditScenario.CreateAsync(server);
        const double Balance = 100;
        await s.GrantAsync(Balance);

        var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => s.CheckAndReserveAsync(quantity: 1)));

        Assert.All(answers, a => a.ShouldBe(HttpStatusCode.OK));
        var granted = answers.Where(a => a.Data.GetProperty("value").GetBoolean()).ToList();
        Assert.Equal((int)(Balance / CreditScenario.Rate), granted.Count);
        Assert.All(granted, a => Assert.Equal(CreditScenario.Rate, a.Data.GetProperty("reservation").GetProperty("credits_reserved").GetDouble()));
        Assert.Equal(granted.Count, granted.Select(a => a.Data.GetProperty("reservation").GetProperty("id").GetString()).Distinct().Count());
        Assert.All(answers.Except(granted), a => Assert.Equal(JsonValueKind.Null, a.Data.GetProperty("reservation").ValueKind));
        var balance = await s.BalanceAsync();
        Assert.Equal(0, balance.GetProperty("remaining").GetDouble());
        Assert.Equal(Balance, balance.GetProperty("reserved").GetDouble());
    }

    [Fact]
    public async Task ParallelConsumersBurnExactlyTheBalancePlusTheOverdraft()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(90);
        (await s.Api.PutAsync("/billing/credits/overdraft", new { companyId = s.CompanyId, creditTypeId = s.CreditId, postpaidEnabled = true, overdraftLimit = 10 }))
            .ShouldBe(HttpStatusCode.OK);

        var answers = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => s.ConsumeAsync(1)));

        Assert.Equal(100, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => a.ShouldFail(HttpStatusCode.UnprocessableEntity, "amount"));
        Assert.Equal(-10, await s.RemainingAsync());
    }

    [Fact]
    public async Task CheckAndReserveAnswersTheCheckWithTheReservationItMade()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(10);
        var expires = server.Time.GetUtcNow().AddMinutes(2);

        var reserved = (await s.CheckAndReserveAsync(quantity: 3, expiresAt: expires)).ShouldBe(HttpStatusCode.OK).Data;
        var tooMuch = (await s.CheckAndReserveAsync(quantity: 3)).ShouldBe(HttpStatusCode.OK).Data;
        var notCredit = (await s.Api.PostAsync("/flags/sso/check-and-reserve", new { company = Given.Keys(CreditScenario.Company) })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.True(reserved.GetProperty("value").GetBoolean());
        Assert.Equal("ai-gen", reserved.GetProperty("flag").GetString());
        Assert.Equal("plan_entitlement", reserved.GetProperty("rule_type").GetString());
        var reservation = reserved.GetProperty("reservation");
        Assert.StartsWith("crsv_", reservation.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(s.CompanyId, reservation.GetProperty("company_id").GetString());
        Assert.Equal(s.CreditId, reservation.GetProperty("credit_type_id").GetString());
        Assert.Equal(6, reservation.GetProperty("credits_reserved").GetDouble());
        Assert.Equal(3, reservation.GetProperty("quantity_reserved").GetDouble());
        Assert.Equal(CreditScenario.Rate, reservation.GetProperty("consumption_rate").GetDouble());
        Assert.Equal("ai_generation", reservation.GetProperty("event_subtype").GetString());
        Assert.Equal(expires, reservation.GetProperty("expires_at").GetDateTimeOffset());
        Assert.False(tooMuch.GetProperty("value").GetBoolean());
        Assert.Equal(JsonValueKind.Null, tooMuch.GetProperty("reservation").ValueKind);
        Assert.True(notCredit.GetProperty("value").GetBoolean());
        Assert.Equal(JsonValueKind.Null, notCredit.GetProperty("reservation").ValueKind);
        Assert.Equal(4, await s.RemainingAsync());
    }

    [Fact]
    public async Task AReservationRetriedWithItsIdempotencyKeyHoldsOnce()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(20);

        var first = (await s.ReserveAsync(5, idempotencyKey: "order-1")).ShouldBe(HttpStatusCode.OK);
        var retry = (await s.ReserveAsync(5, idempotencyKey: "order-1")).ShouldBe(HttpStatusCode.OK);
        var checkFirst = (await s.CheckAndReserveAsync(quantity: 2, idempotencyKey: "job-7")).ShouldBe(HttpStatusCode.OK);
        var checkRetry = (await s.CheckAndReserveAsync(quantity: 2, idempotencyKey: "job-7")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(first.Id, retry.Id);
        Assert.Equal(
            checkFirst.Data.GetProperty("reservation").GetProperty("id").GetString(),
            checkRetry.Data.GetProperty("reservation").GetProperty("id").GetString());
        Assert.Equal(20 - 5 - 4, await s.RemainingAsync());
        Assert.Equal(9, (await s.BalanceAsync()).GetProperty("reserved").GetDouble());
        var other = await Given.CompanyAsync(s.Api, "other-co", s.PlanId);
        (await s.Api.PostAsync("/billing/credits/reservations", new { companyId = other, creditTypeId = s.CreditId, amount = 1, idempotencyKey = "order-1" }))
            .ShouldFail(HttpStatusCode.Conflict, "idempotency_key");
    }

    [Fact]
    public async Task AReservationIsSettledReleasedOrReturnedWhenItExpires()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(100);
        var now = server.Time.GetUtcNow();
        var toSettle = (await s.ReserveAsync(30)).ShouldBe(HttpStatusCode.OK);
        var toRelease = (await s.ReserveAsync(20)).ShouldBe(HttpStatusCode.OK);
        var toExpire = (await s.ReserveAsync(25, now.AddMinutes(1))).ShouldBe(HttpStatusCode.OK);
        var held = await s.BalanceAsync();
        var heldCheck = await s.CheckAsync();

        var settled = (await s.Api.PutAsync($"/billing/credits/reservations/{toSettle.Id}/settle", new { amount = 12 })).ShouldBe(HttpStatusCode.OK).Data;
        var released = (await s.Api.PutAsync($"/billing/credits/reservations/{toRelease.Id}/release", null)).ShouldBe(HttpStatusCode.OK).Data;
        var afterEnds = await s.BalanceAsync();
        server.Time.SetUtcNow(now.AddMinutes(1).AddSeconds(1));
        var afterExpiry = await s.CheckAsync();
        var expired = (await s.Api.GetAsync($"/billing/credits/reservations/{toExpire.Id}")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(25, held.GetProperty("remaining").GetDouble());
        Assert.Equal(75, held.GetProperty("reserved").GetDouble());
        Assert.Equal(100, held.GetProperty("settled").GetDouble());
        Assert.Equal(75, heldCheck.GetProperty("entitlement").GetProperty("credit_reserved").GetDouble());
        Assert.Equal("open", toSettle.Data.GetProperty("status").GetString());
        Assert.Equal(30, toSettle.Data.GetProperty("reserved_amount").GetDouble());
        Assert.Equal("settled", settled.GetProperty("status").GetString());
        Assert.Equal(12, settled.GetProperty("settled_amount").GetDouble());
        Assert.Equal("released", released.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, released.GetProperty("released_at").ValueKind);
        Assert.Equal(100 - 12 - 25, afterEnds.GetProperty("remaining").GetDouble());
        Assert.Equal(25, afterEnds.GetProperty("reserved").GetDouble());
        Assert.Equal(88, afterExpiry.GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
        Assert.Equal(0, afterExpiry.GetProperty("entitlement").GetProperty("credit_reserved").GetDouble());
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        (await s.Api.PutAsync($"/billing/credits/reservations/{toExpire.Id}/release", null)).ShouldFail(HttpStatusCode.Conflict, "expired");
        (await s.Api.PutAsync($"/billing/credits/reservations/{toSettle.Id}/settle", new { amount = 1 })).ShouldFail(HttpStatusCode.Conflict, "settled");
        var open = (await s.ReserveAsync(10)).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PutAsync($"/billing/credits/reservations/{open.Id}/settle", new { amount = 11 })).ShouldFail(HttpStatusCode.BadRequest, "amount");
        Assert.Equal(88, await s.RemainingAsync() + 10);
    }

    [Fact]
    public async Task APostpaidBalanceGoesBelowZeroDownToTheOverdraftLimitAndTheEngineKnows()
    {
        var s = await CreditScenario.CreateAsync(server);
        var set = (await s.Api.PutAsync("/billing/credits/overdraft", new { companyId = s.CompanyId, creditTypeId = s.CreditId, postpaidEnabled = true, overdraftLimit = 10 }))
            .ShouldBe(HttpStatusCode.OK).Data;

        (await s.ConsumeAsync(6)).ShouldBe(HttpStatusCode.OK);
        var owing = await s.CheckAsync();
        (await s.ReserveAsync(5)).ShouldFail(HttpStatusCode.UnprocessableEntity, "amount");
        var hold = (await s.ReserveAsync(4)).ShouldBe(HttpStatusCode.OK);
        var atLimit = await s.CheckAsync();
        (await s.ConsumeAsync(0.5)).ShouldFail(HttpStatusCode.UnprocessableEntity, "amount");
        (await s.Api.PutAsync($"/billing/credits/reservations/{hold.Id}/release", null)).ShouldBe(HttpStatusCode.OK);
        await s.GrantAsync(20);
        var repaid = await s.BalanceAsync();

        Assert.True(set.GetProperty("postpaid_enabled").GetBoolean());
        Assert.Equal(10, set.GetProperty("overdraft_limit").GetDouble());
        Assert.True(owing.GetProperty("value").GetBoolean());
        Assert.Equal(-6, owing.GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
        Assert.False(atLimit.GetProperty("value").GetBoolean());
        Assert.Equal(-10, atLimit.GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
        Assert.Equal(14, repaid.GetProperty("remaining").GetDouble());
        Assert.Equal(20, repaid.GetProperty("total").GetDouble());
    }

    [Fact]
    public async Task APlanGrantCanMakeItsCompaniesPostpaid()
    {
        var s = await CreditScenario.CreateAsync(server);
        (await s.Api.PostAsync("/billing/credits/plan-grants", new
        {
            planId = s.PlanId, creditId = s.CreditId, creditAmount = 4, resetCadence = "monthly", resetStart = "first_of_month", postpaidEnabled = true,
        })).ShouldBe(HttpStatusCode.Created);

        (await s.ConsumeAsync(1000)).ShouldBe(HttpStatusCode.OK);
        var balance = await s.BalanceAsync();

        Assert.Equal(-996, balance.GetProperty("remaining").GetDouble());
        Assert.True(balance.GetProperty("postpaid_enabled").GetBoolean());
        Assert.True((await s.CheckAsync()).GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task APublishableKeyCanNeitherReserveNorCheckAndReserve()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(10);
        var key = (await s.Api.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("key").GetString();
        var browser = server.Api(key);

        (await browser.PostAsync("/flags/ai-gen/check-and-reserve", new { company = Given.Keys(CreditScenario.Company), quantity = 1 }))
            .ShouldFail(HttpStatusCode.Forbidden, "publishable");
        (await browser.PostAsync("/billing/credits/reservations", new { companyId = s.CompanyId, creditTypeId = s.CreditId, amount = 1 }))
            .ShouldFail(HttpStatusCode.Forbidden, "publishable");
        var check = (await browser.PostAsync("/flags/ai-gen/check", new { company = Given.Keys(CreditScenario.Company) })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.True(check.GetProperty("value").GetBoolean());
        Assert.Equal(10, await s.RemainingAsync());
        Assert.Equal(0, (await s.BalanceAsync()).GetProperty("reserved").GetDouble());
    }
}

public sealed class CreditReservationTestsOnSqlite(SqliteServer server) : CreditReservationTests(server), IClassFixture<SqliteServer>;

public sealed class CreditReservationTestsOnPostgres(PostgresServer server) : CreditReservationTests(server), IClassFixture<PostgresServer>;
