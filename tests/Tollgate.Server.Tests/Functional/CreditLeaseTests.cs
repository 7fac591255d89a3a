using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Credits;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Credit leases: acquired and extended up to what the balance allows; tracked usage is burnt when they end, the rest returns.</summary>
public abstract class CreditLeaseTests(TollgateFactory server)
{
    [Fact]
    public async Task ALeaseGrantsWhatTheBalanceAllowsAndBurnsOnlyWhatWasTrackedOnIt()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(50);
        var environmentId = s.Api.EnvironmentId!;
        var ledger = server.Services.GetRequiredService<CreditLedger>();
        var database = server.Services.GetRequiredService<Database>();

        var lease = (await s.Api.PostAsync("/billing/credits/lease", new { companyId = s.CompanyId, creditTypeId = s.CreditId, requestedAmount = 30 }))
            .ShouldBe(HttpStatusCode.OK).Data;
        var id = lease.GetProperty("id").GetString()!;
        var extended = (await s.Api.PutAsync($"/billing/credits/lease/{id}/extend", new { additionalAmount = 40, idempotencyKey = "top-up-1" })).ShouldBe(HttpStatusCode.OK).Data;
        var again = (await s.Api.PutAsync($"/billing/credits/lease/{id}/extend", new { additionalAmount = 40, idempotencyKey = "top-up-1" })).ShouldBe(HttpStatusCode.OK).Data;
        var tracked = await database.WriteAsync(
            (connection, transaction) => ledger.TrackOnLeaseAsync(connection, transaction, environmentId, id, 12, "evt_1"), CancellationToken.None);
        await server.Services.GetRequiredService<ChangeFeed>().PublishAsync(new Change(environmentId, ChangeKind.Credits, [s.CompanyId]));
        var held = await s.BalanceAsync();
        var released = (await s.Api.PutAsync($"/billing/credits/lease/{id}/release", null)).ShouldBe(HttpStatusCode.OK).Data;

        Assert.StartsWith("crls_", id, StringComparison.Ordinal);
        Assert.Equal(30, lease.GetProperty("granted_amount").GetDouble());
        Assert.Equal(0, lease.GetProperty("tracked_amount").GetDouble());
        Assert.Equal(50, extended.GetProperty("granted_amount").GetDouble());
        Assert.Equal(50, again.GetProperty("granted_amount").GetDouble());
        Assert.True(tracked);
        Assert.Equal(0, held.GetProperty("remaining").GetDouble());
        Assert.Equal(50, held.GetProperty("reserved").GetDouble());
        Assert.Equal(12, released.GetProperty("tracked_amount").GetDouble());
        Assert.Equal("released", released.GetProperty("status").GetString());
        Assert.Equal(38, await s.RemainingAsync());
        (await s.Api.PutAsync($"/billing/credits/lease/{id}/release", null)).ShouldFail(HttpStatusCode.Conflict, "lease");
        (await s.Api.PostAsync("/billing/credits/lease", new { companyId = s.CompanyId, creditTypeId = s.CreditId, requestedAmount = 0 })).ShouldFail(HttpStatusCode.BadRequest, "requested_amount");
        (await s.Api.PutAsync("/billing/credits/lease/crls_missing/release", null)).ShouldFail(HttpStatusCode.NotFound, "lease not found");
    }

    [Fact]
    public async Task AnExpiredLeaseBurnsItsTrackedUsageAndReturnsTheRestWithoutAnyWrite()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(20);
        var environmentId = s.Api.EnvironmentId!;
        var ledger = server.Services.GetRequiredService<CreditLedger>();
        var database = server.Services.GetRequiredService<Database>();
        var expires = server.Time.GetUtcNow().AddMinutes(1);
        var id = (await s.Api.PostAsync("/billing/credits/lease", new { companyId = s.CompanyId, creditTypeId = s.CreditId, requestedAmount = 15, expiresAt = expires }))
            .ShouldBe(HttpStatusCode.OK).Id;
        await database.WriteAsync((connection, transaction) => ledger.TrackOnLeaseAsync(connection, transaction, environmentId, id, 4, "evt_1"), CancellationToken.None);
        await server.Services.GetRequiredService<ChangeFeed>().PublishAsync(new Change(environmentId, ChangeKind.Credits, [s.CompanyId]));
        var during = await s.CheckAsync();

        server.Time.SetUtcNow(expires.AddSeconds(1));
        var after = await s.CheckAsync();
        var ledgerRows = await s.LedgerAsync();
        var balance = await s.BalanceAsync();

        Assert.Equal(5, during.GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
        Assert.Equal(16, after.GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
        Assert.Equal(0, after.GetProperty("entitlement").GetProperty("credit_reserved").GetDouble());
        Assert.Equal(16, balance.GetProperty("remaining").GetDouble());
        Assert.Equal(balance.GetProperty("remaining").GetDouble(), ledgerRows.Sum(e => e.GetProperty("remaining_delta").GetDouble()));
        Assert.Equal("expired", (await s.Api.GetAsync($"/billing/credits/lease/{id}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ALeaseOnAnEmptyBalanceIsRefused()
    {
        var s = await CreditScenario.CreateAsync(server);

        (await s.Api.PostAsync("/billing/credits/lease", new { companyId = s.CompanyId, creditTypeId = s.CreditId, requestedAmount = 5 }))
            .ShouldFail(HttpStatusCode.UnprocessableEntity, "requested_amount");
    }
}

public sealed class CreditLeaseTestsOnSqlite(SqliteServer server) : CreditLeaseTests(server), IClassFixture<SqliteServer>;

public sealed class CreditLeaseTestsOnPostgres(PostgresServer server) : CreditLeaseTests(server), IClassFixture<PostgresServer>;
