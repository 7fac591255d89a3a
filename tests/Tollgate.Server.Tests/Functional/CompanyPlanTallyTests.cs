using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Functional.Lifecycle;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Companies per base plan (migrations 46 and 47) are tallied by triggers in every company write's transaction: after
/// creates, plan changes through the API and a trial that expires, deletes and an erasure, the tallies equal a
/// <c>COUNT(*)</c> of the company rows per environment and plan, and the counts the API answers from them (all, by plan,
/// without a plan) equal the companies written. On PostgreSQL, where each write appends a row, a read folds the rows
/// into one per plan and the sums stay.
/// </summary>
public abstract class CompanyPlanTallyTests(TollgateFactory server)
{
    [Fact]
    public async Task TheTalliesEqualTheCompanyRowsAfterEveryKindOfCompanyWrite()
    {
        var w = await LifecycleWorld.CreateAsync(server);
        var api = w.Api;
        var onPro = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            onPro.Add(await Given.CompanyAsync(api, $"pro-{i}", w.Pro));
        }

        var onFree = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            onFree.Add(await Given.CompanyAsync(api, $"free-{i}", w.Free));
        }

        // Created without a plan, the company is put on the group's initial plan, Free.
        var trialer = await w.CompanyAsync("trialer");
        Assert.Empty(await TallyMismatchesAsync());

        // Plan changes through the API: ten from Pro to Free.
        for (var i = 0; i < 10; i++)
        {
            (await api.PostAsync("/companies", new { keys = Given.Keys($"pro-{i}"), basePlanId = w.Free })).ShouldBe(HttpStatusCode.OK);
        }

        // A trial of Pro that expires moves its company to Free (the lifecycle worker writes it).
        await w.StartTrialAsync(trialer);
        server.Time.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        await w.EventuallyOnPlanAsync(trialer, w.Free);

        // Deletes and an erasure (which rewrites the document without changing the plan).
        for (var i = 0; i < 5; i++)
        {
            (await api.DeleteAsync($"/companies/{onFree[i]}")).ShouldBe(HttpStatusCode.OK);
        }

        (await api.DeleteAsync($"/companies/{onPro[20]}/personal-data")).ShouldBe(HttpStatusCode.OK);

        Assert.Empty(await TallyMismatchesAsync());
        var expectedPro = 40 - 10;
        var expectedFree = 30 + 10 + 1 - 5;
        Assert.Equal(expectedPro, await CountAsync(api, $"plan_id={w.Pro}"));
        Assert.Equal(expectedFree, await CountAsync(api, $"plan_id={w.Free}"));
        Assert.Equal(expectedPro + expectedFree, await CountAsync(api, $"plan_ids[0]={w.Pro}&plan_ids[1]={w.Free}"));
        Assert.Equal(expectedPro + expectedFree, await CountAsync(api, string.Empty));
        Assert.Equal(0, await CountAsync(api, "without_plan=true"));

        // A company whose plan is deleted from the catalog is without a plan.
        var planless = await Given.PlanAsync(api, "Legacy");
        var legacy = await Given.CompanyAsync(api, "legacy", planless);
        (await api.DeleteAsync($"/plans/{planless}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1, await CountAsync(api, "without_plan=true"));
        var withoutPlan = (await api.GetAsync("/companies?without_plan=true")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(c => c.GetProperty("id").GetString());
        Assert.Equal([legacy], withoutPlan);
        Assert.Equal(expectedPro + expectedFree + 1, await CountAsync(api, string.Empty));
        Assert.Empty(await TallyMismatchesAsync());

        // The counts above read the tallies; on PostgreSQL, 70 creates appended more rows than a read leaves unfolded.
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var rows = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM company_plan_tallies WHERE environment_id = @env", new { env = api.EnvironmentId });
        Assert.InRange(rows, 1, 5);
    }

    private static async Task<long> CountAsync(ApiClient api, string query) =>
        (await api.GetAsync($"/companies/count?{query}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64();

    /// <summary>Every (environment, plan) whose tally differs from the company rows, in one statement (one snapshot).</summary>
    private async Task<List<string>> TallyMismatchesAsync()
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<(string Environment, string Plan, long Difference)>(
            """
            SELECT environment_id, plan_id, SUM(n) FROM (
                SELECT environment_id, plan_id, companies AS n FROM company_plan_tallies
                UNION ALL SELECT environment_id, COALESCE(base_plan_id, ''), -1 FROM resources WHERE kind = 'company') d
            GROUP BY environment_id, plan_id HAVING SUM(n) <> 0
            """);
        return [.. rows.Select(r => $"{r.Environment} {r.Plan} {r.Difference}")];
    }
}

public sealed class CompanyPlanTallyTestsOnSqlite(SqliteServer server) : CompanyPlanTallyTests(server), IClassFixture<SqliteServer>;

public sealed class CompanyPlanTallyTestsOnPostgres(PostgresServer server) : CompanyPlanTallyTests(server), IClassFixture<PostgresServer>;
