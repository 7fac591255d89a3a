using System.Data.Common;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Credits;

/// <summary>
/// What a company's credit balances are made of, as read from the store: the balance rows, the grants not yet ended
/// and the open holds. Balances at any later instant follow from it without another read (grants that expire and
/// holds that lapse are taken out at read time), until <see cref="ReloadAt"/>, when a plan grant of a new period is due.
/// </summary>
internal sealed class CompanyCredits
{
    public static readonly CompanyCredits None = new([], [], [], null);

    private CompanyCredits(IReadOnlyList<BalanceRow> balances, IReadOnlyList<LiveGrant> grants, IReadOnlyList<OpenHold> holds, DateTimeOffset? reloadAt)
    {
        Balances = balances;
        Grants = grants;
        Holds = holds;
        ReloadAt = reloadAt;
    }

    public IReadOnlyList<BalanceRow> Balances { get; }

    public IReadOnlyList<LiveGrant> Grants { get; }

    public IReadOnlyList<OpenHold> Holds { get; }

    /// <summary>When the company's next plan-grant period starts: the credits must be read (and the grant issued) again.</summary>
    public DateTimeOffset? ReloadAt { get; }

    public static async Task<CompanyCredits> ReadAsync(DbConnection connection, string environmentId, string companyId, DateTimeOffset? reloadAt)
    {
        // One command, so one round trip for the three reads (a cold check waits for every one of them).
        await using var reads = await connection.QueryMultipleAsync(
            $"""
            {BalancesOf("@environmentId", "@companyId")};
            {GrantsOf("@environmentId", "@companyId")};
            {HoldsOf("@environmentId", "@companyId")};
            """,
            new { environmentId, companyId }).ConfigureAwait(false);
        var balances = await reads.ReadAsync<BalanceRow>().ConfigureAwait(false);
        var grants = await reads.ReadAsync<GrantRead>().ConfigureAwait(false);
        var holds = await reads.ReadAsync<HoldRead>().ConfigureAwait(false);
        return Of([.. balances], [.. grants], [.. holds], reloadAt);
    }

    /// <summary>
    /// <see cref="ReadAsync"/>'s three reads as parts of <paramref name="batch"/>: once it has run, the answer builds the
    /// credits with the given reload instant.
    /// </summary>
    public static Func<DateTimeOffset?, Task<CompanyCredits>> ReadIn(ReadBatch batch, string environmentId, string companyId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var balances = batch.Add<BalanceRow>(p => BalancesOf(p.Value(environmentId), p.Value(companyId)));
        var grants = batch.Add<GrantRead>(p => GrantsOf(p.Value(environmentId), p.Value(companyId)));
        var holds = batch.Add<HoldRead>(p => HoldsOf(p.Value(environmentId), p.Value(companyId)));
        return async reloadAt => Of([.. await balances.ConfigureAwait(false)], [.. await grants.ConfigureAwait(false)], [.. await holds.ConfigureAwait(false)], reloadAt);
    }

    private static string BalancesOf(string environmentId, string companyId) =>
        $"SELECT {BalanceColumns} FROM credit_balances WHERE environment_id = {environmentId} AND company_id = {companyId} ORDER BY credit_type_id";

    /// <summary>The read of a company's grants not yet ended, its values named by <paramref name="environmentId"/> and <paramref name="companyId"/> (SQL).</summary>
    internal static string GrantsOf(string environmentId, string companyId) =>
        $"SELECT {GrantColumns} FROM credit_grants WHERE environment_id = {environmentId} AND company_id = {companyId} AND ended_at IS NULL AND {HasBalances(environmentId, companyId)}";

    /// <summary>The read of a company's open holds, its values named by <paramref name="environmentId"/> and <paramref name="companyId"/> (SQL).</summary>
    internal static string HoldsOf(string environmentId, string companyId) =>
        $"SELECT {HoldColumns} FROM credit_reservations WHERE environment_id = {environmentId} AND company_id = {companyId} AND status = 'open' AND {HasBalances(environmentId, companyId)}";

    /// <summary>
    /// A condition that holds only for a company with a balance row. A grant or a hold of a company implies one: every
    /// movement locks (and first creates) the balance row of its company and credit type (<see cref="CreditBook"/>), a
    /// hold is taken from that row, and no credit row is ever deleted. Most companies have no credits at all, and the
    /// condition names no column of the outer row, so PostgreSQL evaluates it once, first (a one-time filter), and for
    /// such a company reads only the balance key's index page, which the balances' own read in the same batch needs
    /// anyway, and never starts the scan of the grants or holds: on a store larger than memory, two disk reads of a cold
    /// load's ten to thirteen at 1,000,000 companies (bench/results/cold-check-2026-12-07-h37.md). SQLite seeks the
    /// grants first and runs the subquery once, only if a row is found: the same pages as without it (its reads are
    /// in-process; not timed).
    /// </summary>
    internal static string HasBalances(string environmentId, string companyId) =>
        $"EXISTS (SELECT 1 FROM credit_balances WHERE environment_id = {environmentId} AND company_id = {companyId})";

