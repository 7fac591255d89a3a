using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Insights;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Insights;

/// <summary>
/// Migration 50's tallies (signal rows per kind, paying insight rows and their MRR per currency, credit grants per
/// environment) answer the summary and the signal counts without counting rows per request. Whatever writes the rows,
/// in multi-row or single-row statements, inserts, moves between tallies or deletes, each tally must equal the
/// <c>COUNT(*)</c> (and <c>SUM</c>) of its rows.
/// </summary>
public abstract class InsightTallyTests(TollgateFactory server)
{
    [Fact]
    public async Task EachTallyEqualsTheCountOfItsRowsAfterInsertsMovesAndDeletes()
    {
        var api = await server.NewEnvironmentAsync();
        var environmentId = api.EnvironmentId!;
        var database = server.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var parameters = new { environmentId };

        // Inserts: one multi-row statement of several kinds and currencies, then single rows.
        await connection.ExecuteAsync(
            """
            INSERT INTO company_signals (environment_id, company_id, kind, score, reason, evidence, refreshed_at) VALUES
                (@environmentId, 'a', 'expansion', 1, 'r', '{}', 0), (@environmentId, 'b', 'expansion', 2, 'r', '{}', 0),
                (@environmentId, 'c', 'expansion', 3, 'r', '{}', 0), (@environmentId, 'a', 'over-users', 1, 'r', '{}', 0);
            INSERT INTO company_signals (environment_id, company_id, kind, score, reason, evidence, refreshed_at) VALUES (@environmentId, 'd', 'at-risk', 1, 'r', '{}', 0);
            INSERT INTO company_insights (environment_id, company_id, mrr, currency, created_at, refreshed_at) VALUES
                (@environmentId, 'a', 4900, 'usd', 0, 0), (@environmentId, 'b', 1000, 'usd', 0, 0), (@environmentId, 'c', 700, 'eur', 0, 0),
                (@environmentId, 'd', NULL, NULL, 0, 0), (@environmentId, 'e', 0, 'usd', 0, 0);
            INSERT INTO company_insights (environment_id, company_id, mrr, currency, created_at, refreshed_at) VALUES (@environmentId, 'f', 300, NULL, 0, 0);
            INSERT INTO credit_grants (environment_id, id, company_id, credit_type_id, quantity, remaining, reason, valid_from, created_at, updated_at) VALUES
                (@environmentId, 'g1', 'a', 'tokens', 5, 5, 'free', 0, 0, 0), (@environmentId, 'g2', 'b', 'tokens', 5, 5, 'free', 0, 0, 0),
                (@environmentId, 'g3', 'b', 'minutes', 5, 5, 'free', 0, 0, 0);
            """,
            parameters);
        await AssertTalliesEqualCountsAsync(connection, environmentId, signals: 5, paying: 4, grants: 3);

        // Moves: a signal to another kind; paying rows to another amount, another currency, to nothing and back to paying;
        // an upsert as the refresher writes insight rows (ON CONFLICT … DO UPDATE).
        await connection.ExecuteAsync(
            """
            UPDATE company_signals SET kind = 'under-users' WHERE environment_id = @environmentId AND company_id = 'b' AND kind = 'expansion';
            UPDATE company_insights SET mrr = 5900 WHERE environment_id = @environmentId AND company_id = 'a';
            UPDATE company_insights SET currency = 'eur' WHERE environment_id = @environmentId AND company_id = 'b';
            UPDATE company_insights SET mrr = 0 WHERE environment_id = @environmentId AND company_id = 'c';
            UPDATE company_insights SET mrr = 200, currency = 'usd' WHERE environment_id = @environmentId AND company_id = 'd';
            INSERT INTO company_insights (environment_id, company_id, mrr, currency, created_at, refreshed_at) VALUES
                (@environmentId, 'e', 800, 'usd', 0, 0), (@environmentId, 'f', NULL, NULL, 0, 0), (@environmentId, 'h', 100, 'gbp', 0, 0)
                ON CONFLICT (environment_id, company_id) DO UPDATE SET mrr = excluded.mrr, currency = excluded.currency;
            """,
            parameters);
        await AssertTalliesEqualCountsAsync(connection, environmentId, signals: 5, paying: 5, grants: 3);

        // Deletes: some rows, then every row of the environment.
        await connection.ExecuteAsync(
            """
            DELETE FROM company_signals WHERE environment_id = @environmentId AND company_id IN ('a', 'd');
            DELETE FROM company_insights WHERE environment_id = @environmentId AND company_id IN ('a', 'h');
            DELETE FROM credit_grants WHERE environment_id = @environmentId AND id = 'g2';
            """,
            parameters);
        await AssertTalliesEqualCountsAsync(connection, environmentId, signals: 2, paying: 3, grants: 2);
        await connection.ExecuteAsync(
            """
            DELETE FROM company_signals WHERE environment_id = @environmentId;
            DELETE FROM company_insights WHERE environment_id = @environmentId;
            DELETE FROM credit_grants WHERE environment_id = @environmentId;
            """,
            parameters);
        await AssertTalliesEqualCountsAsync(connection, environmentId, signals: 0, paying: 0, grants: 0);
    }

