using System.Net;
using Dapper;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Functional.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// A company's users and an add-on's companies are read through <c>resource_links</c>, which the store keeps with each
/// write of a user or company: the answers follow memberships made and removed, users deleted and add-ons dropped; and
/// migration 20 fills the links from documents stored before it.
/// </summary>
public abstract class ResourceLinkTests(TollgateFactory server)
{
    [Fact]
    public async Task ACompanysUsersAndAnAddOnsCompaniesFollowEveryWrite()
    {
        var s = await PricingScenario.CreateAsync(server);
        var storage = await Given.PlanAsync(s.Api, "Storage", "add_on");
        var acme = await Given.CompanyAsync(s.Api, "acme", s.Pro);
        var globex = await Given.CompanyAsync(s.Api, "globex", s.Pro);
        (await s.Api.PostAsync("/companies", new { keys = Given.Keys("acme"), addOnIds = new[] { storage } })).ShouldBe(HttpStatusCode.OK);
        var ana = await UserAsync(s, "ana@acme.test", acme);
        var bo = await UserAsync(s, "bo@acme.test", acme);
        (await s.Api.PostAsync("/company-memberships", new { companyId = globex, userId = bo })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal([ana, bo], await UsersOfAsync(s, acme));
        Assert.Equal([bo], await UsersOfAsync(s, globex));
        Assert.Equal((2, 1), (await UserCountAsync(s, acme), await UserCountAsync(s, globex)));
        Assert.Equal(1, await CompanyCountAsync(s, storage));

        // One write that swaps an add-on for another: the link to the first goes, the link to the second comes.
        var backup = await Given.PlanAsync(s.Api, "Backup", "add_on");
        (await s.Api.PostAsync("/companies", new { keys = Given.Keys("acme"), addOnIds = new[] { backup } })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal((0, 1), (await CompanyCountAsync(s, storage), await CompanyCountAsync(s, backup)));

        var membership = (await s.Api.GetAsync($"/company-memberships?company_id={acme}&user_id={bo}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single();
        (await s.Api.DeleteAsync($"/company-memberships/{membership.GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK);
        (await s.Api.DeleteAsync($"/users/{ana}")).ShouldBe(HttpStatusCode.OK);
        (await s.Api.PostAsync("/companies", new { keys = Given.Keys("acme"), addOnIds = Array.Empty<string>() })).ShouldBe(HttpStatusCode.OK);

        Assert.Empty(await UsersOfAsync(s, acme));
        Assert.Equal([bo], await UsersOfAsync(s, globex));
        Assert.Equal((0, 1), (await UserCountAsync(s, acme), await UserCountAsync(s, globex)));
        Assert.Equal((0, 0), (await CompanyCountAsync(s, storage), await CompanyCountAsync(s, backup)));
        var users = (await s.Api.GetAsync($"/users?company_id={globex}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal([bo], users.EnumerateArray().Select(u => u.GetProperty("id").GetString()));
    }

    private static async Task<string> UserAsync(PricingScenario s, string email, string companyId) =>
        (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = email }, companyId })).ShouldBe(HttpStatusCode.OK).Id;

    private static async Task<List<string?>> UsersOfAsync(PricingScenario s, string companyId) =>
        [.. (await s.Api.GetAsync($"/company-memberships?company_id={companyId}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(m => m.GetProperty("user_id").GetString())];

    private static async Task<long> UserCountAsync(PricingScenario s, string companyId) =>
        (await s.Api.GetAsync($"/companies/{companyId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("user_count").GetInt64();

    private static async Task<long> CompanyCountAsync(PricingScenario s, string planId) =>
        (await s.Api.GetAsync("/plans?plan_type=add_on")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Single(p => p.GetProperty("id").GetString() == planId).GetProperty("company_count").GetInt64();
}

public sealed class ResourceLinkTestsOnSqlite(SqliteServer server) : ResourceLinkTests(server), IClassFixture<SqliteServer>;

public sealed class ResourceLinkTestsOnPostgres(PostgresServer server) : ResourceLinkTests(server), IClassFixture<PostgresServer>;

/// <summary>Migration 20 on a version-16 database: the links of the users and companies stored before are filled.</summary>
public abstract class ResourceLinkMigrationTests(StoreKind store)
{
    [Fact]
    public async Task MigrationTwentyLinksTheUsersAndCompaniesStoredBeforeIt()
    {
        await using var shared = await SharedDatabase.CreateAsync(store);
        Database database = store == StoreKind.Postgres
            ? new PostgresDatabase(TestPostgres.ConnectionStringOf(shared.Name))
            : new SqliteDatabase($"Data Source={Path.Combine(Path.GetTempPath(), shared.Name + ".db")}");
        await Migrations.ApplyAsync(database, CancellationToken.None);

        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            // Migrations 29 and 31 read the column migration 20 adds: they are undone first, and applied again after 20. On
            // PostgreSQL their triggers are migration 45's statement-level ones, which read it too: 45 is undone and applied
            // again as well. Migrations 59's and 60's triggers read the links too: they are undone and applied again after 20,
            // and 61 and 62, which replace 60's override states and add user links to its tallies, after them.
            await connection.ExecuteAsync(store == StoreKind.Postgres
                ? """
                  DROP TRIGGER company_directory_counts_insert ON company_directory;
                  DROP TRIGGER company_directory_counts_update ON company_directory;
                  DROP TRIGGER company_directory_counts_delete ON company_directory;
                  DROP FUNCTION company_directory_counts_insert();
                  DROP FUNCTION company_directory_counts_update();
                  DROP FUNCTION company_directory_counts_delete();
                  DELETE FROM schema_migrations WHERE version = 45;
                  DROP TRIGGER user_plan_tallies_companies_insert ON resources;
                  DROP TRIGGER user_plan_tallies_companies_update ON resources;
                  DROP TRIGGER user_plan_tallies_companies_delete ON resources;
                  DROP TRIGGER user_plan_tallies_links_insert ON resource_links;
                  DROP TRIGGER user_plan_tallies_links_delete ON resource_links;
                  DROP FUNCTION user_plan_tallies_companies_insert();
                  DROP FUNCTION user_plan_tallies_companies_update();
                  DROP FUNCTION user_plan_tallies_companies_delete();
                  DROP FUNCTION user_plan_tallies_links_insert();
                  DROP FUNCTION user_plan_tallies_links_delete();
                  DROP TRIGGER feature_holders_company_links_insert ON resource_links;
                  DROP TRIGGER feature_holders_company_links_delete ON resource_links;
                  DROP TRIGGER feature_holders_overrides_insert ON resources;
                  DROP TRIGGER feature_holders_overrides_update ON resources;
                  DROP TRIGGER feature_holders_overrides_delete ON resources;
                  DROP TRIGGER feature_holders_companies_insert ON resources;
                  DROP TRIGGER feature_holders_companies_update ON resources;
                  DROP TRIGGER feature_holders_companies_delete ON resources;
                  DROP FUNCTION feature_holders_company_links();
                  DROP FUNCTION feature_holders_overrides();
                  DROP FUNCTION feature_holders_companies_insert();
                  DROP FUNCTION feature_holders_companies_update();
                  DROP FUNCTION feature_holders_companies_delete();
                  DROP TRIGGER feature_users_links_insert ON resource_links;
                  DROP TRIGGER feature_users_links_delete ON resource_links;
                  DROP FUNCTION feature_users_links_insert();
                  DROP FUNCTION feature_users_links_delete();
                  """
                : """
                  DROP TRIGGER user_plan_tallies_companies_insert;
                  DROP TRIGGER user_plan_tallies_companies_update;
                  DROP TRIGGER user_plan_tallies_companies_delete;
                  DROP TRIGGER user_plan_tallies_links_insert;
                  DROP TRIGGER user_plan_tallies_links_delete;
                  DROP TRIGGER feature_holders_company_links_insert;
                  DROP TRIGGER feature_holders_company_links_delete;
                  DROP TRIGGER feature_holders_overrides_insert;
                  DROP TRIGGER feature_holders_overrides_update;
                  DROP TRIGGER feature_holders_overrides_delete;
                  DROP TRIGGER feature_holders_companies_insert;
                  DROP TRIGGER feature_holders_companies_update;
                  DROP TRIGGER feature_holders_companies_delete;
                  DROP TRIGGER feature_users_links_insert;
                  DROP TRIGGER feature_users_links_delete;
                  DROP TRIGGER company_directory_version_tally_insert;
                  DROP TRIGGER company_directory_version_tally_delete;
                  DROP TRIGGER company_directory_version_tally_update;
                  DROP TRIGGER company_directory_tally_insert;
                  DROP TRIGGER company_directory_tally_delete;
                  DROP TRIGGER company_directory_tally_update;
                  """);
            await connection.ExecuteAsync(
                """
                DELETE FROM schema_migrations WHERE version = 62;
                DELETE FROM schema_migrations WHERE version = 61;
                DELETE FROM schema_migrations WHERE version = 60;
                DROP TABLE company_add_ons;
                DROP TABLE add_on_signature_tallies;
                DROP TABLE feature_override_states;
                DELETE FROM schema_migrations WHERE version = 59;
                DROP TABLE user_plan_tallies;
                DROP TABLE shared_users;
                DELETE FROM schema_migrations WHERE version = 31;
                DROP TABLE company_directory_version_tallies;
                DROP INDEX IF EXISTS resources_company_base_plan;
                DELETE FROM schema_migrations WHERE version = 29;
                DROP INDEX company_directory_plan_versions;
                DROP TABLE company_directory_tallies;
                DELETE FROM schema_migrations WHERE version = 20;
                DROP TABLE resource_links;
                DROP INDEX audit_log_environment_seq;
                DROP INDEX audit_log_console_users;
                DROP INDEX entity_keys_folded;
                ALTER TABLE company_directory DROP COLUMN plan_version_ids;
                INSERT INTO environments (id, name, created_at) VALUES ('env_old', 'old', 1000);
                INSERT INTO resources (environment_id, kind, id, key, parent_id, data, created_at, updated_at) VALUES
                  ('env_old', 'company', 'comp_a', NULL, NULL, '{"id":"comp_a","add_on_ids":["plan_x","plan_y","plan_x"]}', 1, 1),
                  ('env_old', 'company', 'comp_b', NULL, NULL, '{"id":"comp_b","add_on_ids":[]}', 2, 2),
                  ('env_old', 'user', 'user_1', NULL, NULL, '{"id":"user_1","company_ids":["comp_a","comp_b"]}', 3, 3),
                  ('env_old', 'user', 'user_2', NULL, NULL, '{"id":"user_2","company_ids":["comp_a"]}', 4, 4),
                  ('env_old', 'feature', 'feat_1', NULL, NULL, '{"id":"feat_1","company_ids":["comp_a"]}', 5, 5);
                INSERT INTO company_directory (environment_id, company_id, sort_name, search_text, add_on_ids, override_count, worst_ratio, created_at, refreshed_at)
                  VALUES ('env_old', 'comp_a', 'a', 'a', '', 0, 0, 1, 1);
                """);
        }

        Assert.Equal(store == StoreKind.Postgres ? new[] { 20, 29, 31, 45, 59, 60, 61, 62 } : new[] { 20, 29, 31, 59, 60, 61, 62 }, await Migrations.ApplyAsync(database, CancellationToken.None));

        await using var check = await database.OpenAsync(CancellationToken.None);
        var links = (await check.QueryAsync<(string Kind, string Id, string LinkedId)>(
            "SELECT kind, id, linked_id FROM resource_links WHERE environment_id = 'env_old' ORDER BY kind, id, linked_id")).ToList();
        Assert.Equal(
            [("company", "comp_a", "plan_x"), ("company", "comp_a", "plan_y"), ("user", "user_1", "comp_a"), ("user", "user_1", "comp_b"), ("user", "user_2", "comp_a")],
            links);
        // The directory's rows are rebuilt with their plan versions by the refresher: none is left half-filled.
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM company_directory"));
    }
}

public sealed class ResourceLinkMigrationTestsOnSqlite() : ResourceLinkMigrationTests(StoreKind.Sqlite);

public sealed class ResourceLinkMigrationTestsOnPostgres() : ResourceLinkMigrationTests(StoreKind.Postgres);
