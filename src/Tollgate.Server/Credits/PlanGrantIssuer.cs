using Dapper;
using Tollgate.Server.Companies;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>
/// Gives a company the credits of its plans' credit grants for the current period, once: issued when the company's
/// credits are next read (a check, a balance read) or when the plan grant is written, and never twice for one period
/// (checked under the balance lock, and a unique index besides).
/// </summary>
internal static class PlanGrantIssuer
{
    /// <summary>Issues what is due at <paramref name="now"/>; answers when the next period of any of them starts.</summary>
    public static async Task<DateTimeOffset?> EnsureIssuedAsync(
        Database database, IReadOnlyList<PlanCreditGrantRecord> planGrants, string environmentId, CompanyRecord company, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var planIds = CompanyPlanVersions.PlanIdsOf(company);
        var due = planGrants.Where(g => planIds.Contains(g.PlanId)).Select(g => (Grant: g, Period: CreditPeriods.At(g, company.Subscription, now))).ToList();
        if (due.Count == 0)
        {
            return null;
        }

        var missing = new List<(PlanCreditGrantRecord Grant, (DateTimeOffset Start, DateTimeOffset End) Period)>();
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in due)
            {
                if (!await IssuedAsync(connection, null, environmentId, company.Id, item.Grant.Id, item.Period.Start).ConfigureAwait(false))
                {
                    missing.Add(item);
                }
            }
        }

        if (missing.Count > 0)
        {
            await database.WriteAsync(
                async (connection, transaction) =>
                {
                    foreach (var (grant, period) in missing)
                    {
                        var key = new BalanceKey(environmentId, company.Id, grant.CreditId);
                        await CreditBook.LockAsync(connection, transaction, key, now).ConfigureAwait(false);
                        if (await IssuedAsync(connection, transaction, environmentId, company.Id, grant.Id, period.Start).ConfigureAwait(false))
                        {
                            continue;
                        }

                        var expires = grant.ResetType == "no_reset" ? (DateTimeOffset?)null : period.End;
                        await CreditBook.GrantAsync(
                            connection, transaction, key, new NewGrant(grant.CreditAmount, "plan", expires, null, grant.PlanId, grant.Id, period.Start, grant.Id), now).ConfigureAwait(false);
                        if (grant.PostpaidEnabled)
                        {
                            await CreditBook.SetPostpaidAsync(connection, transaction, key, true, grant.OverdraftLimit).ConfigureAwait(false);
                        }
                    }

                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }

        return due.Min(d => d.Period.End);
    }

    private static async Task<bool> IssuedAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string environmentId, string companyId, string planGrantId, DateTimeOffset periodStart) =>
        await connection.ExecuteScalarAsync<long>(
            """
            SELECT COUNT(*) FROM credit_grants
            WHERE environment_id = @environmentId AND company_id = @companyId AND plan_grant_id = @planGrantId AND period_start = @periodStart
            """,
            new { environmentId, companyId, planGrantId, periodStart = periodStart.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false) > 0;
}
