using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Credit types and the validation of every credit write: bad input gets a 4xx naming the field, never a 500.</summary>
public abstract class CreditTypeTests(TollgateFactory server)
{
    [Fact]
    public async Task ACreditTypeIsCreatedReadUpdatedListedCountedAndSoftDeleted()
    {
        var api = await server.NewEnvironmentAsync();

        var created = (await api.PostAsync("/billing/credits", new { name = "AI tokens", description = "For generation", currency = "usd", pluralName = "tokens" }))
            .ShouldBe(HttpStatusCode.Created);
        var other = (await api.PostAsync("/billing/credits", new { name = "Exports" })).ShouldBe(HttpStatusCode.Created);
        var read = (await api.GetAsync($"/billing/credits/{created.Id}")).ShouldBe(HttpStatusCode.OK);
        var updated = (await api.PutAsync($"/billing/credits/{created.Id}", new { name = "AI credits", description = "Renamed" })).ShouldBe(HttpStatusCode.OK);
        var listed = (await api.GetAsync("/billing/credits")).ShouldBe(HttpStatusCode.OK);
        var byName = (await api.GetAsync("/billing/credits?name=export")).ShouldBe(HttpStatusCode.OK);

        Assert.StartsWith("bcrd_", created.Id, StringComparison.Ordinal);
        Assert.Equal(created.Text, read.Text);
        Assert.Equal("AI tokens", read.Data.GetProperty("name").GetString());
        Assert.Equal("tokens", read.Data.GetProperty("plural_name").GetString());
        Assert.Equal("expiration_priority", read.Data.GetProperty("burn_strategy").GetString());
        Assert.Equal("AI credits", updated.Data.GetProperty("name").GetString());
        Assert.Equal("tokens", updated.Data.GetProperty("plural_name").GetString());
        Assert.Equal([created.Id, other.Id], listed.Data.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal([other.Id], byName.Data.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(2, (await api.GetAsync("/billing/credits/count")).Data.GetProperty("count").GetInt64());

        Assert.Equal("""{"data":{"deleted":true},"params":{}}""", (await api.DeleteAsync($"/billing/credits/{created.Id}")).ShouldBe(HttpStatusCode.OK).Text);
        (await api.GetAsync($"/billing/credits/{created.Id}")).ShouldFail(HttpStatusCode.NotFound, "credit not found");
        (await api.DeleteAsync($"/billing/credits/{created.Id}")).ShouldFail(HttpStatusCode.NotFound, "credit not found");
        Assert.Equal(1, (await api.GetAsync("/billing/credits/count")).Data.GetProperty("count").GetInt64());
        var company = await Given.CompanyAsync(api, "acme");
        (await api.PostAsync("/billing/credits/grants/company", new { companyId = company, creditId = created.Id, quantity = 5, reason = "free" }))
            .ShouldFail(HttpStatusCode.BadRequest, "credit_id");
    }

    [Fact]
    public async Task CreditWritesNameTheFieldTheyReject()
    {
        var s = await CreditScenario.CreateAsync(server);
        var api = s.Api;
        var past = server.Time.GetUtcNow().AddMinutes(-1);

        (await api.PostAsync("/billing/credits", new { description = "no name" })).ShouldFail(HttpStatusCode.BadRequest, "name");
        (await api.PostAsync("/billing/credits", new { name = "x", burnStrategy = "random" })).ShouldFail(HttpStatusCode.BadRequest, "burn_strategy");
        (await api.PostAsync("/billing/credits", new { name = "x", defaultExpiryUnitCount = 0 })).ShouldFail(HttpStatusCode.BadRequest, "default_expiry_unit_count");
        (await api.SendRawAsync(HttpMethod.Post, "/billing/credits", """{"name":"x","per_unit_price":"ten"}""")).ShouldFail(HttpStatusCode.BadRequest, "per_unit_price");
        (await api.PutAsync("/billing/credits/bcrd_missing", new { name = "x" })).ShouldFail(HttpStatusCode.NotFound, "credit not found");

        var grant = "/billing/credits/grants/company";
        (await api.PostAsync(grant, new { creditId = s.CreditId, quantity = 5, reason = "free" })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await api.PostAsync(grant, new { companyId = "comp_missing", creditId = s.CreditId, quantity = 5, reason = "free" })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await api.PostAsync(grant, new { companyId = s.CompanyId, quantity = 5, reason = "free" })).ShouldFail(HttpStatusCode.BadRequest, "credit_id");
        (await api.PostAsync(grant, new { companyId = s.CompanyId, creditId = "bcrd_missing", quantity = 5, reason = "free" })).ShouldFail(HttpStatusCode.BadRequest, "credit_id");
        (await api.PostAsync(grant, new { companyId = s.CompanyId, creditId = s.CreditId, quantity = -5, reason = "free" })).ShouldFail(HttpStatusCode.BadRequest, "quantity");
        (await api.PostAsync(grant, new { companyId = s.CompanyId, creditId = s.CreditId, quantity = 5, reason = "gift" })).ShouldFail(HttpStatusCode.BadRequest, "reason");
        (await api.PostAsync(grant, new { companyId = s.CompanyId, creditId = s.CreditId, quantity = 5, reason = "free", expiresAt = past })).ShouldFail(HttpStatusCode.BadRequest, "expires_at");
        (await api.PostAsync(grant, new { companyId = s.CompanyId, creditId = s.CreditId, quantity = 5, reason = "free", note = new string('n', 501) }))
            .ShouldFail(HttpStatusCode.BadRequest, "note");
        (await api.SendRawAsync(HttpMethod.Post, grant, """{"company_id":"x","credit_id":"y","quantity":"lots","reason":"free"}""")).ShouldFail(HttpStatusCode.BadRequest, "quantity");
        (await api.PutAsync("/billing/credits/grants/bcgr_missing/zero-out", new { })).ShouldFail(HttpStatusCode.NotFound, "grant not found");

        var planGrants = "/billing/credits/plan-grants";
        (await api.PostAsync(planGrants, new { creditId = s.CreditId, creditAmount = 5 })).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await api.PostAsync(planGrants, new { planId = "plan_missing", creditId = s.CreditId, creditAmount = 5 })).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await api.PostAsync(planGrants, new { planId = s.PlanId, creditAmount = 5 })).ShouldFail(HttpStatusCode.BadRequest, "credit_id");
        (await api.PostAsync(planGrants, new { planId = s.PlanId, creditId = s.CreditId, creditAmount = 0 })).ShouldFail(HttpStatusCode.BadRequest, "credit_amount");
        (await api.PostAsync(planGrants, new { planId = s.PlanId, creditId = s.CreditId, creditAmount = 5, resetCadence = "hourly" })).ShouldFail(HttpStatusCode.BadRequest, "reset_cadence");
        (await api.PostAsync(planGrants, new { planId = s.PlanId, creditId = s.CreditId, creditAmount = 5, resetStart = "whenever" })).ShouldFail(HttpStatusCode.BadRequest, "reset_start");
        (await api.PostAsync(planGrants, new { planId = s.PlanId, creditId = s.CreditId, creditAmount = 5, postpaidEnabled = true, overdraftLimit = -1 }))
            .ShouldFail(HttpStatusCode.BadRequest, "overdraft_limit");

        var reservations = "/billing/credits/reservations";
        (await api.PostAsync(reservations, new { companyId = s.CompanyId, creditTypeId = s.CreditId })).ShouldFail(HttpStatusCode.BadRequest, "amount");
        (await api.PostAsync(reservations, new { companyId = s.CompanyId, amount = 1 })).ShouldFail(HttpStatusCode.BadRequest, "credit_type_id");
        (await api.PostAsync(reservations, new { companyId = s.CompanyId, creditTypeId = s.CreditId, amount = 1, expiresAt = past })).ShouldFail(HttpStatusCode.BadRequest, "expires_at");
        (await api.PostAsync(reservations, new { companyId = s.CompanyId, creditTypeId = s.CreditId, amount = 1 })).ShouldFail(HttpStatusCode.UnprocessableEntity, "amount");
        (await api.PutAsync("/billing/credits/reservations/crsv_missing/release", null)).ShouldFail(HttpStatusCode.NotFound, "reservation not found");
        (await api.PutAsync("/billing/credits/reservations/crsv_missing/settle", new { amount = -1 })).ShouldFail(HttpStatusCode.BadRequest, "amount");

        (await api.GetAsync("/billing/credits/balance")).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await api.GetAsync("/billing/credits/balance?company_id=comp_missing")).ShouldFail(HttpStatusCode.NotFound, "company not found");
        (await api.PutAsync("/billing/credits/overdraft", new { companyId = s.CompanyId, creditTypeId = s.CreditId })).ShouldFail(HttpStatusCode.BadRequest, "postpaid_enabled");
        (await api.PostAsync("/billing/credits/consume", new { companyId = s.CompanyId, creditTypeId = s.CreditId, amount = 0 })).ShouldFail(HttpStatusCode.BadRequest, "amount");
        (await api.GetAsync("/v2/billing/credits/ledger?limit=0")).ShouldFail(HttpStatusCode.BadRequest, "limit");
        (await s.CheckAndReserveAsync(quantity: -1)).ShouldFail(HttpStatusCode.BadRequest, "quantity");
        (await api.PostAsync("/flags/no-such-flag/check-and-reserve", new { company = Given.Keys(CreditScenario.Company) })).ShouldFail(HttpStatusCode.NotFound, "flag");
    }
}

public sealed class CreditTypeTestsOnSqlite(SqliteServer server) : CreditTypeTests(server), IClassFixture<SqliteServer>;

public sealed class CreditTypeTestsOnPostgres(PostgresServer server) : CreditTypeTests(server), IClassFixture<PostgresServer>;