    /// <summary>
    /// <see cref="ReadAsync"/> for many companies of one environment, in three queries; a company without a balance row
    /// has <see cref="None"/>'s parts (and its <paramref name="reloadAt"/>).
    /// </summary>
    public static async Task<Dictionary<string, CompanyCredits>> ReadManyAsync(
        DbConnection connection, SqlDialect dialect, string environmentId, IReadOnlyCollection<string> companyIds, IReadOnlyDictionary<string, DateTimeOffset?> reloadAt)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(companyIds);
        var args = new { environmentId, companyIds = companyIds.ToArray() };
        var inBatch = dialect.IsAnyOf("company_id", "companyIds");
        var balances = (await connection.QueryAsync<BalanceRow>(
            $"SELECT company_id AS CompanyId, {BalanceColumns} FROM credit_balances WHERE environment_id = @environmentId AND {inBatch} ORDER BY company_id, credit_type_id",
            args).ConfigureAwait(false)).ToLookup(b => b.CompanyId, StringComparer.Ordinal);
        var grants = (await connection.QueryAsync<GrantRead>(
            $"SELECT company_id AS CompanyId, {GrantColumns} FROM credit_grants WHERE environment_id = @environmentId AND {inBatch} AND ended_at IS NULL",
            args).ConfigureAwait(false)).ToLookup(g => g.CompanyId, StringComparer.Ordinal);
        var holds = (await connection.QueryAsync<HoldRead>(
            $"SELECT company_id AS CompanyId, {HoldColumns} FROM credit_reservations WHERE environment_id = @environmentId AND {inBatch} AND status = 'open'",
            args).ConfigureAwait(false)).ToLookup(h => h.CompanyId, StringComparer.Ordinal);
        return companyIds.Distinct(StringComparer.Ordinal).ToDictionary(
            id => id, id => Of([.. balances[id]], [.. grants[id]], [.. holds[id]], reloadAt.GetValueOrDefault(id)), StringComparer.Ordinal);
    }

    private const string BalanceColumns =
        "credit_type_id AS CreditTypeId, remaining AS Remaining, reserved AS Reserved, debt AS Debt, postpaid AS Postpaid, overdraft_limit AS OverdraftLimit";

    private const string GrantColumns = "credit_type_id AS CreditTypeId, quantity AS Quantity, remaining AS Remaining, expires_at AS ExpiresAt";

    private const string HoldColumns = "credit_type_id AS CreditTypeId, amount AS Amount, settled_amount AS Used, expires_at AS ExpiresAt";

    private static CompanyCredits Of(List<BalanceRow> balances, List<GrantRead> grants, List<HoldRead> holds, DateTimeOffset? reloadAt) => new(
        balances,
        [.. grants.Select(g => new LiveGrant(g.CreditTypeId, g.Quantity, g.Remaining, g.ExpiresAt is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null))],
        [.. holds.Select(h => new OpenHold(h.CreditTypeId, h.Amount, h.Used, DateTimeOffset.FromUnixTimeMilliseconds(h.ExpiresAt)))],
        reloadAt);

    /// <summary>A live grant as read.</summary>
    private sealed class GrantRead
    {
        public string CompanyId { get; set; } = string.Empty;

        public string CreditTypeId { get; set; } = string.Empty;

        public double Quantity { get; set; }

        public double Remaining { get; set; }

        public long? ExpiresAt { get; set; }
    }

    /// <summary>An open hold as read.</summary>
    private sealed class HoldRead
    {
        public string CompanyId { get; set; } = string.Empty;

        public string CreditTypeId { get; set; } = string.Empty;

        public double Amount { get; set; }

        public double Used { get; set; }

        public long ExpiresAt { get; set; }
    }

    /// <summary>Every balance at <paramref name="now"/>, by credit type id.</summary>
    public Dictionary<string, CreditBalance> At(DateTimeOffset now)
    {
        var result = new Dictionary<string, CreditBalance>(Balances.Count, StringComparer.Ordinal);
        foreach (var row in Balances)
        {
            double remaining = row.Remaining, reserved = row.Reserved, total = 0;
            foreach (var grant in Grants)
            {
                if (grant.CreditTypeId != row.CreditTypeId)
                {
                    continue;
                }

                if (grant.ExpiresAt is { } expires && expires <= now)
                {
                    remaining -= grant.Remaining;
                }
                else
                {
                    total += grant.Quantity;
                }
            }

            foreach (var hold in Holds)
            {
                if (hold.CreditTypeId == row.CreditTypeId && hold.ExpiresAt <= now)
                {
                    remaining += hold.Amount - hold.Used;
                    reserved -= hold.Amount;
                }
            }

            result[row.CreditTypeId] = new CreditBalance(row.CreditTypeId, remaining, reserved, total, row.Postpaid == 1, row.OverdraftLimit);
        }

        return result;
    }

    /// <summary>The next instant after <paramref name="now"/> at which a balance changes by itself.</summary>
    public DateTimeOffset? NextChangeAt(DateTimeOffset now) =>
        Grants.Select(g => g.ExpiresAt).Concat(Holds.Select(h => (DateTimeOffset?)h.ExpiresAt)).Append(ReloadAt).Where(at => at > now).Min();

    /// <summary>A grant not yet ended.</summary>
    public sealed record LiveGrant(string CreditTypeId, double Quantity, double Remaining, DateTimeOffset? ExpiresAt);

    /// <summary>An open hold; <see cref="Used"/> is what was tracked on a lease (burnt when it ends).</summary>
    public sealed record OpenHold(string CreditTypeId, double Amount, double Used, DateTimeOffset ExpiresAt);
}
