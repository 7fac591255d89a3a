using System.Net;
using Tollgate.Server.Tests.Functional.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Lifecycle;

/// <summary>
/// A trial started on one server is ended by another started later on the same database: the schedule is stored, and
/// the new server's worker finds the due trial with nothing else asking.
/// </summary>
public abstract class TrialRestartTests(StoreKind store)
{
    [Fact]
    public async Task AServerStartedAfterARestartEndsATrialStartedBefore()
    {
        await using var database = await SharedDatabase.CreateAsync(store);
        string key, company, free;
        await using (var first = new LifecycleNode(store, database.Name))
        {
            await first.InitializeAsync();
            var w = await LifecycleWorld.CreateAsync(first);
            (key, free) = (w.Api.Key!, w.Free);
            company = await w.CompanyAsync("restarted");
            await w.StartTrialAsync(company);
        }

        await using var second = new LifecycleNode(store, database.Name);
        await second.InitializeAsync();
        var api = second.Api(key);
        Assert.Equal("trialing", (await api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("billing_subscription").GetProperty("status").GetString());

        second.Time.Advance(TimeSpan.FromDays(15));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("base_plan_id").GetString() != free)
        {
            Assert.True(DateTime.UtcNow < deadline, "the restarted server did not end the trial");
            await Task.Delay(20);
        }
    }

    /// <summary>A server on a database shared with other servers of the test.</summary>
    private sealed class LifecycleNode(StoreKind store, string database) : TollgateFactory(store, database);
}

public sealed class TrialRestartTestsOnSqlite() : TrialRestartTests(StoreKind.Sqlite);

public sealed class TrialRestartTestsOnPostgres() : TrialRestartTests(StoreKind.Postgres);
