using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Tests.Usage;

/// <summary>
/// The reads of a cold company's load on SQLite are ranges of the company's own rows, not walks of the environment's:
/// some companies' counters (the load, the directory refresher's and the insights' batches) a range of the counters'
/// primary key (<see cref="SqlDialect.CountersByCompany"/>), a parent's documents (a company's overrides) a range of
/// the parent index (<see cref="ResourceStore.ListOrder"/>). SQLite plans without statistics, so the plan does not
/// depend on how many rows the store holds: an empty migrated store shows the plan a 100,000-company store gets.
/// </summary>
public sealed class SqliteReadPlanTests : IAsyncLifetime
{
    private const string PrimaryKeyRange = "sqlite_autoindex_usage_counters_1 (environment_id=? AND company_id=?)";

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"tollgate-counter-plan-{Guid.NewGuid():N}.db");
    private SqliteDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = new SqliteDatabase($"Data Source={_file}");
        await Migrations.ApplyAsync(_database, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task OneCompanysCountersAreARangeOfThePrimaryKey()
    {
        var plan = await PlanAsync(
            $"SELECT event_subtype, period, bucket, value FROM {SqlDialect.Sqlite.CountersByCompany} WHERE environment_id = @e AND company_id = @c AND (bucket = 0 OR bucket > @now)",
            new { e = "env", c = "comp", now = 1L });
        Assert.Contains(PrimaryKeyRange, plan, StringComparison.Ordinal);
        Assert.DoesNotContain("usage_counters_over", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABatchOfCompaniesCountersIsARangeOfThePrimaryKeyPerCompany()
    {
        var plan = await PlanAsync(
            $"SELECT company_id, event_subtype, period, bucket, value FROM {SqlDialect.Sqlite.CountersByCompany} WHERE environment_id = @e AND {SqlDialect.Sqlite.IsAnyOf("company_id", "ids")} AND (bucket = 0 OR bucket > @now)",
            new { e = "env", ids = new[] { "comp_a", "comp_b", "comp_c" }, now = 1L });
        Assert.Contains(PrimaryKeyRange, plan, StringComparison.Ordinal);
        Assert.DoesNotContain("usage_counters_over", plan, StringComparison.Ordinal);
    }

    /// <summary>
    /// Why the key is named: the same read of the table as is walks migration 48's index over every counter of the
    /// environment. If a newer SQLite plans it well by itself, this fails, and the name may go.
    /// </summary>
    [Fact]
    public async Task UnnamedTheReadWalksTheEnvironmentsCounters()
    {
        var plan = await PlanAsync(
            "SELECT event_subtype, period, bucket, value FROM usage_counters WHERE environment_id = @e AND company_id = @c AND (bucket = 0 OR bucket > @now)",
            new { e = "env", c = "comp", now = 1L });
        Assert.Contains("usage_counters_over (environment_id=?)", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AParentsDocumentsAreARangeOfTheParentIndexSortedAfter()
    {
        var plan = await PlanAsync(
            $"SELECT data FROM resources WHERE environment_id = @e AND kind = @k AND parent_id = @p ORDER BY {ResourceStore.ListOrder(SqlDialect.Sqlite, "comp")}",
            new { e = "env", k = ResourceKinds.CompanyOverride, p = "comp" });
        Assert.Contains("resources_parent (environment_id=? AND kind=? AND parent_id=?)", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKindsDocumentsWalkTheListOrder()
    {
        var plan = await PlanAsync(
            $"SELECT data FROM resources WHERE environment_id = @e AND kind = @k ORDER BY {ResourceStore.ListOrder(SqlDialect.Sqlite, null)} LIMIT 10",
            new { e = "env", k = ResourceKinds.Company });
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    /// <summary>
    /// A user count by base plan reads the few users of several companies first and their links by the primary key,
    /// not every user link of the environment by the link index (<see cref="Tollgate.Server.Companies.UserPlanTallies"/>).
    /// </summary>
    [Fact]
    public async Task TheSharedUsersExtraLinksStartFromTheSharedUsers()
    {
        var plan = await PlanAsync(
            Tollgate.Server.Companies.UserPlanTallies.ExtraLinksOfSharedUsers(SqlDialect.Sqlite),
            new { environmentId = "env", plans = new[] { "plan_a", "plan_b" } });
        var shared = plan.IndexOf("sqlite_autoindex_shared_users_1 (environment_id=?)", StringComparison.Ordinal);
        var links = plan.IndexOf("sqlite_autoindex_resource_links_1 (environment_id=? AND kind=? AND id=?)", StringComparison.Ordinal);
        Assert.InRange(shared, 0, links);
        Assert.DoesNotContain("resource_links_linked", plan, StringComparison.Ordinal);
    }

    /// <summary>
    /// A page of a feature's holders probes each company's override state (migration 61) by the primary key's prefix
    /// of environment, feature and company, not the feature's rows by the count's index
    /// (<see cref="Tollgate.Server.Companies.FeatureHolders.Holds"/>).
    /// </summary>
    [Fact]
    public async Task AFeatureHoldersOverrideProbeIsAKeyLookupOfTheCompanysState()
    {
        var plan = await PlanAsync(
            $"""
            SELECT c.id FROM resources c WHERE c.environment_id = @environmentId AND c.kind = 'company'
                AND EXISTS (SELECT 1 FROM feature_override_states hs WHERE {Tollgate.Server.Companies.FeatureHolders.DecidingStateOf("c", "hs")})
            """,
            new { environmentId = "env", h_feature = "feat", h_at = 0L });
        Assert.Contains("sqlite_autoindex_feature_override_states_1 (environment_id=? AND feature_id=? AND company_id=?", plan, StringComparison.Ordinal);
    }

    private async Task<string> PlanAsync(string sql, object parameters)
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters);
        return string.Join("\n", rows.Select(r => r.Detail));
    }
}
