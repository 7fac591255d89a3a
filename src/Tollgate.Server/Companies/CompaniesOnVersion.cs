using System.Globalization;
using System.Text;
using Dapper;
using Tollgate.Server.Storage;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Companies;

/// <summary>
/// The companies on one version of a plan, as the <c>company_directory</c> rows record it (<see cref="CompanyStanding.PlanVersionIds"/>):
/// a short sample, and how many of them are over limits a plan change would set. Each answer is one SQL statement, so a
/// dry run of a change costs index lookups, not a read of every company.
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
        var onVersion = string.Join(" OR ", versionIds.Select((v, i) =>
        {
            parameters.Add($"v{i}", VersionPattern(v));
            return $@"d.plan_version_ids LIKE @v{i} ESCAPE '\'";
        }));
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
    /// <paramref name="basePlan"/>) are over at least one of <paramref name="limits"/> at <paramref name="now"/>, leaving
    /// out every company with an override of the limit's feature, active or not: an active override decides the
    /// company's entitlement alone, so the caller decides those few companies one by one.
    /// </summary>
    public async Task<long> CountOverAsync(
        string environmentId, string planId, bool basePlan, string versionId, IReadOnlyList<UsageLimit> limits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.Count == 0)
        {
            return 0;
        }

        await refresher.CatchUpAsync(CatchUp, cancellationToken).ConfigureAwait(false);
        var parameters = new DynamicParameters(new { environmentId, planId, version = VersionPattern(versionId), now = now.ToUnixTimeMilliseconds() });
        var over = new StringBuilder();
        for (var i = 0; i < limits.Count; i++)
        {
            var withoutOverride = EntitySql.CompanyWithoutOverrideOf("d.company_id", limits[i].FeatureId, $"f{i}");
            foreach (var (name, value) in withoutOverride.Parameters)
            {
                parameters.Add(name, value);
            }

            parameters.Add($"l{i}", limits[i].Limit);
            over.Append(i == 0 ? string.Empty : " OR ").Append(CultureInfo.InvariantCulture, $"({Usage(limits[i], i, now, parameters)} > @l{i} AND {withoutOverride.Sql})");
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"""
            SELECT COUNT(*) FROM company_directory d
            WHERE d.environment_id = @environmentId AND {PlanFilter(basePlan)} AND d.plan_version_ids LIKE @version ESCAPE '\' AND ({over})
            """,
            parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The company's usage a limit compares: an event counter of the current period, or a whole-number trait. An event
    /// period that resets on the billing anchor ends at a different instant for each company: its current counter is
    /// the one that ends first after now (counters are keyed by their period's end, <see cref="UsagePeriods"/>).
    /// </summary>
    private string Usage(UsageLimit limit, int i, DateTimeOffset now, DynamicParameters parameters)
    {
        if (limit.EventSubtype is { } subtype)
        {
            parameters.Add($"s{i}", subtype);
            parameters.Add($"p{i}", (int)limit.Period);
            parameters.Add($"b{i}", UsagePeriods.BucketOf(limit.Period, now, null));
            var bucket = limit.Period == UsagePeriod.MonthFromBillingAnchor
                ? $"(SELECT MIN(b.bucket) FROM usage_counters b WHERE {CounterOf("b", i)} AND b.bucket > @now)"
                : $"@b{i}";
            return $"COALESCE((SELECT u.value FROM usage_counters u WHERE {CounterOf("u", i)} AND u.bucket = {bucket}), 0)";
        }

        // Migration 36's whole-number traits of the row (a trait held as text is not among them).
        parameters.Add($"t{i}", database.Dialect.IsPostgres ? limit.TraitName : $"$.\"{limit.TraitName}\"");
        return database.Dialect.IsPostgres ? $"COALESCE((d.whole_traits::jsonb ->> @t{i})::numeric, 0)" : $"COALESCE(json_extract(d.whole_traits, @t{i}), 0)";
    }

    /// <summary>The counters (aliased <paramref name="alias"/>) of the row's company for limit <paramref name="i"/>'s subtype and period.</summary>
    private static string CounterOf(string alias, int i) =>
        $"{alias}.environment_id = d.environment_id AND {alias}.company_id = d.company_id AND {alias}.event_subtype = @s{i} AND {alias}.period = @p{i}";

    /// <summary>The index the rows are found by: a base plan's rows by <c>plan_id</c>; an add-on's versions are on rows of every base plan.</summary>
    private static string PlanFilter(bool basePlan) => basePlan ? "d.plan_id = @planId" : "1 = 1";

    private static string VersionPattern(string versionId) =>
        $"%|{versionId.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal)}|%";
}

/// <summary>
/// A limit a plan change would set on a feature: usage above <see cref="Limit"/> is over. The usage is the event
/// counter of <see cref="EventSubtype"/> in <see cref="Period"/>, or, for a trait feature, the trait <see cref="TraitName"/>.
/// </summary>
internal sealed record UsageLimit(string FeatureId, string? EventSubtype, UsagePeriod Period, string? TraitName, long Limit);
