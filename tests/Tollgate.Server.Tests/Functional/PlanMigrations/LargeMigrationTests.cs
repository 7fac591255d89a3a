using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Functional.Billing;
using Tollgate.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Tollgate.Server.Tests.Functional.PlanMigrations;

/// <summary>
/// A migration of 2,000 companies: previewed, one run cancelled half-way, another interrupted by stopping its node and
/// finished by the next node on the same database; every company moved exactly once, the grandfathered ones never.
/// </summary>
/// <remarks>
/// What makes it large is the number of batches, not of rows: the nodes run batches of <see cref="MigrationNode.BatchSize"/>
/// (100), so 1,900 companies to move are 19 batches (as 10,000 were 20 of the default 500), the migration's rows are
/// written in many insert chunks, and a cancel or a stop lands between batches with batches done before and after it.
/// </remarks>
public sealed class LargeMigrationTests(ITestOutputHelper output)
{
    private const int Companies = 2_000;
    private const int Grandfathered = 100;

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task TwoThousandCompaniesInNineteenBatchesArePreviewedCancelledAndResumedAfterARestartWithNobodyMovedTwice(StoreKind store)
    {
        var clock = Stopwatch.StartNew();
        await using var database = await SharedDatabase.CreateAsync(store);
        // The first node pauses 1 s between batches: the test cancels one run and stops the node of the next after their
        // first batch, and the pauses keep the rest of each run (18 batches) far longer than a slow poll on a loaded machine.
        var first = await MigrationNode.StartAsync(store, database.Name, TimeSpan.FromSeconds(1));
        var s = await PricingScenario.CreateAsync(first);
        var (v1, v2) = await MigrationGiven.ProVersionTwoAsync(s);
        var ids = await SeedAsync(first, s, v1, Companies);
        var excluded = ids.Take(Grandfathered).ToArray();
        var seeded = clock.Elapsed;

        var preview = (await s.Api.PostAsync("/plan-version-migrations/preview", new { planId = s.Pro, planVersionIdTo = v2, targetPlanType = "plan", excludedCompanyIds = excluded }))
            .ShouldBe(HttpStatusCode.OK).Data;
        var previewed = clock.Elapsed - seeded;
        Assert.Equal(Companies - Grandfathered, preview.GetProperty("total_companies").GetInt32());
        Assert.Equal(Companies - Grandfathered, preview.GetProperty("companies").GetArrayLength());
        // Seats are i % 10: those with 6 to 9 seats are over the new limit of 5.
        Assert.Equal(ids.Skip(Grandfathered).Select((_, i) => (i + Grandfathered) % 10).Count(seats => seats > 5), preview.GetProperty("companies_over_limit").GetInt32());

        var cancelled = await CreateAsync(s, v2, excluded);
        await ProgressAsync(s.Api, cancelled);
        var stopped = (await s.Api.PostAsync($"/plan-version-migrations/{cancelled}/cancel", null)).ShouldBe(HttpStatusCode.OK).Data;
        var movedBeforeCancel = stopped.GetProperty("completed_companies").GetInt32();
        Assert.Equal("cancelled", stopped.GetProperty("status").GetString());
        Assert.InRange(movedBeforeCancel, MigrationNode.BatchSize, Companies - Grandfathered - MigrationNode.BatchSize);
        Assert.Equal(Companies - Grandfathered - movedBeforeCancel, (await s.Api.GetAsync($"/plan-version-company-migrations/count?migration_id={cancelled}&status=cancelled")).Data.GetProperty("count").GetInt32());
        await Task.Delay(500);
        Assert.Equal(movedBeforeCancel, (await s.Api.GetAsync($"/plan-version-migrations/{cancelled}")).Data.GetProperty("completed_companies").GetInt32());

        var resumed = await CreateAsync(s, v2, excluded);
        var total = (await s.Api.GetAsync($"/plan-version-migrations/{resumed}")).Data.GetProperty("total_companies").GetInt32();
        Assert.Equal(Companies - movedBeforeCancel, total);
        await ProgressAsync(s.Api, resumed);
        await first.DisposeAsync();
        var completedAtStop = await CountRowsAsync(store, database.Name, resumed, "completed");
        Assert.InRange(completedAtStop, MigrationNode.BatchSize, total - Grandfathered - 1);
        var restarted = clock.Elapsed;

        await using var second = await MigrationNode.StartAsync(store, database.Name, TimeSpan.Zero);
        // A bound against a hang, not a speed test: beside a whole test run and a build on two cores, a resumed migration
        // of 10,000 companies had moved 7,500, not all, at 3 minutes (2026-12-07); with 2,000 the whole test alone takes
        // 10-20 s.
        var done = await MigrationGiven.FinishedAsync(second.Api(s.Api.Key), resumed, TimeSpan.FromMinutes(6));
        var finished = clock.Elapsed - restarted;

        Assert.Equal(("completed", total - Grandfathered, Grandfathered, 0), (done.GetProperty("status").GetString(), done.GetProperty("completed_companies").GetInt32(),
            done.GetProperty("skipped_companies").GetInt32(), done.GetProperty("failed_companies").GetInt32()));
        var companies = await second.Services.GetRequiredService<ResourceStore>().ListAllAsync<CompanyRecord>(s.Api.EnvironmentId!, ResourceKinds.Company, CancellationToken.None);
        var excludedSet = excluded.ToHashSet(StringComparer.Ordinal);
        Assert.All(companies.Where(c => excludedSet.Contains(c.Id)), c => Assert.Equal(v1, c.PlanVersions[s.Pro]));
        Assert.All(companies.Where(c => !excludedSet.Contains(c.Id)), c => Assert.Equal(v2, c.PlanVersions[s.Pro]));
        var moves = await MovesPerCompanyAsync(store, database.Name, s.Api.EnvironmentId!);
        Assert.Equal(Companies - Grandfathered, moves.Count);
        Assert.All(moves, m => Assert.Equal(1, m.Value));
        Assert.Equal(5, (await second.Api(s.Api.Key).PostAsync("/flags/seats/check", new { company = Given.Keys($"c{Companies - 1}") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("feature_allocation").GetInt64());
        output.WriteLine(
            $"{store}: seeded {Companies} companies in {seeded.TotalSeconds:F1} s, previewed in {previewed.TotalSeconds:F1} s, "
            + $"second node finished the {total - Grandfathered - completedAtStop} companies left in {finished.TotalSeconds:F1} s; test total {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task OnPostgreSqlOneNodeRunsAMigrationAtATimeAndAnotherTakesOverWhenItStops()
    {
        const int count = 1_000;
        await using var database = await SharedDatabase.CreateAsync(StoreKind.Postgres);
        // The first node pauses long between batches, so it is surely still running (and holding the lock) when the
        // second node starts. The second starts only then: started earlier, its worker could take the migration first.
        var first = await MigrationNode.StartAsync(StoreKind.Postgres, database.Name, TimeSpan.FromSeconds(10));
        var s = await PricingScenario.CreateAsync(first);
        var (_, v2) = await MigrationGiven.ProVersionTwoAsync(s);
        await SeedAsync(first, s, (await s.Api.GetAsync($"/plans/{s.Pro}/versions")).Data[0].GetProperty("id").GetString()!, count);

        var migration = await CreateAsync(s, v2, []);
        await ProgressAsync(s.Api, migration);
        await using var second = await MigrationNode.StartAsync(StoreKind.Postgres, database.Name, TimeSpan.Zero);
        var runner = second.Services.GetRequiredService<Tollgate.Server.PlanMigrations.PlanMigrationRunner>();
        var ranOnSecond = await runner.RunAsync(s.Api.EnvironmentId!, migration, wait: false, CancellationToken.None);
        var movedWhileFirstRan = await CountRowsAsync(StoreKind.Postgres, database.Name, migration, "completed");
        await first.DisposeAsync();
        var done = await MigrationGiven.FinishedAsync(second.Api(s.Api.Key), migration, TimeSpan.FromMinutes(3));

        Assert.False(ranOnSecond, "the second node must not run a migration the first node is running");
        Assert.InRange(movedWhileFirstRan, MigrationNode.BatchSize, count - 1);
        Assert.Equal(("completed", count), (done.GetProperty("status").GetString(), done.GetProperty("completed_companies").GetInt32()));
        var moves = await MovesPerCompanyAsync(StoreKind.Postgres, database.Name, s.Api.EnvironmentId!);
        Assert.Equal(count, moves.Count);
        Assert.All(moves, m => Assert.Equal(1, m.Value));
    }

    /// <summary>Companies on Pro v1 written straight through the store in one transaction (keys <c>c0</c>… with <c>seats</c> i % 10).</summary>
    private static async Task<List<string>> SeedAsync(TollgateFactory node, PricingScenario s, string v1, int count)
    {
        var store = node.Services.GetRequiredService<ResourceStore>();
        var now = node.Time.GetUtcNow();
        var companies = Enumerable.Range(0, count).Select(i => new CompanyRecord
        {
            Id = $"comp_bulk{i:D5}",
            Name = $"Company {i}",
            Keys = new Dictionary<string, string> { ["id"] = $"c{i}" },
            Traits = new Dictionary<string, JsonElement> { ["seats"] = JsonSerializer.SerializeToElement(i % 10) },
            BasePlanId = s.Pro,
            PlanVersions = new Dictionary<string, string> { [s.Pro] = v1 },
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                foreach (var company in companies)
                {
                    await store.PutAsync(connection, transaction, s.Api.EnvironmentId!, ResourceKinds.Company, company.Id, null, null, company);
                    await EntityKeys.ReplaceAsync(connection, transaction, s.Api.EnvironmentId!, EntityKeys.Company, company.Id, company.Keys);
                }

                return 0;
            },
            CancellationToken.None);
        return [.. companies.Select(c => c.Id)];
    }

    private static async Task<string> CreateAsync(PricingScenario s, string v2, string[] excluded) =>
        (await s.Api.PostAsync("/plan-version-migrations", new { planId = s.Pro, planVersionIdTo = v2, strategy = "immediate", targetPlanType = "plan", excludedCompanyIds = excluded }))
            .ShouldBe(HttpStatusCode.OK).Id;

    /// <summary>Waits (≤ 2 min: a loaded shared PostgreSQL is slow) until the migration's first batch has committed.</summary>
    private static async Task ProgressAsync(ApiClient api, string migrationId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while ((await api.GetAsync($"/plan-version-migrations/{migrationId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("completed_companies").GetInt32() < MigrationNode.BatchSize)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no batch of migration {migrationId} committed within 2 minutes");
            await Task.Delay(50);
        }
    }

    private static async Task<int> CountRowsAsync(StoreKind store, string database, string migrationId, string status)
    {
        await using var connection = Open(store, database);
        return await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM plan_version_company_migrations WHERE migration_id = @migrationId AND status = @status", new { migrationId, status });
    }

    /// <summary>How many audited writes changed each company (the seed wrote none): a company moved twice would count 2.</summary>
    private static async Task<Dictionary<string, int>> MovesPerCompanyAsync(StoreKind store, string database, string environmentId)
    {
        await using var connection = Open(store, database);
        var rows = await connection.QueryAsync<(string, long)>(
            "SELECT company_id, COUNT(*) FROM audit_log WHERE environment_id = @environmentId AND resource_type = 'company' AND company_id LIKE 'comp_bulk%' GROUP BY company_id",
            new { environmentId });
        return rows.ToDictionary(r => r.Item1, r => (int)r.Item2);
    }

    private static DbConnection Open(StoreKind store, string database) => store == StoreKind.Postgres
        ? new NpgsqlConnection(TestPostgres.ConnectionStringOf(database))
        : new SqliteConnection($"Data Source={Path.Combine(Path.GetTempPath(), database + ".db")}");
}
