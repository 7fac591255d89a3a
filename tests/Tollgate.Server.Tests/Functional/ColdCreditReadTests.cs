using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Credits;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// A cold company's credit reads (<see cref="CompanyCredits.ReadIn"/>, <see cref="PlanGrantIssuer.RowsIn"/>) go past its
/// balance rows only when it has some (<see cref="CompanyCredits.HasBalances"/>): a company with credits gets its grants,
/// holds and plan-grant rows as before; one without gets none, and on PostgreSQL the grant and hold tables are not read.
/// </summary>
public abstract class ColdCreditReadTests(TollgateFactory server)
{
    protected Database Database => server.Services.GetRequiredService<Database>();

    [Fact]
    public async Task ACompanyWithBalancesGetsItsGrantsHoldsAndPlanGrantRowsAndOneWithoutGetsNone()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(10);
        await PlanGrantAsync(s, 5);
        (await s.ReserveAsync(3)).ShouldBe(HttpStatusCode.OK);
        var other = await Given.CompanyAsync(s.Api, "globex", s.PlanId);

        var withCredits = await ReadAsync(s.Api.EnvironmentId!, s.CompanyId);
        var without = await ReadAsync(s.Api.EnvironmentId!, other);

        Assert.Equal(2, withCredits.Credits.Grants.Count);
        Assert.Equal([5.0, 10.0], withCredits.Credits.Grants.Select(g => g.Quantity).Order());
        Assert.Equal(3, Assert.Single(withCredits.Credits.Holds).Amount);
        Assert.Single(withCredits.Credits.Balances);
        Assert.Equal(1, withCredits.PlanGrantRows);
        Assert.Empty(without.Credits.Balances);
        Assert.Empty(without.Credits.Grants);
        Assert.Empty(without.Credits.Holds);
        Assert.Equal(0, without.PlanGrantRows);
    }

    /// <summary>A monthly plan credit grant of Pro: the company on Pro is issued its current period's grant on its next read.</summary>
    private static async Task PlanGrantAsync(CreditScenario s, double amount)
    {
        (await s.Api.PostAsync("/billing/credits/plan-grants", new
        {
            planId = s.PlanId, creditId = s.CreditId, creditAmount = amount, resetCadence = "monthly", resetStart = "first_of_month",
        })).ShouldBe(HttpStatusCode.Created);
        await s.RemainingAsync();
    }

    private async Task<(CompanyCredits Credits, int PlanGrantRows)> ReadAsync(string environmentId, string companyId)
    {
        using var batch = new ReadBatch();
        var issued = PlanGrantIssuer.RowsIn(batch, environmentId, companyId);
        var credits = CompanyCredits.ReadIn(batch, environmentId, companyId);
        await batch.RunAsync(Database, CancellationToken.None);
        return (await credits(null), (await issued).Count);
    }
}

public sealed class ColdCreditReadTestsOnSqlite(SqliteServer server) : ColdCreditReadTests(server), IClassFixture<SqliteServer>;

public sealed class ColdCreditReadTestsOnPostgres(PostgresServer server) : ColdCreditReadTests(server), IClassFixture<PostgresServer>
{
    /// <summary>
    /// The plan of each read for a company without balances: the balance key's index is looked at once, and the scan of
    /// the grants (or holds) is never run, so a cold load on a store larger than memory reads no page of it.
    /// </summary>
    [Fact]
    public async Task WithoutBalancesTheGrantHoldAndPlanGrantReadsNeverRunTheirScan()
    {
        foreach (var sql in new[] { CompanyCredits.GrantsOf("@e", "@c"), CompanyCredits.HoldsOf("@e", "@c"), PlanGrantIssuer.IssuedRowsOf("@e", "@c") })
        {
            await using var connection = await Database.OpenAsync(CancellationToken.None);
            var plan = string.Join(
                "\n", await connection.QueryAsync<string>("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, new { e = "env_none", c = "comp_none" }));

            Assert.Contains("One-Time Filter", plan, StringComparison.Ordinal);
            Assert.Contains("credit_balances", plan, StringComparison.Ordinal);
            Assert.Contains("(never executed)", plan, StringComparison.Ordinal);
        }
    }
}
