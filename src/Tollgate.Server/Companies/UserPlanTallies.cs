using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// How many users are on some base plans through their companies (migration 59's tallies, kept by triggers in every
/// user link and company write's transaction): the user links to companies on those plans, less the links of users
/// with several such companies beyond their first, so that each user counts once (<c>/users/count?plan_id=</c>). A read
/// of a few tally rows, and of the links of the users with two companies or more.
/// </summary>
internal static class UserPlanTallies
{
    /// <summary>How many users have a company on one of the base plans <paramref name="basePlanIds"/>.</summary>
    public static async Task<long> UsersOnAsync(Database database, string environmentId, IReadOnlyCollection<string> basePlanIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var plans = basePlanIds.Distinct(StringComparer.Ordinal).ToArray();
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var tallies = await PlanTallyRows.ReadAsync(connection, database.Dialect, "user_plan_tallies", "user_links", environmentId, cancellationToken).ConfigureAwait(false);
        var links = tallies.Where(t => plans.Contains(t.Key, StringComparer.Ordinal)).Sum(t => t.Value);

        var extra = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            ExtraLinksOfSharedUsers(database.Dialect),
            new { environmentId, plans },
            cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;
        return links - extra;
    }

    /// <summary>
    /// The links beyond the first of each user with several companies on the base plans <c>@plans</c>: a user of n such
    /// companies has n links among them and counts once. CROSS JOIN keeps the order on SQLite, which without statistics
    /// walked every user link of the environment for the few shared users (SqliteReadPlanTests).
    /// </summary>
    internal static string ExtraLinksOfSharedUsers(SqlDialect dialect) => $"""
        SELECT SUM(n - 1) FROM (
            SELECT COUNT(*) AS n FROM shared_users s
                CROSS JOIN resource_links l
                CROSS JOIN resources c
            WHERE s.environment_id = @environmentId
                AND l.environment_id = s.environment_id AND l.kind = '{ResourceKinds.User}' AND l.id = s.user_id
                AND c.environment_id = l.environment_id AND c.id = l.linked_id AND c.kind = '{ResourceKinds.Company}'
                AND {dialect.IsAnyOf("c.base_plan_id", "plans")}
            GROUP BY s.user_id) shared
        """;
}
