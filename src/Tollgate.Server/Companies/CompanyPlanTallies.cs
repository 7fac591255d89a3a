using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// How many companies each base plan has (migration 47's tallies, kept by triggers in every company write's
/// transaction): the company count, the count on a base plan and the count without one, each a read of a few rows.
/// </summary>
internal sealed class CompanyPlanTallies
{
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
        return new CompanyPlanTallies(await PlanTallyRows.ReadAsync(connection, database.Dialect, "company_plan_tallies", "companies", environmentId, cancellationToken).ConfigureAwait(false));
    }
}
