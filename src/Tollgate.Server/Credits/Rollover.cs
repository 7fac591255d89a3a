using System.Data.Common;
using Dapper;

namespace Tollgate.Server.Credits;

/// <summary>What a plan credit grant's previous period left unused, for its rollover.</summary>
internal static class Rollover
{
    /// <summary>
    /// The credits of the plan grant's grants (the period's own and what rolled into it) that expired unused exactly at
    /// <paramref name="periodStart"/>, the end of the previous period. Called under the balance lock, which has already
    /// ended them as expired and kept what remained of each. Grants zeroed out (a plan change, by hand) carry nothing.
    /// </summary>
    public static async Task<double> UnusedAtAsync(DbConnection connection, DbTransaction transaction, BalanceKey key, string planGrantId, DateTimeOffset periodStart) =>
        await connection.ExecuteScalarAsync<double?>(
            """
            SELECT SUM(remaining) FROM credit_grants
            WHERE environment_id = @EnvironmentId AND company_id = @CompanyId AND credit_type_id = @CreditTypeId AND plan_grant_id = @planGrantId
              AND reason IN ('plan', 'rollover') AND end_reason = 'expired' AND expires_at = @at AND remaining > 0
            """,
            new { key.EnvironmentId, key.CompanyId, key.CreditTypeId, planGrantId, at = periodStart.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false) ?? 0;
}
