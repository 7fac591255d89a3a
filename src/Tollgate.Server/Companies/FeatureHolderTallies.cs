using System.Data.Common;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// How many companies hold a feature, from migration 60's rows kept by triggers (and migration 47's companies per base
/// plan). A company holds the feature's plans when its base plan is one of the granting base plans or one of its
/// add-ons is a granting add-on; each add-on set in use is one tally row per base plan, so this is a sum over few rows.
/// The companies with an override of the feature active at the clock are read as one row each per plans and grant
/// (grouped in SQL) from the intervals migration 61 keeps of when each override decides: with an override, holding the
/// plans no longer decides alone. The read costs the same however many overrides have expired.
/// </summary>
internal static class FeatureHolderTallies
{
    /// <summary>How many rows an environment's add-on tallies may gather on PostgreSQL before a read folds them.</summary>
    private const int RowsBeforeFolding = 64;

    /// <summary>
    /// The companies holding the feature at <paramref name="now"/>: for <see cref="FeatureHolding.Entitlement"/> those
    /// on a granting plan or with an active override, for <see cref="FeatureHolding.Access"/> those on a granting plan
    /// without an active override, and those whose last active override gives access.
    /// </summary>
    public static async Task<long> CountAsync(
        Database database, string environmentId, string featureId, FeatureHolding holding,
        IReadOnlyCollection<string> basePlanIds, IReadOnlyCollection<string> addOnIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var bases = basePlanIds.ToHashSet(StringComparer.Ordinal);
        var addOns = addOnIds.ToHashSet(StringComparer.Ordinal);
        bool OnGrantingPlan(string planId, string addOnSet) =>
            bases.Contains(planId) || (addOnSet.Length > 0 && addOnSet.Split(',').Any(addOns.Contains));

        var planTallies = await CompanyPlanTallies.ReadAsync(database, environmentId, cancellationToken).ConfigureAwait(false);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var signatures = await SignaturesAsync(connection, database.Dialect, environmentId, cancellationToken).ConfigureAwait(false);
        // On a granting base plan (every company, with add-ons or not), or on another with a granting add-on.
        var holders = bases.Sum(planTallies.On)
            + signatures.Where(s => !bases.Contains(s.PlanId) && OnGrantingPlan(s.PlanId, s.AddOnIds)).Sum(s => s.Companies);

        var overridden = await connection.QueryAsync<(string PlanId, string AddOnIds, long Grants, long Companies)>(new CommandDefinition(
            """
            SELECT plan_id, add_on_ids, SUM(CASE WHEN grants THEN 1 ELSE 0 END), COUNT(*) FROM feature_override_states
            WHERE environment_id = @environmentId AND feature_id = @featureId
                AND (active_from IS NULL OR active_from <= @at) AND active_until > @at
            GROUP BY plan_id, add_on_ids
            """,
            new { environmentId, featureId, at = TicksOf(now) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var (planId, addOnSet, grants, companies) in overridden)
        {
            var onPlan = OnGrantingPlan(planId, addOnSet);
            holders += holding == FeatureHolding.Entitlement
                ? (onPlan ? 0 : companies)
                : grants - (onPlan ? companies : 0);
        }

        return holders;
    }

    /// <summary>
    /// <paramref name="now"/> in migration 61's unit: 100 ns ticks since the Unix epoch. An override is active while the
    /// clock is before its expiry (<see cref="CompanyOverrideRecord.IsActiveAt"/>), its row while
    /// <c>active_from &lt;= ticks &lt; active_until</c>.
    /// </summary>
    internal static long TicksOf(DateTimeOffset now) => now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    /// <summary>
    /// The companies with add-ons per base plan and add-on set; on PostgreSQL the appended rows are summed, and folded
    /// into one row per signature once they have gathered (as <see cref="PlanTallyRows"/> folds its tables).
    /// </summary>
    private static async Task<List<(string PlanId, string AddOnIds, long Companies)>> SignaturesAsync(
        DbConnection connection, SqlDialect dialect, string environmentId, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<(string PlanId, string AddOnIds, long Companies, long Rows)>(new CommandDefinition(
            """
            SELECT plan_id, add_on_ids, SUM(companies), COUNT(*) FROM add_on_signature_tallies
            WHERE environment_id = @environmentId GROUP BY plan_id, add_on_ids
            """,
            new { environmentId },
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        if (dialect.IsPostgres && rows.Sum(r => r.Rows) > RowsBeforeFolding + rows.Count)
        {
            // One statement: the rows it deletes are the rows whose sums it inserts (see PlanTallyRows).
            await connection.ExecuteAsync(new CommandDefinition(
                """
                WITH folded AS (DELETE FROM add_on_signature_tallies WHERE environment_id = @environmentId RETURNING plan_id, add_on_ids, companies)
                INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies)
                    SELECT @environmentId, plan_id, add_on_ids, SUM(companies) FROM folded GROUP BY plan_id, add_on_ids HAVING SUM(companies) <> 0
                """,
                new { environmentId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return [.. rows.Where(r => r.Companies != 0).Select(r => (r.PlanId, r.AddOnIds, r.Companies))];
    }
}
