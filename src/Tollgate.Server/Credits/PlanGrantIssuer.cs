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
        if (planGrants.Count == 0)
        {
            return null;
        }

        var planIds = CompanyPlanVersions.PlanIdsOf(company);
        var due = planGrants.Where(g => planIds.Contains(g.PlanId)).Select(g => (Grant: g, Period: CreditPeriods.At(g, company.Subscription, now))).ToList();
        var missing = new List<(PlanCreditGrantRecord Grant, (DateTimeOffset Start, DateTimeOffset End) Period)>();
        List<(string Id, string CreditTypeId, double Remaining)> leftBehind;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            leftBehind = await LeftBehindAsync(connection, null, environmentId, company.Id, planIds, now).ConfigureAwait(false);
            foreach (var item in due)
            {
                if (!await IssuedAsync(connection, null, environmentId, company.Id, item.Grant.Id, item.Period.Start).ConfigureAwait(false))
                {
                    missing.Add(item);
                }
            }
        }

        if (missing.Count > 0 || leftBehind.Count > 0)
        {
            await database.WriteAsync(
                async (connection, transaction) =>
                {
                    // Every balance this touches is locked first, in one order, so two of these never wait on each other.
                    foreach (var creditTypeId in leftBehind.Select(g => g.CreditTypeId).Concat(missing.Select(m => m.Grant.CreditId)).Distinct().Order(StringComparer.Ordinal))
                    {
                        await CreditBook.LockAsync(connection, transaction, new BalanceKey(environmentId, company.Id, creditTypeId), now).ConfigureAwait(false);
                    }

                    // Credits a plan gave end when the company leaves the plan (Schematic's zero-out reason plan_change).
                    foreach (var creditTypeId in leftBehind.Select(g => g.CreditTypeId).Distinct(StringComparer.Ordinal))
                    {
                        var key = new BalanceKey(environmentId, company.Id, creditTypeId);
                        foreach (var (id, remaining) in (await LeftBehindAsync(connection, transaction, environmentId, company.Id, planIds, now).ConfigureAwait(false))
                            .Where(g => g.CreditTypeId == creditTypeId)
                            .Select(g => (g.Id, g.Remaining)))
                        {
                            await CreditBook.EndGrantAsync(connection, transaction, key, id, remaining, "zero_out", "plan_change", now).ConfigureAwait(false);
                        }
                    }

                    foreach (var (grant, period) in missing)
                    {
                        var key = new BalanceKey(environmentId, company.Id, grant.CreditId);
                        if (await IssuedAsync(connection, transaction, environmentId, company.Id, grant.Id, period.Start).ConfigureAwait(false))
                        {
                            continue;
                        }

                        var expires = grant.ResetType == "no_reset" ? (DateTimeOffset?)null : period.End;
                        await CreditBook.GrantAsync(
                            connection, transaction, key, new NewGrant(grant.CreditAmount, "plan", expires, null, grant.PlanId, grant.Id, period.Start, grant.Id), now).ConfigureAwait(false);
                        if (expires is not null && grant.RolloverPercentage > 0
                            && await Rollover.UnusedAtAsync(connection, transaction, key, grant.Id, period.Start).ConfigureAwait(false) is var unused and > 0)
                        {
                            // The unused credits of the period just ended carry over, as their own grant ending with this period.
                            var carried = unused * grant.RolloverPercentage / 100;
                            await CreditBook.GrantAsync(
                                connection, transaction, key, new NewGrant(carried, "rollover", expires, null, grant.PlanId, grant.Id, null, grant.Id), now).ConfigureAwait(false);
                        }
                        if (grant.PostpaidEnabled)
                        {
                            await CreditBook.SetPostpaidAsync(connection, transaction, key, true, grant.OverdraftLimit).ConfigureAwait(false);
                        }
                    }

                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }

        return due.Count == 0 ? null : due.Min(d => d.Period.End);
    }

    /// <summary>The company's live grants from plans it is no longer on.</summary>
    private static async Task<List<(string Id, string CreditTypeId, double Remaining)>> LeftBehindAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string environmentId, string companyId, List<string> planIds, DateTimeOffset now)
    {
        var live = await connection.QueryAsync<(string Id, string CreditTypeId, string PlanId, double Remaining)>(
            """
            SELECT id, credit_type_id, plan_id, remaining FROM credit_grants
            WHERE environment_id = @environmentId AND company_id = @companyId AND plan_grant_id IS NOT NULL AND plan_id IS NOT NULL
              AND ended_at IS NULL AND (expires_at IS NULL OR expires_at > @at)
            """,
            new { environmentId, companyId, at = now.ToUnixTimeMilliseconds() },
            transaction).ConfigureAwait(false);
        return [.. live.Where(g => !planIds.Contains(g.PlanId)).Select(g => (g.Id, g.CreditTypeId, g.Remaining))];
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
