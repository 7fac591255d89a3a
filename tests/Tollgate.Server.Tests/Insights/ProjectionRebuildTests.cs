using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Companies;
using Tollgate.Server.Insights;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Insights;

/// <summary>
/// A rebuild of an environment's projections (the company directory, the insight rows and signals) works a batch of
/// companies out together: documents, overrides, counters and credit balances read for the whole batch, rows written
/// in multi-row statements. It must give exactly the rows the one-company refresh gives, tallies and totals included,
/// and fill the daily rollup of a store that has counters without one.
/// </summary>
public abstract class ProjectionRebuildTests(TollgateFactory server)
{
    private const int Companies = 30;

    [Fact]
    public async Task ARebuildOfManyCompaniesWritesExactlyTheRowsEachCompanyRefreshedAloneGets()
    {
        var api = await server.NewEnvironmentAsync();
        var environmentId = api.EnvironmentId!;
        var calls = await Given.EventFeatureAsync(api, "api-calls", "api_call");
        var seats = await Given.TraitAsync(api, "seats");
        await Given.TraitFeatureAsync(api, "seat-count", seats);
        var tokens = (await api.PostAsync("/billing/credits", new { name = "AI tokens", description = "Tokens", currency = "usd" })).ShouldBe(HttpStatusCode.Created).Id;
        var generate = await Given.EventFeatureAsync(api, "ai-gen", "ai_generation");
        var free = await Given.PlanAsync(api, "Free");
        var pro = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = free, featureId = calls, valueType = "numeric", valueNumeric = 10, metricPeriod = "current_month" });
        await Given.EntitlementAsync(api, new { planId = pro, featureId = calls, valueType = "numeric", valueNumeric = 100, metricPeriod = "current_month" });
        await Given.EntitlementAsync(api, new { planId = pro, featureId = generate, valueType = "credit", valueCreditId = tokens, creditConsumptionRate = 1 });
        (await api.PostAsync("/billing/credits/plan-grants", new
        {
            planId = pro, creditId = tokens, creditAmount = 50, resetCadence = "monthly", resetStart = "first_of_month",
        })).ShouldBe(HttpStatusCode.Created);

        // Companies on no plan, Free and Pro; seats as traits; usage from none to over the limit; one override; history
        // over the last days, so trends, near and over limits and credit burn all have something to say.
        var ids = new List<string>();
        for (var i = 0; i < Companies; i++)
        {
            var plan = (i % 3) switch { 0 => null, 1 => free, _ => pro };
            ids.Add(await Given.CompanyAsync(api, $"co-{i:00}", plan, new() { ["seats"] = i }));
        }

        await Given.OverrideAsync(api, new { companyId = ids[4], featureId = calls, valueType = "numeric", valueNumeric = 1000 });
        var today = new DateTimeOffset(server.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        await Events.SendAsync(api, [.. Enumerable.Range(0, Companies).SelectMany(i => new[]
        {
            Events.Track("api_call", $"co-{i:00}", i * 4 % 130, sentAt: server.Time.GetUtcNow().AddMinutes(-1), trustedClock: true),
            Events.Track("api_call", $"co-{i:00}", i % 4, sentAt: today.AddDays(-1 - (i % 5)).AddHours(9), trustedClock: true),
            Events.Track("ai_generation", $"co-{i:00}", i % 7, sentAt: today.AddDays(-1).AddHours(10), trustedClock: true),
        })]);

        var directory = server.Services.GetRequiredService<CompanyDirectoryRefresher>();
        var insights = server.Services.GetRequiredService<InsightRefresher>();
        var database = server.Services.GetRequiredService<Database>();

        // Each company alone, as a change of it is refreshed.
        foreach (var id in ids)
        {
            await directory.RefreshAsync(environmentId, [id], CancellationToken.None);
            await insights.RefreshAsync(environmentId, [id], CancellationToken.None);
        }

        var alone = await ProjectionRows.ReadAsync(database, environmentId, directory, insights);
        Assert.Equal(Companies, alone.Directory.Count);
        Assert.Equal(Companies, alone.Insights.Count);
        Assert.Contains(alone.Signals, s => s.Contains("over-users", StringComparison.Ordinal));
        Assert.Contains(alone.Tallies, t => t.StartsWith("tally=over |", StringComparison.Ordinal));
        Assert.Contains(alone.Tallies, t => t.StartsWith($"plan_id={pro} | month=", StringComparison.Ordinal));

        // Rows gone (the tallies and totals follow them down by their triggers), then the environment rebuilt.
        await ForgetProjectionsAsync(database, environmentId);
        Assert.Empty((await ProjectionRows.ReadAsync(database, environmentId, directory, insights)).Directory);
        await directory.RebuildAsync(environmentId, CancellationToken.None);
        await insights.RebuildAsync(environmentId, CancellationToken.None);

        var rebuilt = await ProjectionRows.ReadAsync(database, environmentId, directory, insights);
        ProjectionRows.AssertSame(alone, rebuilt);
    }

    [Fact]
    public async Task ARebuildIssuesThePlanCreditGrantsOfANewPeriodAsTheRefreshOfOneCompanyDoes()
    {
        var api = await server.NewEnvironmentAsync();
        var environmentId = api.EnvironmentId!;
        var tokens = (await api.PostAsync("/billing/credits", new { name = "AI tokens", description = "Tokens", currency = "usd" })).ShouldBe(HttpStatusCode.Created).Id;
        var generate = await Given.EventFeatureAsync(api, "ai-gen", "ai_generation");
        var pro = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = pro, featureId = generate, valueType = "credit", valueCreditId = tokens, creditConsumptionRate = 1 });
        (await api.PostAsync("/billing/credits/plan-grants", new
        {
            planId = pro, creditId = tokens, creditAmount = 50, resetCadence = "monthly", resetStart = "first_of_month",
        })).ShouldBe(HttpStatusCode.Created);
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await Given.CompanyAsync(api, $"co-{i}", pro));
        }

        var directory = server.Services.GetRequiredService<CompanyDirectoryRefresher>();
        var insights = server.Services.GetRequiredService<InsightRefresher>();
        var database = server.Services.GetRequiredService<Database>();
        await insights.CatchUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        // A month on, every company's grant of the new period is due: the rebuild issues them all, once each.
        var now = server.Time.GetUtcNow();
        server.Time.SetUtcNow(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1).AddHours(1));
        await insights.RebuildAsync(environmentId, CancellationToken.None);
        await insights.CatchUpAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        var rebuilt = await ProjectionRows.ReadAsync(database, environmentId, directory, insights);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            var periods = await connection.QueryAsync<(string CompanyId, long Grants)>(
                "SELECT company_id, COUNT(*) FROM credit_grants WHERE environment_id = @environmentId AND plan_grant_id IS NOT NULL GROUP BY company_id",
                new { environmentId });
            Assert.Equal(ids.Order(StringComparer.Ordinal).Select(id => (id, 2L)), periods.OrderBy(p => p.CompanyId, StringComparer.Ordinal));
        }

        foreach (var id in ids)
        {
            await insights.RefreshAsync(environmentId, [id], CancellationToken.None);
        }

        Assert.Equal(rebuilt.Insights, (await ProjectionRows.ReadAsync(database, environmentId, directory, insights)).Insights);
        Assert.Equal(rebuilt.Signals, (await ProjectionRows.ReadAsync(database, environmentId, directory, insights)).Signals);
    }

    [Fact]
    public async Task ARebuildFillsTheDailyRollupOfAStoreWithCountersAndNoRollupAndNeverAddsToOneThatHasRows()
    {
        var api = await server.NewEnvironmentAsync();
        var environmentId = api.EnvironmentId!;
        await Given.EventFeatureAsync(api, "api-calls", "api_call");
        await Given.CompanyAsync(api, "a");
        await Given.CompanyAsync(api, "b");
        var today = new DateTimeOffset(server.Time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        await Events.SendAsync(api, [
            Events.Track("api_call", "a", 3, sentAt: today.AddDays(-2).AddHours(9), trustedClock: true),
            Events.Track("api_call", "b", 4, sentAt: today.AddDays(-2).AddHours(10), trustedClock: true),
            Events.Track("api_call", "a", 5, sentAt: today.AddDays(-1).AddHours(9), trustedClock: true)]);
        var database = server.Services.GetRequiredService<Database>();
        var insights = server.Services.GetRequiredService<InsightRefresher>();
        var committed = await RollupAsync(database, environmentId);
        Assert.Equal([(today.AddDays(-2).ToUnixTimeMilliseconds(), 7L), (today.AddDays(-1).ToUnixTimeMilliseconds(), 5L)], committed);

        // A rollup that has rows is left as it is.
        await insights.RebuildAsync(environmentId, CancellationToken.None);
        Assert.Equal(committed, await RollupAsync(database, environmentId));

        // As a store filled in bulk: counters, no rollup. The rebuild fills it with the same sums.
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("DELETE FROM usage_daily_totals WHERE environment_id = @environmentId", new { environmentId });
        }

        await insights.RebuildAsync(environmentId, CancellationToken.None);
        Assert.Equal(committed, await RollupAsync(database, environmentId));
    }

    /// <summary>The environment's daily totals of <c>api_call</c>, shards summed, by day.</summary>
    private static async Task<List<(long Day, long Value)>> RollupAsync(Database database, string environmentId)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        return [.. await connection.QueryAsync<(long, long)>(
            "SELECT day, SUM(value) FROM usage_daily_totals WHERE environment_id = @environmentId AND event_subtype = 'api_call' GROUP BY day ORDER BY day",
            new { environmentId })];
    }

    private static async Task ForgetProjectionsAsync(Database database, string environmentId)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        foreach (var table in new[] { "company_directory", "company_insights", "company_signals" })
        {
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE environment_id = @environmentId", new { environmentId });
        }
    }
}

public sealed class ProjectionRebuildTestsOnSqlite(SqliteServer server) : ProjectionRebuildTests(server), IClassFixture<SqliteServer>;

public sealed class ProjectionRebuildTestsOnPostgres(PostgresServer server) : ProjectionRebuildTests(server), IClassFixture<PostgresServer>;
