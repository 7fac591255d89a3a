using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Credits;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>The consumption API other write paths (usage ingestion) call: burns inside their transaction, and the burns a tracked event costs.</summary>
public abstract class CreditConsumptionTests(TollgateFactory server)
{
    [Fact]
    public async Task ATrackedEventOfACreditFeatureBurnsQuantityTimesTheRateInsideTheCallersTransaction()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(10);
        var environmentId = s.Api.EnvironmentId!;
        var runtime = server.Services.GetRequiredService<RuntimeRegistry>().For(environmentId);
        var ledger = server.Services.GetRequiredService<CreditLedger>();
        var database = server.Services.GetRequiredService<Database>();
        var catalog = await runtime.CatalogAsync(CancellationToken.None);
        var company = (await runtime.FindCompanyAsync(Given.Keys(CreditScenario.Company), CancellationToken.None))!;

        var burns = CreditBurns.For(catalog, company, "ai_generation", 3, server.Time.GetUtcNow());
        var unrelated = CreditBurns.For(catalog, company, "page_view", 3, server.Time.GetUtcNow());
        var burnt = await database.WriteAsync(
            (connection, transaction) => ledger.ConsumeAsync(connection, transaction, environmentId, s.CompanyId, burns[0].CreditTypeId, burns[0].Amount, "track", "evt_1", strict: false),
            CancellationToken.None);
        await server.Services.GetRequiredService<ChangeFeed>().PublishAsync(new Change(environmentId, ChangeKind.Credits, [s.CompanyId]));
        var afterBurn = await s.CheckAsync();

        var refused = await database.WriteAsync(
            (connection, transaction) => ledger.ConsumeAsync(connection, transaction, environmentId, s.CompanyId, s.CreditId, 5, "track", "evt_2", strict: true),
            CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => database.WriteAsync<bool>(
            async (connection, transaction) =>
            {
                await ledger.ConsumeAsync(connection, transaction, environmentId, s.CompanyId, s.CreditId, 1, "track", "evt_3", strict: true);
                throw new InvalidOperationException("the caller's write failed");
            },
            CancellationToken.None));
        var forced = await database.WriteAsync(
            (connection, transaction) => ledger.ConsumeAsync(connection, transaction, environmentId, s.CompanyId, s.CreditId, 10, "track", "evt_4", strict: false),
            CancellationToken.None);
        await server.Services.GetRequiredService<ChangeFeed>().PublishAsync(new Change(environmentId, ChangeKind.Credits, [s.CompanyId]));

        var burn = Assert.Single(burns);
        Assert.Equal(s.FeatureId, burn.FeatureId);
        Assert.Equal(s.CreditId, burn.CreditTypeId);
        Assert.Equal(3 * CreditScenario.Rate, burn.Amount);
        Assert.Empty(unrelated);
        Assert.True(burnt);
        Assert.Equal(4, afterBurn.GetProperty("entitlement").GetProperty("credit_remaining").GetDouble());
        Assert.False(refused);
        Assert.True(forced);
        Assert.Equal(-6, await s.RemainingAsync());
        var consumed = (await s.LedgerAsync()).Where(e => e.GetProperty("movement").GetString() == "consume").ToList();
        Assert.Equal(["evt_1", "evt_4"], consumed.Select(e => e.GetProperty("source_ref").GetString()));
        Assert.Equal("usage", consumed[0].GetProperty("event_type").GetString());
    }

    [Fact]
    public async Task ConsumingForAnEventBurnsEveryCreditEntitlementThatCountsItsSubtype()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(10);
        var environmentId = s.Api.EnvironmentId!;
        var runtime = server.Services.GetRequiredService<RuntimeRegistry>().For(environmentId);
        var ledger = server.Services.GetRequiredService<CreditLedger>();
        var database = server.Services.GetRequiredService<Database>();
        var catalog = await runtime.CatalogAsync(CancellationToken.None);
        var company = (await runtime.FindCompanyAsync(Given.Keys(CreditScenario.Company), CancellationToken.None))!;

        var burns = await database.WriteAsync(
            (connection, transaction) => ledger.ConsumeForEventAsync(connection, transaction, catalog, company, "ai_generation", 5, "evt_9"), CancellationToken.None);
        var none = await database.WriteAsync(
            (connection, transaction) => ledger.ConsumeForEventAsync(connection, transaction, catalog, company, "page_view", 4, "evt_10"), CancellationToken.None);
        await server.Services.GetRequiredService<ChangeFeed>().PublishAsync(new Change(environmentId, ChangeKind.Credits, [s.CompanyId]));

        Assert.Equal(10, Assert.Single(burns).Amount);
        Assert.Empty(none);
        Assert.Equal(0, await s.RemainingAsync());
        Assert.False((await s.CheckAsync()).GetProperty("value").GetBoolean());
    }
}

public sealed class CreditConsumptionTestsOnSqlite(SqliteServer server) : CreditConsumptionTests(server), IClassFixture<SqliteServer>;

public sealed class CreditConsumptionTestsOnPostgres(PostgresServer server) : CreditConsumptionTests(server), IClassFixture<PostgresServer>;
