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
/// plans no longer decides alone. The read costs the same however many overrides have expired. The holders' user
/// links are read the same way (<see cref="UserLinksAsync"/>): migration 59's per base plan, migration 62's per add-on
/// tally and state row.
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
    public static Task<long> CountAsync(
        Database database, string environmentId, string featureId, FeatureHolding holding,
        IReadOnlyCollection<string> basePlanIds, IReadOnlyCollection<string> addOnIds, DateTimeOffset now, CancellationToken cancellationToken) =>
        SumAsync(database, environmentId, featureId, holding, basePlanIds, addOnIds, now, userLinks: false, cancellationToken);

    /// <summary>
    /// The user links of the companies <see cref="CountAsync"/> counts (a user of two of them is two links), from
    /// migration 59's user links per base plan and migration 62's user links of the add-on tallies and override states.
    /// </summary>
    public static Task<long> UserLinksAsync(
        Database database, string environmentId, string featureId, FeatureHolding holding,
        IReadOnlyCollection<string> basePlanIds, IReadOnlyCollection<string> addOnIds, DateTimeOffset now, CancellationToken cancellationToken) =>
        SumAsync(database, environmentId, featureId, holding, basePlanIds, addOnIds, now, userLinks: true, cancellationToken);

    /// <summary>The holders' companies, or their user links where <paramref name="userLinks"/>, summed over the tallies.</summary>
    private static async Task<long> SumAsync(
        Database database, string environmentId, string featureId, FeatureHolding holding,
        IReadOnlyCollection<string> basePlanIds, IReadOnlyCollection<string> addOnIds, DateTimeOffset now, bool userLinks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var bases = basePlanIds.ToHashSet(StringComparer.Ordinal);
        var addOns = addOnIds.ToHashSet(StringComparer.Ordinal);
        bool OnGrantingPlan(string planId, string addOnSet) =>
            bases.Contains(planId) || (addOnSet.Length > 0 && addOnSet.Split(',').Any(addOns.Contains));

        var planTallies = userLinks ? null : await CompanyPlanTallies.ReadAsync(database, environmentId, cancellationToken).ConfigureAwait(false);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var onBasePlans = planTallies is not null
            ? bases.Sum(planTallies.On)
            : (await PlanTallyRows.ReadAsync(connection, database.Dialect, "user_plan_tallies", "user_links", environmentId, cancellationToken).ConfigureAwait(false))
                .Where(t => bases.Contains(t.Key)).Sum(t => t.Value);
        var signatures = await SignaturesAsync(connection, database.Dialect, environmentId, cancellationToken).ConfigureAwait(false);
        // On a granting base plan (every company, with add-ons or not), or on another with a granting add-on.
        var holders = onBasePlans
            + signatures.Where(s => !bases.Contains(s.PlanId) && OnGrantingPlan(s.PlanId, s.AddOnIds)).Sum(s => userLinks ? s.UserLinks : s.Companies);

        var weight = userLinks ? "user_links" : "1";
        var overridden = await connection.QueryAsync<(string PlanId, string AddOnIds, long Grants, long Companies)>(new CommandDefinition(
            $"""
            SELECT plan_id, add_on_ids, SUM(CASE WHEN grants THEN {weight} ELSE 0 END), SUM({weight}) FROM feature_override_states
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
    private static async Task<List<(string PlanId, string AddOnIds, long Companies, long UserLinks)>> SignaturesAsync(
        DbConnection connection, SqlDialect dialect, string environmentId, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<(string PlanId, string AddOnIds, long Companies, long UserLinks, long Rows)>(new CommandDefinition(
            """
            SELECT plan_id, add_on_ids, SUM(companies), SUM(user_links), COUNT(*) FROM add_on_signature_tallies
            WHERE environment_id = @environmentId GROUP BY plan_id, add_on_ids
            """,
            new { environmentId },
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        if (dialect.IsPostgres && rows.Sum(r => r.Rows) > RowsBeforeFolding + rows.Count)
        {
            // One statement: the rows it deletes are the rows whose sums it inserts (see PlanTallyRows).
            await connection.ExecuteAsync(new CommandDefinition(
                """
                WITH folded AS (DELETE FROM add_on_signature_tallies WHERE environment_id = @environmentId RETURNING plan_id, add_on_ids, companies, user_links)
                INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies, user_links)
                    SELECT @environmentId, plan_id, add_on_ids, SUM(companies), SUM(user_links) FROM folded GROUP BY plan_id, add_on_ids
                    HAVING SUM(companies) <> 0 OR SUM(user_links) <> 0
                """,
                new { environmentId },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return [.. rows.Where(r => r.Companies != 0 || r.UserLinks != 0).Select(r => (r.PlanId, r.AddOnIds, r.Companies, r.UserLinks))];
    }
}
