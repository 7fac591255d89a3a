using Dapper;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// How many companies each base plan has (migration 47's tallies, kept by triggers in every company write's
/// transaction): the company count, the count on a base plan and the count without one, each a read of a few rows.
/// </summary>
internal sealed class CompanyPlanTallies
{
    /// <summary>
    /// How many tally rows an environment may gather on PostgreSQL (where each write statement appends its change) before
    /// a read folds them into one row per plan.
    /// </summary>
    private const int RowsBeforeFolding = 64;

    private readonly IReadOnlyDictionary<string, long> _byPlan;

    private CompanyPlanTallies(IReadOnlyDictionary<string, long> byPlan) => _byPlan = byPlan;

    /// <summary>Every company of the environment.</summary>
    public long All => _byPlan.Values.Sum();

    /// <summary>The base plans companies are on, with or without a plan of the catalog (a plan deleted since).</summary>
    public IEnumerable<string> BasePlanIds => _byPlan.Where(t => t.Key.Length > 0 && t.Value != 0).Select(t => t.Key);

    /// <summary>The companies on the base plan <paramref name="planId"/>.</summary>
    public long On(string planId) => _byPlan.GetValueOrDefault(planId);

    /// <summary>The companies without a base plan of <paramref name="catalog"/> (none, or one deleted since).</summary>
    public long WithoutPlanOf(CatalogSnapshot catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return All - _byPlan.Where(t => t.Key.Length > 0 && catalog.Plans.ContainsKey(t.Key)).Sum(t => t.Value);
    }

    /// <summary>The environment's tallies, read in one statement.</summary>
    public static async Task<CompanyPlanTallies> ReadAsync(Database database, string environmentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<(string PlanId, long Companies, long Rows)>(new CommandDefinition(
            "SELECT plan_id, SUM(companies), COUNT(*) FROM company_plan_tallies WHERE environment_id = @environmentId GROUP BY plan_id",
            new { environmentId },
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        if (database.Dialect.IsPostgres && rows.Sum(r => r.Rows) > RowsBeforeFolding)
        {
            // One statement: the rows it deletes are the rows whose sums it inserts, so a write committing meanwhile (its
            // rows are not deleted) or another fold (it deletes other rows, or waits and skips those gone) loses nothing.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                WITH folded AS (DELETE FROM company_plan_tallies WHERE environment_id = @environmentId RETURNING plan_id, companies)
                INSERT INTO company_plan_tallies (environment_id, plan_id, companies)
                    SELECT @environmentId, plan_id, SUM(companies) FROM folded GROUP BY plan_id HAVING SUM(companies) <> 0
                """,
                new { environmentId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return new CompanyPlanTallies(rows.ToDictionary(r => r.PlanId, r => r.Companies, StringComparer.Ordinal));
    }
}
