using Dapper;
using Tollgate.Server.Companies;
using Tollgate.Server.Insights;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Tests.Insights;

/// <summary>Every projection row of an environment (directory, insights, signals, their tallies) as text, to compare two writes of them.</summary>
internal sealed record ProjectionRows(List<string> Directory, List<string> Insights, List<string> Signals, List<string> Tallies)
{
    /// <summary>Asserts that <paramref name="actual"/> holds the same rows as <paramref name="expected"/>, table by table.</summary>
    public static void AssertSame(ProjectionRows expected, ProjectionRows actual)
    {
        Assert.Equal(expected.Directory, actual.Directory);
        Assert.Equal(expected.Insights, actual.Insights);
        Assert.Equal(expected.Signals, actual.Signals);
        Assert.Equal(expected.Tallies, actual.Tallies);
    }

    /// <summary>The rows in a fixed order, without the instant each was written, once both refreshers have caught up.</summary>
    public static async Task<ProjectionRows> ReadAsync(Database database, string environmentId, CompanyDirectoryRefresher directory, InsightRefresher insights)
    {
        await directory.CatchUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        await insights.CatchUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        return await ReadNowAsync(database, environmentId);
    }

    /// <summary>The rows as they are now, without waiting for the refreshers (what a writer left, before a rebuild the change feed asked for).</summary>
    public static async Task<ProjectionRows> ReadNowAsync(Database database, string environmentId)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        async Task<List<string>> TextAsync(string sql) =>
            [.. (await connection.QueryAsync(sql, new { environmentId })).Select(row => string.Join(
                " | ", ((IDictionary<string, object?>)row).Select(c => $"{c.Key}={Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture)}")))];
        return new ProjectionRows(
            await TextAsync("""
                SELECT company_id, name, sort_name, search_text, main_key, plan_id, add_on_ids, plan_version_ids, trial_ends_at, override_count,
                    worst_ratio, worst_feature_id, worst_usage, worst_limit, stale_at, created_at, whole_traits
                FROM company_directory WHERE environment_id = @environmentId ORDER BY company_id
                """),
            await TextAsync("SELECT company_id, plan_id, created_at, mrr, currency, stale_at FROM company_insights WHERE environment_id = @environmentId ORDER BY company_id"),
            await TextAsync("""
                SELECT company_id, kind, score, company_name, plan_id, feature_id, reason, evidence, mrr, currency
                FROM company_signals WHERE environment_id = @environmentId ORDER BY company_id, kind
                """),
            [
                .. await TextAsync("SELECT tally, companies FROM company_directory_tallies WHERE environment_id = @environmentId AND companies <> 0 ORDER BY tally"),
                .. await TextAsync("SELECT plan_version_id, companies FROM company_directory_version_tallies WHERE environment_id = @environmentId AND companies <> 0 ORDER BY plan_version_id"),
                .. await TextAsync("SELECT trait_name, total FROM company_trait_totals WHERE environment_id = @environmentId AND total <> 0 ORDER BY trait_name"),
                .. await TextAsync("SELECT plan_id, month, companies FROM company_directory_plan_months WHERE environment_id = @environmentId AND companies <> 0 ORDER BY plan_id, month"),
            ]);
    }
}