    [Fact]
    public async Task TheSummaryAndTheSignalCountsAnswerFromTheTalliesAsTheRowsCount()
    {
        var api = await server.NewEnvironmentAsync();
        var environmentId = api.EnvironmentId!;
        var database = server.Services.GetRequiredService<Database>();

        // The environment's own rebuild (a new environment asks for one) is over before rows of companies it does not have are written.
        await server.Services.GetRequiredService<InsightRefresher>().CatchUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            // Rows as the refresher and the credit book write them, for companies the routes need not know.
            await connection.ExecuteAsync(
                """
                INSERT INTO company_signals (environment_id, company_id, kind, score, reason, evidence, refreshed_at) VALUES
                    (@environmentId, 'a', 'expansion', 1, 'r', '{}', 0), (@environmentId, 'b', 'expansion', 2, 'r', '{}', 0),
                    (@environmentId, 'a', 'over-users', 1, 'r', '{}', 0);
                INSERT INTO company_insights (environment_id, company_id, mrr, currency, created_at, refreshed_at) VALUES
                    (@environmentId, 'a', 4900, 'usd', 0, 0), (@environmentId, 'b', 1000, 'usd', 0, 0), (@environmentId, 'c', 700, 'eur', 0, 0);
                INSERT INTO credit_grants (environment_id, id, company_id, credit_type_id, quantity, remaining, reason, valid_from, created_at, updated_at) VALUES
                    (@environmentId, 'g1', 'a', 'tokens', 5, 5, 'free', 0, 0, 0), (@environmentId, 'g2', 'b', 'tokens', 5, 5, 'free', 0, 0, 0);
                """,
                new { environmentId });
        }

        Assert.Equal(2L, (await api.GetAsync("/insights/signals/expansion/count")).ShouldBe(System.Net.HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(1L, (await api.GetAsync("/insights/signals/over-users/count")).ShouldBe(System.Net.HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(0L, (await api.GetAsync("/insights/signals/at-risk/count")).ShouldBe(System.Net.HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        var summary = (await api.GetAsync("/insights/summary")).ShouldBe(System.Net.HttpStatusCode.OK).Data;
        Assert.Equal(3L, summary.GetProperty("paid_companies").GetInt64());
        Assert.Equal(2L, summary.GetProperty("active_credits").GetInt64());
        Assert.Equal(
            [("eur", 700L), ("usd", 5900L)],
            summary.GetProperty("mrr").EnumerateArray().Select(m => (m.GetProperty("currency").GetString()!, m.GetProperty("amount").GetInt64())));
        Assert.Equal(2L, (await api.GetAsync("/billing/credits/grants/count")).ShouldBe(System.Net.HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
    }

    /// <summary>Each tally of the environment against the count (and sum) of its rows; the expected counts guard against both being empty.</summary>
    private static async Task AssertTalliesEqualCountsAsync(System.Data.Common.DbConnection connection, string environmentId, int signals, int paying, int grants)
    {
        var parameters = new { environmentId };
        var signalCounts = (await connection.QueryAsync<(string, long)>(
            "SELECT kind, COUNT(*) FROM company_signals WHERE environment_id = @environmentId GROUP BY kind ORDER BY kind", parameters)).ToList();
        var signalTallies = (await connection.QueryAsync<(string, long)>(
            "SELECT kind, companies FROM company_signal_tallies WHERE environment_id = @environmentId AND companies <> 0 ORDER BY kind", parameters)).ToList();
        Assert.Equal(signalCounts, signalTallies);
        Assert.Equal(signals, signalCounts.Sum(c => c.Item2));

        var revenueCounts = (await connection.QueryAsync<(string, long, long)>(
            """
            SELECT COALESCE(currency, ''), COUNT(*), CAST(SUM(mrr) AS BIGINT) FROM company_insights WHERE environment_id = @environmentId AND mrr > 0
            GROUP BY COALESCE(currency, '') ORDER BY COALESCE(currency, '')
            """,
            parameters)).ToList();
        var revenueTallies = (await connection.QueryAsync<(string, long, long)>(
            "SELECT currency, paying, mrr FROM company_insight_revenue WHERE environment_id = @environmentId AND (paying <> 0 OR mrr <> 0) ORDER BY currency", parameters)).ToList();
        Assert.Equal(revenueCounts, revenueTallies);
        Assert.Equal(paying, revenueCounts.Sum(c => c.Item2));

        var grantCount = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM credit_grants WHERE environment_id = @environmentId", parameters);
        var grantTotal = await connection.ExecuteScalarAsync<long?>("SELECT grants FROM credit_grant_totals WHERE environment_id = @environmentId", parameters) ?? 0;
        Assert.Equal(grantCount, grantTotal);
        Assert.Equal(grants, grantCount);
    }
}

public sealed class InsightTallyTestsOnSqlite(SqliteServer server) : InsightTallyTests(server), IClassFixture<SqliteServer>;

public sealed class InsightTallyTestsOnPostgres(PostgresServer server) : InsightTallyTests(server), IClassFixture<PostgresServer>;
