using System.Data.Common;
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
        ArgumentNullException.ThrowIfNull(company);
        var due = await EnsureIssuedManyAsync(database, planGrants, environmentId, [company], now, cancellationToken).ConfigureAwait(false);
        return due.GetValueOrDefault(company.Id);
    }

    /// <summary>
    /// <see cref="EnsureIssuedAsync"/> for a batch of companies: their plan-grant rows are read in one query, and only a
    /// company with something to issue or end is written (one transaction each, as a single company is).
    /// </summary>
    public static async Task<Dictionary<string, DateTimeOffset?>> EnsureIssuedManyAsync(
        Database database, IReadOnlyList<PlanCreditGrantRecord> planGrants, string environmentId, IReadOnlyList<CompanyRecord> companies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(planGrants);
        ArgumentNullException.ThrowIfNull(companies);
        var reloadAt = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        if (planGrants.Count == 0 || companies.Count == 0)
        {
            return reloadAt;
        }

        ILookup<string, PlanGrantRow> rows;
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            rows = await PlanGrantRowsAsync(connection, null, database.Dialect, environmentId, [.. companies.Select(c => c.Id)]).ConfigureAwait(false);
        }

        var toIssue = new List<(CompanyRecord Company, List<(PlanCreditGrantRecord Grant, (DateTimeOffset Start, DateTimeOffset End) Period)> Missing, List<PlanGrantRow> LeftBehind)>();
        foreach (var company in companies)
        {
            var (missing, leftBehind, next) = Assess(planGrants, company, now, [.. rows[company.Id]]);
            reloadAt[company.Id] = next;
            if (missing.Count > 0 || leftBehind.Count > 0)
            {
                toIssue.Add((company, missing, leftBehind));
            }
        }

        if (toIssue.Count == 0)
        {
            return reloadAt;
        }

        // All of them in one transaction: a commit per company (a WAL flush each) held a rebuild of a store without
        // grants to a few hundred companies a second. Companies are taken in id order and each one's balances in credit
        // type order, so the balance locks are taken in one global order: every other writer locks the balances of one
        // company at a time in credit type order, so none of them can wait on this in a cycle.
        await database.WriteAsync(
            async (connection, transaction) =>
            {
                foreach (var (company, missing, leftBehind) in toIssue.OrderBy(t => t.Company.Id, StringComparer.Ordinal))
                {
                    await IssueAsync(connection, transaction, database.Dialect, planGrants, environmentId, company, now, missing, leftBehind).ConfigureAwait(false);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
        return reloadAt;
    }

    /// <summary>
    /// One company's plan-grant rows, read as a part of <paramref name="batch"/> (what <see cref="EnsureIssuedAsync"/> reads
    /// first), to tell without another read whether anything is due.
    /// </summary>
    public static Task<IssuedRows> RowsIn(ReadBatch batch, string environmentId, string companyId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch.Add<PlanGrantRow, IssuedRows>(
            p => IssuedRowsOf(p.Value(environmentId), p.Value(companyId)),
            rows => new IssuedRows([.. rows]));
    }

    /// <summary>
    /// The read of <see cref="RowsIn"/>, its values named by <paramref name="environmentId"/> and
    /// <paramref name="companyId"/> (SQL). A company without a balance row has no plan-grant row (every grant is issued
    /// under its balance's lock), so the read stops there (<see cref="CompanyCredits.HasBalances"/>).
    /// </summary>
    internal static string IssuedRowsOf(string environmentId, string companyId) => $"""
        SELECT {PlanGrantColumns} FROM credit_grants
        WHERE environment_id = {environmentId} AND company_id = {companyId} AND plan_grant_id IS NOT NULL
            AND {CompanyCredits.HasBalances(environmentId, companyId)}
        """;

    /// <summary>A company's plan-grant rows as read by <see cref="RowsIn"/>.</summary>
    public sealed class IssuedRows
    {
        private readonly List<PlanGrantRow> _rows;

        internal IssuedRows(List<PlanGrantRow> rows) => _rows = rows;

        /// <summary>How many rows were read (for tests).</summary>
        internal int Count => _rows.Count;

        /// <summary>
        /// Whether <see cref="EnsureIssuedAsync"/> would find nothing to issue or end at <paramref name="now"/>, and then what
        /// it would answer (when the next period starts).
        /// </summary>
        public bool NothingDue(IReadOnlyList<PlanCreditGrantRecord> planGrants, CompanyRecord company, DateTimeOffset now, out DateTimeOffset? nextPeriod)
        {
            ArgumentNullException.ThrowIfNull(planGrants);
            nextPeriod = null;
            if (planGrants.Count == 0)
            {
                return true;
            }

            var (missing, leftBehind, next) = Assess(planGrants, company, now, _rows);
            nextPeriod = next;
            return missing.Count == 0 && leftBehind.Count == 0;
        }
    }

    /// <summary>
    /// What is to be done for a company, from its plan-grant rows: the grants of its plans due for the current period and
    /// not issued yet, its live grants from plans it is no longer on, and when the next period of any of its grants starts.
    /// </summary>
    private static (List<(PlanCreditGrantRecord Grant, (DateTimeOffset Start, DateTimeOffset End) Period)> Missing, List<PlanGrantRow> LeftBehind, DateTimeOffset? NextPeriod) Assess(
        IReadOnlyList<PlanCreditGrantRecord> planGrants, CompanyRecord company, DateTimeOffset now, List<PlanGrantRow> rows)
    {
        var planIds = CompanyPlanVersions.PlanIdsOf(company);
        var due = planGrants.Where(g => planIds.Contains(g.PlanId)).Select(g => (Grant: g, Period: CreditPeriods.At(g, company.Subscription, now))).ToList();
        var missing = due.Where(d => !rows.Any(r => r.PlanGrantId == d.Grant.Id && r.PeriodStart == d.Period.Start.ToUnixTimeMilliseconds())).ToList();
        var at = now.ToUnixTimeMilliseconds();
        var leftBehind = rows.Where(r => r.PlanId is { } planId && !planIds.Contains(planId) && r.EndedAt is null && (r.ExpiresAt is not { } expires || expires > at)).ToList();
        return (missing, leftBehind, due.Count == 0 ? null : due.Min(d => d.Period.End));
    }

    /// <summary>Issues a company's missing grants and ends those left behind, in the caller's transaction, checking again under the balances' locks.</summary>
    private static async Task IssueAsync(
        DbConnection connection,
        DbTransaction transaction,
        SqlDialect dialect,
        IReadOnlyList<PlanCreditGrantRecord> planGrants,
        string environmentId,
        CompanyRecord company,
        DateTimeOffset now,
        List<(PlanCreditGrantRecord Grant, (DateTimeOffset Start, DateTimeOffset End) Period)> missing,
        List<PlanGrantRow> leftBehind)
    {
        // Every balance this touches is locked first, in one order, so two of these never wait on each other.
        foreach (var creditTypeId in leftBehind.Select(g => g.CreditTypeId).Concat(missing.Select(m => m.Grant.CreditId)).Distinct().Order(StringComparer.Ordinal))
        {
            await CreditBook.LockAsync(connection, transaction, new BalanceKey(environmentId, company.Id, creditTypeId), now).ConfigureAwait(false);
        }

        // Under the locks, what is still to be done (another writer may have done some of it since the first read).
        var rows = await PlanGrantRowsAsync(connection, transaction, dialect, environmentId, [company.Id]).ConfigureAwait(false);
        var (stillMissing, stillLeftBehind, _) = Assess(planGrants, company, now, [.. rows[company.Id]]);

        // Credits a plan gave end when the company leaves the plan (Schematic's zero-out reason plan_change).
        var locked = leftBehind.Select(g => g.CreditTypeId).ToHashSet(StringComparer.Ordinal);
        foreach (var grant in stillLeftBehind.Where(g => locked.Contains(g.CreditTypeId)))
        {
            var key = new BalanceKey(environmentId, company.Id, grant.CreditTypeId);
            await CreditBook.EndGrantAsync(connection, transaction, key, grant.Id, grant.Remaining, "zero_out", "plan_change", now).ConfigureAwait(false);
        }

        foreach (var (grant, period) in missing)
        {
            var key = new BalanceKey(environmentId, company.Id, grant.CreditId);
            if (!stillMissing.Any(m => m.Grant.Id == grant.Id && m.Period.Start == period.Start))
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
    }

    /// <summary>The plan-grant rows (issued by a plan credit grant, ended or not) of these companies, by company.</summary>
    private static async Task<ILookup<string, PlanGrantRow>> PlanGrantRowsAsync(
        DbConnection connection, DbTransaction? transaction, SqlDialect dialect, string environmentId, string[] companyIds)
    {
        var rows = await connection.QueryAsync<PlanGrantRow>(
            $"""
            SELECT {PlanGrantColumns} FROM credit_grants
            WHERE environment_id = @environmentId AND {dialect.IsAnyOf("company_id", "companyIds")} AND plan_grant_id IS NOT NULL
            """,
            new { environmentId, companyIds },
            transaction).ConfigureAwait(false);
        return rows.ToLookup(r => r.CompanyId, StringComparer.Ordinal);
    }

    private const string PlanGrantColumns = """
        company_id AS CompanyId, id AS Id, credit_type_id AS CreditTypeId, plan_id AS PlanId, plan_grant_id AS PlanGrantId,
            period_start AS PeriodStart, remaining AS Remaining, ended_at AS EndedAt, expires_at AS ExpiresAt
        """;

    /// <summary>A <c>credit_grants</c> row a plan credit grant issued.</summary>
    internal sealed class PlanGrantRow
    {
        public string CompanyId { get; set; } = string.Empty;

        public string Id { get; set; } = string.Empty;

        public string CreditTypeId { get; set; } = string.Empty;

        public string? PlanId { get; set; }

        public string PlanGrantId { get; set; } = string.Empty;

        public long? PeriodStart { get; set; }

        public double Remaining { get; set; }

        public long? EndedAt { get; set; }

        public long? ExpiresAt { get; set; }
    }
}
