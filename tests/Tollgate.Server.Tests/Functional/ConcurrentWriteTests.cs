using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Catalog;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Writers that read a record and write it back do both inside one transaction, holding the record: concurrent
/// writers take turns (companies, users, overrides), or a writer built on a version that changed meanwhile is refused
/// with 409 (catalog and credit documents) — never is one change silently lost.
/// </summary>
public abstract class ConcurrentWriteTests(TollgateFactory server)
{
    [Fact]
    public async Task ConcurrentTraitIncrementsAreAllCounted()
    {
        var api = await server.NewEnvironmentAsync();
        (await api.PostAsync("/companies", new { keys = Given.Keys("busy"), traits = new { seats = 0 } })).ShouldBe(HttpStatusCode.OK);

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            api.PostAsync("/company-traits", new { keys = Given.Keys("busy"), trait = "seats", incr = 1 })));

        Assert.All(answers, a => a.ShouldBe(HttpStatusCode.OK));
        var company = (await api.GetAsync("/companies/lookup?keys[id]=busy")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(40, company.GetProperty("traits").GetProperty("seats").GetInt32());
    }

    [Fact]
    public async Task ACatalogWriteBuiltOnAVersionChangedMeanwhileIsRefusedAndWritesNothing()
    {
        var api = await server.NewEnvironmentAsync();
        var featureId = await Given.BooleanFeatureAsync(api, "stale-write");
        var store = server.Services.GetRequiredService<ResourceStore>();
        var read = await store.GetAsync<FeatureRecord>(api.EnvironmentId!, ResourceKinds.Feature, featureId, CancellationToken.None);
        Assert.NotNull(read);

        (await api.PutAsync($"/features/{featureId}", new { name = "Renamed meanwhile" })).ShouldBe(HttpStatusCode.OK);
        var stale = read with { Description = "built on the old version" };
        await Assert.ThrowsAsync<ConcurrentChangeException>(() => store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutIfUnchangedAsync(connection, transaction, api.EnvironmentId!, ResourceKinds.Feature, featureId, null, null, read, stale);
                return 0;
            },
            CancellationToken.None));

        var feature = (await api.GetAsync($"/features/{featureId}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("Renamed meanwhile", feature.GetProperty("name").GetString());
        Assert.NotEqual("built on the old version", feature.GetProperty("description").GetString());
    }

    [Fact]
    public async Task ConcurrentCatalogUpdatesEachSucceedOrAnswer409()
    {
        var api = await server.NewEnvironmentAsync();
        var featureId = await Given.BooleanFeatureAsync(api, "contended-feature");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            api.PutAsync($"/features/{featureId}", new { description = $"writer {i}" })));

        Assert.All(answers, a => Assert.Contains(a.Status, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.Contains(answers, a => a.Status == HttpStatusCode.OK);
        var final = (await api.GetAsync($"/features/{featureId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("description").GetString();
        Assert.Contains(answers, a => a.Status == HttpStatusCode.OK && a.Data.GetProperty("description").GetString() == final);
    }
}

public sealed class ConcurrentWriteTestsOnSqlite(SqliteServer server) : ConcurrentWriteTests(server), IClassFixture<SqliteServer>;

public sealed class ConcurrentWriteTestsOnPostgres(PostgresServer server) : ConcurrentWriteTests(server), IClassFixture<PostgresServer>;
