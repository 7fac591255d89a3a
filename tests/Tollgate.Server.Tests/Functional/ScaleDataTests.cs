using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Scale;
using Tollgate.Server.Companies;
using Tollgate.Server.Insights;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.Insights;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// The scale data generator (<c>bench/scale</c>) writes a store the server reads as its own: for a small data set, the
/// API's answers (plan, add-ons, trial, users, usage against limit, overrides) are what the generator says it wrote, the
/// data set has every kind of company the console's filters need, the usage counters are the sums of the event log, and
/// the projections (directory, insight signals) are the rows the server's rebuild writes, so a start rebuilds nothing.
/// </summary>
public abstract class ScaleDataTests(TollgateFactory server)
{
    private const int Companies = 500;

    [Fact]
    public async Task TheApiAnswersWhatTheGeneratorWrote()
    {
        var (api, result) = await GenerateAsync();
        var facts = result.Facts;

        // Every class of company the console filters on is there.
        Assert.Equal(Companies, facts.Count);
        Assert.Contains(facts, f => f.OverLimit);
        Assert.Contains(facts, f => f.NearLimit);
        Assert.Contains(facts, f => f.Trialing);
        Assert.Contains(facts, f => f.OverrideFeatureId is not null);
        Assert.Contains(facts, f => f.AddOnIds.Count > 0);
        Assert.Contains(facts, f => f.ApiCallsLimit is null);
        Assert.Equal(4, facts.Select(f => f.BasePlanId).Distinct().Count());

        var page = (await api.GetAsync("/companies?limit=10")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(10, page.Data.GetArrayLength());
        Assert.All(page.Data.EnumerateArray(), c => Assert.Contains(facts, f => f.Id == c.GetProperty("id").GetString()));

        // Every unusual company, and the first twenty of the others.
        var sample = facts.Where(f => f.OverLimit || f.NearLimit || f.Trialing || f.OverrideFeatureId is not null || f.AddOnIds.Count > 0)
            .Concat(facts.Take(20)).DistinctBy(f => f.Id).ToList();
        foreach (var fact in sample)
        {
            var company = (await api.GetAsync($"/companies/{fact.Id}")).ShouldBe(HttpStatusCode.OK).Data;
            Assert.Equal(fact.Name, company.GetProperty("name").GetString());
            Assert.Equal(fact.BasePlanId, company.GetProperty("plan").GetProperty("id").GetString());
            Assert.Equal(fact.AddOnIds, company.GetProperty("add_on_ids").EnumerateArray().Select(a => a.GetString()));
            Assert.Equal(fact.UserEmails.Count, company.GetProperty("user_count").GetInt32());
            var subscription = company.GetProperty("billing_subscription");
            Assert.Equal(fact.Trialing, subscription.ValueKind == JsonValueKind.Object && subscription.GetProperty("status").GetString() == "trialing");

            var user = fact.UserEmails[^1];
            var calls = (await api.PostAsync("/flags/api-calls/check", new { company = new { id = fact.Key }, user = new { email = user } })).ShouldBe(HttpStatusCode.OK).Data;
            Assert.Equal(fact.Id, calls.GetProperty("company_id").GetString());
            Assert.StartsWith("user_", calls.GetProperty("user_id").GetString(), StringComparison.Ordinal);
            Assert.True(calls.GetProperty("feature_usage").ValueKind == JsonValueKind.Number, $"{fact}: {calls}");
            Assert.Equal(fact.ApiCallsThisMonth, calls.GetProperty("feature_usage").GetInt64());
            Assert.Equal(!fact.OverLimit, calls.GetProperty("value").GetBoolean());
            if (fact.ApiCallsLimit is { } limit)
            {
                Assert.Equal(limit, calls.GetProperty("feature_allocation").GetInt64());
            }

            var exports = (await api.PostAsync("/flags/exports/check", new { company = new { id = fact.Key } })).ShouldBe(HttpStatusCode.OK).Data;
            Assert.Equal(fact.ExportsThisMonth, exports.GetProperty("feature_usage").GetInt64());

            var overrides = (await api.GetAsync($"/company-overrides?company_id={fact.Id}")).ShouldBe(HttpStatusCode.OK).Data;
            Assert.Equal(fact.OverrideFeatureId is null ? [] : [fact.OverrideFeatureId], overrides.EnumerateArray().Select(o => o.GetProperty("feature_id").GetString()));
        }
    }

    [Fact]
    public async Task EveryCounterIsTheSumOfTheEventsInItsPeriod()
    {
        var (_, result) = await GenerateAsync();
        var database = server.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var environmentId = result.EnvironmentId;

        // All-time counters against the log, per company and subtype; and nothing counted that was not logged.
        var logged = (await connection.QueryAsync<(string Company, string Subtype, long Sum)>(
            "SELECT company_id, event_subtype, SUM(quantity) FROM events WHERE environment_id = @environmentId GROUP BY company_id, event_subtype",
            new { environmentId })).ToDictionary(r => (r.Company, r.Subtype), r => r.Sum);
        var allTime = (await connection.QueryAsync<(string Company, string Subtype, long Value)>(
            "SELECT company_id, event_subtype, value FROM usage_counters WHERE environment_id = @environmentId AND period = 0",
            new { environmentId })).ToDictionary(r => (r.Company, r.Subtype), r => r.Value);
        Assert.Equal(logged.OrderBy(p => p.Key), allTime.OrderBy(p => p.Key));

        // Every period's buckets add up to the same total (each event lands in exactly one bucket of each period).
        var perPeriod = await connection.QueryAsync<(long Period, long Sum)>(
            "SELECT period, SUM(value) FROM usage_counters WHERE environment_id = @environmentId GROUP BY period", new { environmentId });
        Assert.Equal(5, perPeriod.Count());
        Assert.All(perPeriod, p => Assert.Equal(logged.Values.Sum(), p.Sum));

        // The facts' current-month usage is what the log holds since the first of the month.
        var now = server.Time.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var thisMonth = (await connection.QueryAsync<(string Company, long Sum)>(
            "SELECT company_id, SUM(quantity) FROM events WHERE environment_id = @environmentId AND event_subtype = 'api_call' AND occurred_at >= @monthStart GROUP BY company_id",
            new { environmentId, monthStart })).ToDictionary(r => r.Company, r => r.Sum);
        Assert.All(result.Facts, f => Assert.Equal(f.ApiCallsThisMonth, thisMonth.GetValueOrDefault(f.Id)));
        Assert.Equal(Companies, result.RowsByTable["resources"] - result.Facts.Sum(f => f.UserEmails.Count) - result.Facts.Count(f => f.OverrideFeatureId is not null));
    }

    [Fact]
    public async Task TheGeneratorLeavesTheProjectionRowsTheServersRebuildWritesSoAStartRebuildsNothing()
    {
        var (_, result) = await GenerateAsync();
        var environmentId = result.EnvironmentId;
        var database = server.Services.GetRequiredService<Database>();

        // Read at once, before the rebuild the generator's closing change may start here: what the generator left.
        // A start rebuilds an environment whose row count differs from its company count (CompanyProjectionRefresher).
        var directorySizes = await server.Services.GetRequiredService<CompanyDirectoryStore>().SizesAsync(environmentId, CancellationToken.None);
        var insightSizes = await server.Services.GetRequiredService<CompanySignalStore>().SizesAsync(environmentId, CancellationToken.None);
        var generated = await ProjectionRows.ReadNowAsync(database, environmentId);
        Assert.Equal((Companies, Companies), directorySizes);
        Assert.Equal((Companies, Companies), insightSizes);
        Assert.NotEmpty(generated.Signals);

        // The insight rebuild's first step, the daily rollup of a store filled in bulk, is done too.
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            Assert.True(await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM usage_daily_totals WHERE environment_id = @environmentId", new { environmentId }) > 0);
        }

        // The server's rebuild writes the same rows (but for the instant they were written).
        var directory = server.Services.GetRequiredService<CompanyDirectoryRefresher>();
        var insights = server.Services.GetRequiredService<InsightRefresher>();
        await directory.RebuildAsync(environmentId, CancellationToken.None);
        await insights.RebuildAsync(environmentId, CancellationToken.None);
        var rebuilt = await ProjectionRows.ReadAsync(database, environmentId, directory, insights);
        ProjectionRows.AssertSame(rebuilt, generated);
    }

    private async Task<(ApiClient Api, ScaleResult Result)> GenerateAsync()
    {
        var api = await server.NewEnvironmentAsync();
        var result = await ScaleGenerator.GenerateAsync(
            server.Services, api.EnvironmentId!, api.KeyId!, new ScaleOptions { Companies = Companies, BatchSize = 180, KeepFacts = true }, null, CancellationToken.None);
        return (api, result);
    }
}

public sealed class ScaleDataTestsOnSqlite(SqliteServer server) : ScaleDataTests(server), IClassFixture<SqliteServer>;

public sealed class ScaleDataTestsOnPostgres(PostgresServer server) : ScaleDataTests(server), IClassFixture<PostgresServer>;
