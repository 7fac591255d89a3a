using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Company overrides: kept, listed, changed and deleted; and they stop applying the instant they expire.</summary>
public abstract class OverrideTests(TollgateFactory server)
{
    [Fact]
    public async Task AnOverrideIsCreatedReadUpdatedAndDeleted()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("acme", s.Pro, seats: 1);
        var expires = server.Time.GetUtcNow().AddDays(30);

        var created = (await s.Api.PostAsync("/company-overrides", new
        {
            companyId = company, featureId = s.ApiCalls, valueType = "numeric", valueNumeric = 5000, metricPeriod = "current_month", expirationDate = expires, note = "Launch week",
        })).ShouldBe(HttpStatusCode.Created);
        var read = (await s.Api.GetAsync($"/company-overrides/{created.Id}")).ShouldBe(HttpStatusCode.OK);
        var updated = (await s.Api.PutAsync($"/company-overrides/{created.Id}", new { valueType = "numeric", valueNumeric = 6000, metricPeriod = "current_month", note = "Extended" }))
            .ShouldBe(HttpStatusCode.OK);

        Assert.StartsWith("cmov_", created.Id, StringComparison.Ordinal);
        Assert.Equal(created.Text, read.Text);
        Assert.Equal(company, read.Data.GetProperty("company_id").GetString());
        Assert.Equal(s.ApiCalls, read.Data.GetProperty("feature_id").GetString());
        Assert.Equal(5000, read.Data.GetProperty("value_numeric").GetInt64());
        Assert.Equal(expires, read.Data.GetProperty("expiration_date").GetDateTimeOffset());
        Assert.Equal("Launch week", read.Data.GetProperty("note").GetString());
        Assert.Equal(6000, updated.Data.GetProperty("value_numeric").GetInt64());
        Assert.Equal(s.ApiCalls, updated.Data.GetProperty("feature_id").GetString());
        Assert.Equal(JsonValueKind.Null, updated.Data.GetProperty("expiration_date").ValueKind);
        Assert.Equal(6000, (await s.CheckAsync("api-calls", "acme")).GetProperty("feature_allocation").GetInt64());

