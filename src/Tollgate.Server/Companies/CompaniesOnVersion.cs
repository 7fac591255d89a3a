using System.Globalization;
using Dapper;
using Tollgate.Server.Operations;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Companies;

/// <summary>
/// The companies on one version of a plan, as the <c>company_directory</c> rows record it (<see cref="CompanyStanding.PlanVersionIds"/>):
/// a short sample, and how many of them are over limits a plan change would set. Each answer reads index ranges (the
/// version's directory rows, the counters over a limit), so a dry run of a change never reads every company.
/// </summary>
internal sealed class CompaniesOnVersion(Database database, CompanyDirectoryRefresher refresher)
{
    /// <summary>How long a read waits for this node's queued directory refreshes, as <see cref="CompanyDirectory"/>'s reads do.</summary>
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Up to <paramref name="limit"/> ids of companies on one of <paramref name="versionIds"/> (all versions of
    /// <paramref name="planId"/>, a base plan when <paramref name="basePlan"/>), by name.
    /// </summary>
    public async Task<IReadOnlyList<string>> SampleAsync(
        string environmentId, string planId, bool basePlan, IReadOnlyList<string> versionIds, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(versionIds);
        if (versionIds.Count == 0)
        {
            return [];
        }

        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        var parameters = new DynamicParameters(new { environmentId, planId, limit });
        var onVersion = OnAnyVersion(versionIds, parameters);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT d.company_id FROM company_directory d
            WHERE d.environment_id = @environmentId AND {PlanFilter(basePlan)} AND ({onVersion})
            ORDER BY d.sort_name, d.company_id LIMIT @limit
            """,
            parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. ids];
    }

    /// <summary>
    /// How many companies on <paramref name="versionId"/> (of <paramref name="planId"/>, a base plan when
    /// <paramref name="basePlan"/>) are over each of <paramref name="limits"/> at <paramref name="now"/>, and how many are
    /// over at least one. A limit leaves out every company with an active override of its feature (the override decides
    /// the company's entitlement alone, so the new limit does not reach it); an expired override leaves the company under
    /// the plan's limit, as the per-company rule does (<c>PlanMigrationPreviewer.OverLimitAsync</c>).
    /// </summary>
    /// <remarks>
    /// Two sides are matched by company id:
    /// <list type="bullet">
    /// <item>each event limit ≥ 0: the companies whose current counter is over it, one range of migration 48's
    /// <c>usage_counters_over</c> (a company without a counter has used 0, which is over no limit ≥ 0; a limit's range
    /// holds at most one counter per company: the counters' key is the company, subtype, period and bucket, and a limit
    /// reads one bucket per company);</item>
    /// <item>the version's directory rows (an index-only scan of the plan's rows), each with, for a whole-number trait
    /// limit or a negative event limit, whether the row is over it (the trait values are one JSON column of the row,
    /// with no index of a trait's value to range over).</item>
    /// </list>
    /// PostgreSQL matches them in one statement (<see cref="LeftJoinedCounters"/>). SQLite's match in a statement (the
    /// counters materialized and probed with <c>IN</c>) cost more than both reads together, in temporary B-trees of the
    /// ids, so on SQLite each side is read apart and matched here (<see cref="OverLimitTally"/>). Measured at 100,000
    /// companies (bench/results/console-render-2026-12-07-h28.md), CPU per dry run over four runs: SQLite 42–63 ms
    /// against 69–82 ms; PostgreSQL read apart gained nothing (43–65 ms, server and database, against 41–60 ms: reading
    /// the 34,000 ids into the server cost about what the database's hash join saved), so it keeps its statement.
    /// Nothing reads a counter under the limit. The overrides are read from their index alone: the expired ones are read
    /// first (<see cref="ExpiredOverrides"/>) and named to the statements, so that no override's JSON expiry is parsed in
    /// them.
    /// </remarks>
    public async Task<OverLimitCounts> CountOverAsync(
        string environmentId, string planId, bool basePlan, string versionId, IReadOnlyList<UsageLimit> limits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.Count == 0)
        {
            return new OverLimitCounts(0, []);
        }

        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        PhaseProfile.MarkAmbient("dry-count-catchup");
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["environmentId"] = environmentId, ["planId"] = planId, ["version"] = VersionPattern(versionId), ["now"] = now.ToUnixTimeMilliseconds(),
        };
        var expired = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var featureId in limits.Select(l => l.FeatureId).Distinct(StringComparer.Ordinal))
        {
            expired[featureId] = await ExpiredOverrides.IdsAsync(database, environmentId, featureId, now, cancellationToken).ConfigureAwait(false);
        }

        PhaseProfile.MarkAmbient("dry-expired");
        var each = limits.Select((limit, i) => OverLimit(limit, i, now, expired[limit.FeatureId], parameters)).ToList();
        if (database.Dialect.IsPostgres)
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var row = (IDictionary<string, object?>)await connection.QuerySingleAsync(
                new CommandDefinition(LeftJoinedCounters(each, OnVersion(basePlan)), new DynamicParameters(parameters), cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new OverLimitCounts(Convert.ToInt64(row["any_limit"], CultureInfo.InvariantCulture), [.. limits.Select((_, i) => Convert.ToInt64(row[$"l{i}"] ?? 0L, CultureInfo.InvariantCulture))]);
        }

        var counters = each.Select(c => c.Counters is null ? null : CompaniesAsync($"SELECT u.company_id FROM usage_counters u WHERE {c.Counters}", parameters, cancellationToken)).ToList();
        var rows = VersionRowsAsync(each, basePlan, parameters, cancellationToken);
        var over = new HashSet<string>?[each.Count];
        for (var i = 0; i < each.Count; i++)
        {
            over[i] = counters[i] is { } read ? await read.ConfigureAwait(false) : null;
        }

        return OverLimitTally.Count(await rows.ConfigureAwait(false), over);
    }

    /// <summary>The ids a statement selects (one column), as a set (SQLite's side of a match, see <see cref="CountOverAsync"/>).</summary>
    private async Task<HashSet<string>> CompaniesAsync(string sql, Dictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, new DynamicParameters(parameters), cancellationToken: cancellationToken)).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>
    /// The version's directory rows: each company's id and, for each limit decided on the row (<see cref="OverLimitSql.Sql"/>),
    /// whether it is over it (null for a limit decided from its counters).
    /// </summary>
    private async Task<List<OverLimitTally.Row>> VersionRowsAsync(List<OverLimitSql> each, bool basePlan, Dictionary<string, object?> parameters, CancellationToken cancellationToken)
    {
        var onRow = Enumerable.Range(0, each.Count).Where(i => each[i].Sql is not null).ToList();
        var flags = string.Concat(onRow.Select(i => $", CASE WHEN {each[i].Sql} THEN 1 ELSE 0 END AS l{i}"));
        var sql = $"SELECT d.company_id{flags} FROM company_directory d WHERE {OnVersion(basePlan)}";
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, new DynamicParameters(parameters), cancellationToken: cancellationToken)).ConfigureAwait(false);
        var rows = new List<OverLimitTally.Row>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            bool[]? over = null;
            if (onRow.Count > 0)
            {
                over = new bool[each.Count];
                for (var k = 0; k < onRow.Count; k++)
                {
                    over[onRow[k]] = Convert.ToInt64(reader.GetValue(k + 1), CultureInfo.InvariantCulture) != 0;
                }
            }

            rows.Add(new OverLimitTally.Row(reader.GetString(0), over));
        }

        return rows;
    }

    /// <summary>
    /// PostgreSQL's count: the version's directory rows (an index-only scan of the plan's rows), each event limit's
    /// counters over it left-joined by company (a hash join per limit), and the rows counted with a filter per limit; no
    /// grouping, because a limit's set holds at most one counter per company (the counters' key is the company, subtype,
    /// period and bucket, and a limit reads one bucket per company). The subquery is kept apart (<c>OFFSET 0</c>) so that
    /// each row's flags, a trait limit's JSON among them, are computed once for the filters that use them. The statement
    /// before this one joined the counters of every limit as one set and grouped it by company. At 100,000 companies on
    /// a quiet machine it took 42 ms planned for its values (this one 23 ms), but the server runs it prepared (Npgsql
    /// prepares a statement on its second use), and prepared in psql its generic plan (PostgreSQL's choice from the
    /// sixth run) looked each of 16,000 counters' companies up in the directory by key and sorted the matches (270–285
    /// ms); this one keeps its hash joins as a generic plan (22–26 ms). The server's dry run took 155 ms p50 with the
    /// earlier statement and 34 ms with this one. Written as <c>IN</c> in the select list
    /// instead, PostgreSQL hashes each set only while its estimate fits in memory and probes the set once per directory
    /// row otherwise; a hash join spills to disk instead.
    /// </summary>
    private static string LeftJoinedCounters(List<OverLimitSql> each, string onVersion)
    {
        var joins = string.Concat(each.Select((c, i) => c.Counters is null ? string.Empty
            : $"\n    LEFT JOIN (SELECT u.company_id FROM usage_counters u WHERE {c.Counters}) c{i} ON c{i}.company_id = d.company_id"));
        var flags = string.Join(", ", each.Select((c, i) => c.Counters is null ? $"COALESCE({c.Sql}, FALSE) AS l{i}" : $"c{i}.company_id IS NOT NULL AS l{i}"));
        return $"""
            SELECT COUNT(*) FILTER (WHERE {string.Join(" OR ", each.Select((_, i) => $"x.l{i}"))}) AS any_limit{string.Concat(each.Select((_, i) => $", COUNT(*) FILTER (WHERE x.l{i}) AS l{i}"))} FROM (
                SELECT {flags} FROM company_directory d{joins}
                WHERE {onVersion} OFFSET 0) x
            """;
    }

    /// <summary>The row (aliased <c>d</c>) is on the version (<c>@version</c>, <see cref="VersionPattern"/>) of the plan.</summary>
    private static string OnVersion(bool basePlan) =>
        $@"d.environment_id = @environmentId AND {PlanFilter(basePlan)} AND d.plan_version_ids LIKE @version ESCAPE '\'";

    /// <summary>
    /// Limit <paramref name="i"/>: an event limit ≥ 0 as the condition on its counters (aliased <c>u</c>) of being over it
    /// (<see cref="OverLimitSql.Counters"/>), any other as the condition on the directory row (aliased <c>d</c>); either
    /// way its company has no active override of the limit's feature (one not among <paramref name="expiredOverrideIds"/>).
    /// </summary>
    private OverLimitSql OverLimit(UsageLimit limit, int i, DateTimeOffset now, string[] expiredOverrideIds, Dictionary<string, object?> parameters)
    {
        parameters[$"l{i}"] = limit.Limit;
        if (limit.EventSubtype is not null && limit.Limit >= 0)
        {
            return new OverLimitSql(null, $"{CountersOverLimit(limit, i, now, parameters)} AND {WithoutActiveOverride("u.company_id", limit, i, expiredOverrideIds, parameters)}");
        }

        return new OverLimitSql($"({Usage(limit, i, now, parameters)} > @l{i} AND {WithoutActiveOverride("d.company_id", limit, i, expiredOverrideIds, parameters)})", null);
    }

    /// <summary>The company has no override of the limit's feature but <paramref name="expiredOverrideIds"/>.</summary>
    private string WithoutActiveOverride(string companyIdColumn, UsageLimit limit, int i, string[] expiredOverrideIds, Dictionary<string, object?> parameters)
    {
        var condition = new EntitySql(database.Dialect).CompanyWithoutActiveOverrideOf(companyIdColumn, limit.FeatureId, $"f{i}", expiredOverrideIds);
        foreach (var (name, value) in condition.Parameters)
        {
            parameters[name] = value;
        }

        return condition.Sql;
    }

    /// <summary>
    /// The current counters (aliased <c>u</c>) of event limit <paramref name="i"/> whose value is over it, as a range of
    /// <c>usage_counters_over</c>: the period's one bucket, or, for a period that resets on each company's billing
    /// anchor, the buckets after now, each kept only if it is its company's first after now (<see cref="Usage"/>).
    /// </summary>
    private static string CountersOverLimit(UsageLimit limit, int i, DateTimeOffset now, Dictionary<string, object?> parameters)
    {
        parameters[$"s{i}"] = limit.EventSubtype;
        parameters[$"p{i}"] = (int)limit.Period;
        var counters = $"u.environment_id = @environmentId AND u.event_subtype = @s{i} AND u.period = @p{i}";
        if (limit.Period != UsagePeriod.MonthFromBillingAnchor)
        {
            parameters[$"b{i}"] = UsagePeriods.BucketOf(limit.Period, now, null);
            return $"{counters} AND u.bucket = @b{i} AND u.value > @l{i}";
        }

        return $"""
            {counters} AND u.bucket > @now AND u.value > @l{i} AND u.bucket = (SELECT MIN(b.bucket) FROM usage_counters b
                WHERE b.environment_id = u.environment_id AND b.company_id = u.company_id AND b.event_subtype = u.event_subtype AND b.period = u.period AND b.bucket > @now)
            """;
    }

    /// <summary>
    /// The company's usage a limit compares, read for one directory row (aliased <c>d</c>): an event counter of the
    /// current period, or a whole-number trait. An event period that resets on the billing anchor ends at a different
    /// instant for each company: its current counter is the one that ends first after now (counters are keyed by their
    /// period's end, <see cref="UsagePeriods"/>).
    /// </summary>
    private string Usage(UsageLimit limit, int i, DateTimeOffset now, Dictionary<string, object?> parameters)
    {
        if (limit.EventSubtype is { } subtype)
        {
            parameters[$"s{i}"] = subtype;
            parameters[$"p{i}"] = (int)limit.Period;
            parameters[$"b{i}"] = UsagePeriods.BucketOf(limit.Period, now, null);
            var bucket = limit.Period == UsagePeriod.MonthFromBillingAnchor
                ? $"(SELECT MIN(b.bucket) FROM usage_counters b WHERE {CounterOf("b", i)} AND b.bucket > @now)"
                : $"@b{i}";
            return $"COALESCE((SELECT u.value FROM usage_counters u WHERE {CounterOf("u", i)} AND u.bucket = {bucket}), 0)";
        }

        // Migration 36's whole-number traits of the row (a trait held as text is not among them).
        parameters[$"t{i}"] = database.Dialect.IsPostgres ? limit.TraitName : $"$.\"{limit.TraitName}\"";
        return database.Dialect.IsPostgres ? $"COALESCE((d.whole_traits::jsonb ->> @t{i})::numeric, 0)" : $"COALESCE(json_extract(d.whole_traits, @t{i}), 0)";
    }

    /// <summary>The counters (aliased <paramref name="alias"/>) of the row's company for limit <paramref name="i"/>'s subtype and period.</summary>
    private static string CounterOf(string alias, int i) =>
        $"{alias}.environment_id = d.environment_id AND {alias}.company_id = d.company_id AND {alias}.event_subtype = @s{i} AND {alias}.period = @p{i}";

    /// <summary>The index the rows are found by: a base plan's rows by <c>plan_id</c>; an add-on's versions are on rows of every base plan.</summary>
    private static string PlanFilter(bool basePlan) => basePlan ? "d.plan_id = @planId" : "1 = 1";

    /// <summary>The row (aliased <c>d</c>) is on one of <paramref name="versionIds"/>.</summary>
    private static string OnAnyVersion(IReadOnlyList<string> versionIds, DynamicParameters parameters) =>
        string.Join(" OR ", versionIds.Select((v, i) =>
        {
            parameters.Add($"v{i}", VersionPattern(v));
            return $@"d.plan_version_ids LIKE @v{i} ESCAPE '\'";
        }));

    private static string VersionPattern(string versionId) =>
        $"%|{versionId.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal)}|%";
}

/// <summary>
/// A limit a plan change would set on a feature: usage above <see cref="Limit"/> is over. The usage is the event
/// counter of <see cref="EventSubtype"/> in <see cref="Period"/>, or, for a trait feature, the trait <see cref="TraitName"/>.
/// </summary>
internal sealed record UsageLimit(string FeatureId, string? EventSubtype, UsagePeriod Period, string? TraitName, long Limit);

/// <summary>
/// A limit's condition of being over it: on a directory row (<see cref="Sql"/>), or, for a limit decided from the
/// counters over it, on a counter row aliased <c>u</c> (<see cref="Counters"/>). Exactly one is set.
/// </summary>
internal sealed record OverLimitSql(string? Sql, string? Counters);

/// <summary>How many companies are over each limit given (in order), and how many over at least one of them.</summary>
internal sealed record OverLimitCounts(long AnyLimit, IReadOnlyList<long> PerLimit);
