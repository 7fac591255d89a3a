using System.Data.Common;
using System.Text;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// The SQL of the <c>company_directory</c> table (migration 14): rows written by <see cref="CompanyDirectoryRefresher"/>,
/// searched, paged and counted by indexed columns so that no query reads every company.
/// </summary>
internal sealed class CompanyDirectoryStore(Database database)
{
    private const string Columns =
        "company_id AS CompanyId, name AS Name, main_key AS MainKey, plan_id AS PlanId, trial_ends_at AS TrialEndsAt, override_count AS OverrideCount, "
        + "worst_ratio AS WorstRatio, worst_feature_id AS WorstFeatureId, worst_usage AS WorstUsage, worst_limit AS WorstLimit, created_at AS CreatedAt";

    public Database Database { get; } = database;

    private static readonly string[] UpsertColumns =
    [
        "environment_id", "company_id", "name", "sort_name", "search_text", "main_key", "plan_id", "add_on_ids", "plan_version_ids",
        "trial_ends_at", "override_count", "worst_ratio", "worst_feature_id", "worst_usage", "worst_limit", "stale_at", "created_at", "refreshed_at", "whole_traits",
    ];

    /// <summary>Writes the rows of these companies, replacing what they had (one statement for a batch: <see cref="MultiRowInsert"/>).</summary>
    public static async Task UpsertAsync(DbConnection connection, DbTransaction transaction, string environmentId, IEnumerable<CompanyStanding> rows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var refreshedAt = now.ToUnixTimeMilliseconds();
        await MultiRowInsert.ExecuteAsync(
            connection,
            transaction,
            "company_directory",
            UpsertColumns,
            [.. rows.Select(r => new object?[]
            {
                environmentId, r.CompanyId, r.Name, r.SortName, r.SearchText, r.MainKey, r.PlanId, r.AddOnIds, r.PlanVersionIds,
                r.TrialEndsAt?.ToUnixTimeMilliseconds(), r.OverrideCount, r.WorstRatio, r.WorstFeatureId, r.WorstUsage, r.WorstLimit,
                r.StaleAt?.ToUnixTimeMilliseconds(), r.CreatedAt.ToUnixTimeMilliseconds(), refreshedAt, r.WholeTraits,
            })],
            """
            ON CONFLICT (environment_id, company_id) DO UPDATE SET name = excluded.name, sort_name = excluded.sort_name,
                search_text = excluded.search_text, main_key = excluded.main_key, plan_id = excluded.plan_id, add_on_ids = excluded.add_on_ids,
                plan_version_ids = excluded.plan_version_ids,
                trial_ends_at = excluded.trial_ends_at, override_count = excluded.override_count, worst_ratio = excluded.worst_ratio,
                worst_feature_id = excluded.worst_feature_id, worst_usage = excluded.worst_usage, worst_limit = excluded.worst_limit,
                stale_at = excluded.stale_at, created_at = excluded.created_at, refreshed_at = excluded.refreshed_at,
                whole_traits = excluded.whole_traits
            """).ConfigureAwait(false);
    }

