using Dapper;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Companies;

/// <summary>
/// Which usage counter an override of an event feature reports (<c>Evaluation/Entitlements</c>): a numeric or trait
/// override reports the counter of its own metric period (<see cref="UsagePeriods.Of"/>); any other (unlimited, boolean,
/// credit) reports none. Written as one SQL expression of the override's document, indexed by migration 58 per feature,
/// so that a list can ask whether any override of a feature reports another period than its plans without reading the
/// overrides' documents.
/// </summary>
internal static class OverrideUsagePeriods
{
    /// <summary>The expression's value for an override that reports no usage.</summary>
    public const int NoUsage = -1;

    /// <summary>
    /// The <see cref="UsagePeriod"/> (as its number) the override document in <paramref name="column"/> reports, or
    /// <see cref="NoUsage"/>. Migration 58's index is made of this text: a change to it needs a new migration.
    /// </summary>
    public static string Of(SqlDialect dialect, string column)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var valueType = dialect.JsonText(column, "value_type");
        var period = dialect.JsonText(column, "metric_period");
        var reset = dialect.JsonText(column, "metric_period_month_reset");
        return $"""
            (CASE WHEN {valueType} IN ('numeric', 'trait') THEN (CASE {period} WHEN 'current_day' THEN {(int)UsagePeriod.Day} WHEN 'current_week' THEN {(int)UsagePeriod.Week} WHEN 'current_month' THEN (CASE WHEN {reset} = 'billing_cycle' THEN {(int)UsagePeriod.MonthFromBillingAnchor} ELSE {(int)UsagePeriod.MonthFromFirst} END) ELSE {(int)UsagePeriod.AllTime} END) ELSE {NoUsage} END)
            """;
    }

    /// <summary>
    /// Whether any override of <paramref name="featureId"/>, active or expired, reports usage of another period than
    /// <paramref name="period"/>: two short ranges of migration 58's index (periods below and above), which hold no row
    /// where every override reports <paramref name="period"/> or none. Expired overrides are counted too: the answer
    /// only decides whether a list may take its fast path, and an expired one's sending it to the exact walk is safe.
    /// </summary>
    public static async Task<bool> AnyOtherThanAsync(Database database, string environmentId, string featureId, UsagePeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var reported = Of(database.Dialect, "o.data");
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            $"""
            SELECT CASE WHEN EXISTS (
                SELECT 1 FROM resources o WHERE o.environment_id = @environmentId AND o.kind = '{ResourceKinds.CompanyOverride}' AND o.override_feature_id = @featureId
                    AND {reported} > @period)
                OR EXISTS (
                SELECT 1 FROM resources o WHERE o.environment_id = @environmentId AND o.kind = '{ResourceKinds.CompanyOverride}' AND o.override_feature_id = @featureId
                    AND {reported} >= 0 AND {reported} < @period)
            THEN 1 ELSE 0 END
            """,
            new { environmentId, featureId, period = (int)period },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