        Assert.Equal("""{"data":{"deleted":true},"params":{}}""", (await s.Api.DeleteAsync($"/company-overrides/{created.Id}")).ShouldBe(HttpStatusCode.OK).Text);
        (await s.Api.GetAsync($"/company-overrides/{created.Id}")).ShouldFail(HttpStatusCode.NotFound, "company override not found");
        (await s.Api.DeleteAsync($"/company-overrides/{created.Id}")).ShouldFail(HttpStatusCode.NotFound, "company override not found");
        Assert.Equal(1000, (await s.CheckAsync("api-calls", "acme")).GetProperty("feature_allocation").GetInt64());
    }

    [Fact]
    public async Task OverridesAreListedPerCompanyAndInPages()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 1);
        var globex = await s.CompanyAsync("globex", s.Starter, seats: 1);
        var a1 = await Given.OverrideAsync(s.Api, new { companyId = acme, featureId = s.Sso, valueType = "boolean", valueBool = false });
        var g1 = await Given.OverrideAsync(s.Api, new { companyId = globex, featureId = s.Sso, valueType = "boolean", valueBool = true });
        var a2 = await Given.OverrideAsync(s.Api, new { companyId = acme, featureId = s.Seats, valueType = "unlimited" });

        var ofAcme = (await s.Api.GetAsync($"/company-overrides?company_id={acme}")).ShouldBe(HttpStatusCode.OK);
        var page = (await s.Api.GetAsync("/company-overrides?limit=2&offset=1")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal([a1, a2], ofAcme.Data.EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        Assert.Equal([g1, a2], page.Data.EnumerateArray().Select(o => o.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task AnOverrideNeedsAnExistingCompanyAndFeature()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("acme", s.Pro, seats: 1);

        (await s.Api.PostAsync("/company-overrides", new { featureId = s.Sso, valueType = "boolean", valueBool = true })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await s.Api.PostAsync("/company-overrides", new { companyId = "comp_missing", featureId = s.Sso, valueType = "boolean", valueBool = true })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await s.Api.PostAsync("/company-overrides", new { companyId = company, valueType = "boolean", valueBool = true })).ShouldFail(HttpStatusCode.BadRequest, "feature_id");
        (await s.Api.PostAsync("/company-overrides", new { companyId = company, featureId = s.Sso })).ShouldFail(HttpStatusCode.BadRequest, "value_type");
        (await s.Api.PostAsync("/company-overrides", new { companyId = company, featureId = s.Sso, valueType = "boolean" })).ShouldFail(HttpStatusCode.BadRequest, "value_bool");
        (await s.Api.PostAsync("/company-overrides", new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = true, note = new string('n', 501) }))
            .ShouldFail(HttpStatusCode.BadRequest, "note");
        (await s.Api.PutAsync("/company-overrides/cmov_missing", new { valueType = "unlimited" })).ShouldFail(HttpStatusCode.NotFound, "company override not found");
        Assert.Equal(0, (await s.Api.GetAsync("/company-overrides")).Data.GetArrayLength());
    }

    [Fact]
    public async Task AnOverrideStopsApplyingTheInstantItExpiresWithoutAnyWrite()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("expiring", s.Pro, seats: 4);
        var expires = server.Time.GetUtcNow().AddHours(1);
        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = false, expirationDate = expires });

        var before = await s.CheckAsync("sso", "expiring");
        server.Time.SetUtcNow(expires.AddMilliseconds(-50));
        var justBefore = await s.CheckAsync("sso", "expiring");
        server.Time.SetUtcNow(expires.AddSeconds(1));
        var after = await s.CheckAsync("sso", "expiring");

        Assert.False(before.GetProperty("value").GetBoolean());
        Assert.Equal("company_override", before.GetProperty("rule_type").GetString());
        Assert.False(justBefore.GetProperty("value").GetBoolean());
        Assert.True(after.GetProperty("value").GetBoolean());
        Assert.Equal("plan_entitlement", after.GetProperty("rule_type").GetString());
        Assert.Equal($"Matched plan entitlement rule \"Pro\" ({s.ProSso})", after.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AnExpiredNumericOverrideGivesWayToThePlansLimit()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("promo", s.Pro, seats: 20);
        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Seats, valueType = "numeric", valueNumeric = 25, expirationDate = server.Time.GetUtcNow().AddHours(1) });
        var during = await s.CheckAsync("seats", "promo");
        var all = (await s.Api.PostAsync("/flags/check", new { company = Given.Keys("promo") })).ShouldBe(HttpStatusCode.OK);

        server.Time.Advance(TimeSpan.FromHours(2));
        var afterwards = await s.CheckAsync("seats", "promo");
        var allAfterwards = (await s.Api.PostAsync("/flags/check", new { company = Given.Keys("promo") })).ShouldBe(HttpStatusCode.OK);

        static long SeatAllocation(ApiResponse r) =>
            r.Data.GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("flag").GetString() == "seats").GetProperty("feature_allocation").GetInt64();
        Assert.True(during.GetProperty("value").GetBoolean());
        Assert.Equal(25, during.GetProperty("feature_allocation").GetInt64());
        Assert.Equal(25, SeatAllocation(all));
        Assert.False(afterwards.GetProperty("value").GetBoolean());
        Assert.Equal(10, afterwards.GetProperty("feature_allocation").GetInt64());
        Assert.Equal("plan_entitlement_usage_exceeded", afterwards.GetProperty("rule_type").GetString());
        Assert.Equal(10, SeatAllocation(allAfterwards));
    }

    [Fact]
    public async Task AnOverrideThatHasAlreadyExpiredNeverApplies()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("late", s.Pro, seats: 1);

        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = false, expirationDate = server.Time.GetUtcNow().AddMinutes(-1) });

        Assert.True((await s.CheckAsync("sso", "late")).GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task OfTwoOverridesTheOneThatExpiresFirstStopsFirst()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("layered", s.Starter, seats: 5);
        var now = server.Time.GetUtcNow();
        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = true, expirationDate = now.AddHours(1) });
        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Seats, valueType = "numeric", valueNumeric = 6, expirationDate = now.AddHours(3) });

        server.Time.SetUtcNow(now.AddHours(2));
        var sso = await s.CheckAsync("sso", "layered");
        var seats = await s.CheckAsync("seats", "layered");
        server.Time.SetUtcNow(now.AddHours(4));
        var seatsLater = await s.CheckAsync("seats", "layered");

        Assert.False(sso.GetProperty("value").GetBoolean());
        Assert.True(seats.GetProperty("value").GetBoolean());
        Assert.False(seatsLater.GetProperty("value").GetBoolean());
        Assert.Equal(3, seatsLater.GetProperty("feature_allocation").GetInt64());
    }
}

public sealed class OverrideTestsOnSqlite(SqliteServer server) : OverrideTests(server), IClassFixture<SqliteServer>;

public sealed class OverrideTestsOnPostgres(PostgresServer server) : OverrideTests(server), IClassFixture<PostgresServer>;