    /// <summary>Deletes the rows of these companies (deleted ones).</summary>
    public async Task DeleteAsync(DbConnection connection, DbTransaction transaction, string environmentId, IReadOnlyCollection<string> companyIds)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.ExecuteAsync(
            $"DELETE FROM company_directory WHERE environment_id = @environmentId AND {Database.Dialect.IsAnyOf("company_id", "companyIds")}",
            new { environmentId, companyIds = companyIds.ToArray() },
            transaction).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits, inside a transaction that writes the environment's rows, until no other transaction writes them. The rows'
    /// triggers update the environment's tallies (migration 29) row by row, and two nodes' passes updating them in
    /// different orders would deadlock on PostgreSQL; SQLite has one writer at a time already.
    /// </summary>
    public static Task TakeTurnAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, string environmentId) =>
        AdvisoryLock.ForTransactionAsync(connection, transaction, dialect, AdvisoryLockNames.Directory(environmentId));

    /// <summary>Deletes the rows whose company no longer exists (after a rebuild).</summary>
    public async Task DeleteOrphansAsync(string environmentId, CancellationToken cancellationToken) =>
        await Database.WriteAsync(
            async (connection, transaction) =>
            {
                await TakeTurnAsync(connection, transaction, Database.Dialect, environmentId).ConfigureAwait(false);
                return await connection.ExecuteAsync(
                    $"""
                    DELETE FROM company_directory WHERE environment_id = @environmentId AND NOT EXISTS (
                        SELECT 1 FROM resources r WHERE r.environment_id = @environmentId AND r.id = company_directory.company_id AND r.kind = '{ResourceKinds.Company}')
                    """,
                    new { environmentId },
                    transaction).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>The sum of the whole-number values of a trait over the environment's rows (migration 36's totals): one row read.</summary>
    public async Task<decimal> TraitTotalAsync(string environmentId, string traitName, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<decimal?>(new CommandDefinition(
            "SELECT total FROM company_trait_totals WHERE environment_id = @environmentId AND trait_name = @traitName",
            new { environmentId, traitName },
            cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;
    }

    /// <summary>How many rows and how many companies the environment has: a rebuild is due when they differ.</summary>
    public async Task<(long Rows, long Companies)> SizesAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            $"""
            SELECT (SELECT COUNT(*) FROM company_directory WHERE environment_id = @environmentId),
                (SELECT COUNT(*) FROM resources WHERE environment_id = @environmentId AND kind = '{ResourceKinds.Company}')
            """,
            new { environmentId },
            commandTimeout: Database.WholeStoreStatementSeconds,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// How many rows hold each of <paramref name="versionIds"/> (in <see cref="CompanyStanding.PlanVersionIds"/>), from
    /// the tallies migration 31's triggers keep: a read of a few rows whatever the number of companies. Versions no row
    /// holds are left out.
    /// </summary>
    public async Task<IReadOnlyList<(string VersionId, long Companies)>> CompaniesPerVersionAsync(
        string environmentId, IReadOnlyCollection<string> versionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versionIds);
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, long)>(new CommandDefinition(
            $"""
            SELECT plan_version_id, companies FROM company_directory_version_tallies
            WHERE environment_id = @environmentId AND {Database.Dialect.IsAnyOf("plan_version_id", "versionIds")} AND companies <> 0
            """,
            new { environmentId, versionIds = versionIds.ToArray() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>How many rows the environment has, from the per-plan tallies (migration 29): a read of a few rows.</summary>
    public async Task<long> TotalAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT SUM(companies) FROM company_directory_tallies WHERE environment_id = @environmentId AND tally LIKE '{PlanTally}%'",
            new { environmentId },
            cancellationToken: cancellationToken)).ConfigureAwait(false) ?? 0;
    }

    /// <summary>
    /// How many rows hold each base plan per month of creation (<c>YYYY-MM</c>, UTC), from migration 44's tallies: a read
    /// of a few rows per plan and month, whatever the number of companies. Pairs no row holds are left out.
    /// </summary>
    public async Task<IReadOnlyList<(string PlanId, string Month, long Companies)>> PlanMonthsAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, string, long)>(new CommandDefinition(
            "SELECT plan_id, month, companies FROM company_directory_plan_months WHERE environment_id = @environmentId AND companies <> 0",
            new { environmentId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>How many rows hold each plan version (migration 31's tallies), every version any row holds: a read of a few rows.</summary>
    public async Task<IReadOnlyList<(string VersionId, long Companies)>> VersionTalliesAsync(string environmentId, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, long)>(new CommandDefinition(
            "SELECT plan_version_id, companies FROM company_directory_version_tallies WHERE environment_id = @environmentId AND companies <> 0",
            new { environmentId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>Rows whose standing has lapsed by <paramref name="now"/> (see <see cref="CompanyStanding.StaleAt"/>), at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<(string EnvironmentId, string CompanyId)>> StaleAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT environment_id, company_id FROM company_directory WHERE stale_at IS NOT NULL AND stale_at <= @now ORDER BY stale_at LIMIT @limit",
            new { now = now.ToUnixTimeMilliseconds(), limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>One page of the companies matching <paramref name="query"/> (whose plan is an add-on when <paramref name="planIsAddOn"/>), and how many match.</summary>
    public async Task<(IReadOnlyList<StoredRow> Rows, long Total)> FindAsync(string environmentId, CompanyDirectoryQuery query, bool planIsAddOn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder("environment_id = @environmentId");
        var parameters = new DynamicParameters(new { environmentId });
        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            where.Append(@" AND search_text LIKE @q ESCAPE '\'");
            parameters.Add("q", $"%{EscapeLike(query.Q.Trim().ToLowerInvariant())}%");
        }

        // A base plan is found by its index; an add-on (rarer, and held by fewer companies) by a scan of the add-on lists.
        if (query.PlanId is { } planId)
        {
            where.Append(planIsAddOn ? @" AND add_on_ids LIKE @addOn ESCAPE '\'" : " AND plan_id = @planId");
            parameters.Add("planId", planId);
            parameters.Add("addOn", $"%|{EscapeLike(planId)}|%");
        }

        if (query.OverLimit || query.NearLimit)
        {
            where.Append(query.NearLimit ? " AND worst_ratio >= @near" : " AND worst_ratio >= 1");
            parameters.Add("near", query.NearLimitRatio);
        }

        if (query.NearLimit && !query.OverLimit)
        {
            where.Append(" AND worst_ratio < 1");
        }

        if (query.Trialing)
        {
            where.Append(" AND trial_ends_at IS NOT NULL");
        }

        if (query.HasOverrides)
        {
            where.Append(" AND override_count > 0");
        }

        var direction = query.Descending ? "DESC" : "ASC";
        var order = query.Sort switch
        {
            CompanyDirectorySort.Created => $"created_at {direction}, company_id {direction}",
            CompanyDirectorySort.UsageRatio => $"worst_ratio {direction}, company_id {direction}",
            _ => $"sort_name {direction}, company_id {direction}",
        };
        parameters.Add("limit", query.PageSize);
        parameters.Add("offset", (long)(query.Page - 1) * query.PageSize);

        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Counting stops one past the cap: an exact count of every company costs a scan of them all on each page.
        parameters.Add("countCap", CompanyDirectoryPage.MaxCounted + 1);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM (SELECT 1 FROM company_directory WHERE {where} LIMIT @countCap) matches", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var rows = total == 0 ? [] : await connection.QueryAsync<StoredRow>(new CommandDefinition(
            $"SELECT {Columns} FROM company_directory WHERE {where} ORDER BY {order} LIMIT @limit OFFSET @offset",
            parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ([.. rows], total);
    }

    /// <summary>
    /// The near-limit ratio the stored tallies count with (migration 29's triggers): counts at another ratio are taken
    /// from the rows instead.
    /// </summary>
    public const double TalliedNearLimitRatio = 0.8;

    /// <summary>The dashboard's counts and short lists (<see cref="CompanyDirectoryCounts"/>), before plan and feature names are added.</summary>
    public async Task<StoredCounts> CountAsync(string environmentId, double nearLimitRatio, int listSize, CancellationToken cancellationToken)
    {
        var parameters = new { environmentId, near = nearLimitRatio, listSize };
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // The tallies the triggers keep: a read of a few rows instead of a count of every company.
        var tallies = (await connection.QueryAsync<(string Tally, long Companies)>(new CommandDefinition(
            "SELECT tally, companies FROM company_directory_tallies WHERE environment_id = @environmentId AND companies <> 0",
            parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToDictionary(t => t.Tally, t => t.Companies, StringComparer.Ordinal);
        var plans = tallies.Where(t => t.Key.StartsWith(PlanTally, StringComparison.Ordinal))
            .Select(t => (PlanId: t.Key.Length == PlanTally.Length ? null : t.Key[PlanTally.Length..], Count: t.Value)).ToList();
        var near = nearLimitRatio == TalliedNearLimitRatio
            ? tallies.GetValueOrDefault("near")
            : await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM company_directory WHERE environment_id = @environmentId AND worst_ratio >= @near AND worst_ratio < 1",
                parameters,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        var (over, trialing, overrides) = (tallies.GetValueOrDefault("over"), tallies.GetValueOrDefault("trialing"), tallies.GetValueOrDefault("overrides"));
        var topOver = await connection.QueryAsync<StoredRow>(new CommandDefinition(
            $"SELECT {Columns} FROM company_directory WHERE environment_id = @environmentId AND worst_ratio >= 1 ORDER BY worst_ratio DESC, company_id DESC LIMIT @listSize",
            parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var topNear = await connection.QueryAsync<StoredRow>(new CommandDefinition(
            $"SELECT {Columns} FROM company_directory WHERE environment_id = @environmentId AND worst_ratio >= @near AND worst_ratio < 1 ORDER BY worst_ratio DESC, company_id DESC LIMIT @listSize",
            parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var trials = await connection.QueryAsync<StoredRow>(new CommandDefinition(
            $"SELECT {Columns} FROM company_directory WHERE environment_id = @environmentId AND trial_ends_at IS NOT NULL ORDER BY trial_ends_at, company_id LIMIT @listSize",
            parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new StoredCounts(plans.Sum(p => p.Count), plans, over, near, trialing, overrides, [.. topOver], [.. topNear], [.. trials]);
    }

    private const string PlanTally = "plan:";

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal)
        .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    /// <summary>A row as stored.</summary>
    internal sealed class StoredRow
    {
        public string CompanyId { get; set; } = string.Empty;

        public string? Name { get; set; }

        public string? MainKey { get; set; }

        public string? PlanId { get; set; }

        public long? TrialEndsAt { get; set; }

        public long OverrideCount { get; set; }

        public double WorstRatio { get; set; }

        public string? WorstFeatureId { get; set; }

        public long? WorstUsage { get; set; }

        public long? WorstLimit { get; set; }

        public long CreatedAt { get; set; }
    }

    /// <summary>The counts as stored.</summary>
    internal sealed record StoredCounts(
        long Total,
        IReadOnlyList<(string? PlanId, long Count)> Plans,
        long OverLimit,
        long NearLimit,
        long Trialing,
        long WithOverrides,
        IReadOnlyList<StoredRow> TopOverLimit,
        IReadOnlyList<StoredRow> TopNearLimit,
        IReadOnlyList<StoredRow> TrialsEndingSoon);
}
