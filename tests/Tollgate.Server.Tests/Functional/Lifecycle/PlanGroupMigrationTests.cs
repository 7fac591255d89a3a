using Dapper;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Functional.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Lifecycle;

/// <summary>
/// Migration 11 on a database whose Stripe connection still holds <c>fallback_plan_id</c> (a version-10 database): the
/// fallback becomes the plan group's, leaves the connection's settings, and the other settings stay.
/// </summary>
public abstract class PlanGroupMigrationTests(StoreKind store)
{
    [Fact]
    public async Task MigrationElevenCarriesTheConnectionsFallbackIntoThePlanGroup()
    {
        await using var shared = await SharedDatabase.CreateAsync(store);
        Database database = store == StoreKind.Postgres
            ? new PostgresDatabase(TestPostgres.ConnectionStringOf(shared.Name))
            : new SqliteDatabase($"Data Source={Path.Combine(Path.GetTempPath(), shared.Name + ".db")}");
        await Migrations.ApplyAsync(database, CancellationToken.None);

        // Back to version 10, with a connection as version 10 stored it.
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync(
                """
                DELETE FROM schema_migrations WHERE version = 11;
                DROP TABLE company_trials;
                DROP TABLE lifecycle_events;
                INSERT INTO environments (id, name, created_at) VALUES ('env_old', 'old', 1000);
                INSERT INTO stripe_connections (environment_id, secrets, settings, account_id, account_name, connected_at, updated_at)
                VALUES ('env_old', 'sealed', '{"fallback_plan_id":"plan_free","past_due_policy":"fallback","customer_company_key":"id"}', NULL, NULL, 1000, 1749643200000);
                """);
        }

        Assert.Equal([11], await Migrations.ApplyAsync(database, CancellationToken.None));

        await using var check = await database.OpenAsync(CancellationToken.None);
        var settings = await check.QuerySingleAsync<string>("SELECT settings FROM stripe_connections WHERE environment_id = 'env_old'");
        Assert.DoesNotContain("fallback_plan_id", settings, StringComparison.Ordinal);
        Assert.Contains("\"past_due_policy\"", settings, StringComparison.Ordinal);
        var stored = await check.QuerySingleAsync<(string Id, string Key, string Data)>("SELECT id, key, data FROM resources WHERE environment_id = 'env_old' AND kind = 'plan_group'");
        Assert.Equal("plan_group", stored.Key);
        var group = StoredJson.Deserialize<Server.Lifecycle.PlanGroupRecord>(stored.Data);
        Assert.Equal((stored.Id, "plan_free"), (group.Id, group.FallbackPlanId));
        Assert.Equal(new DateTimeOffset(2025, 6, 11, 12, 0, 0, TimeSpan.Zero), group.CreatedAt);
        Assert.Empty(group.OrderedPlans);
    }
}

public sealed class PlanGroupMigrationTestsOnSqlite() : PlanGroupMigrationTests(StoreKind.Sqlite);

public sealed class PlanGroupMigrationTestsOnPostgres() : PlanGroupMigrationTests(StoreKind.Postgres);
