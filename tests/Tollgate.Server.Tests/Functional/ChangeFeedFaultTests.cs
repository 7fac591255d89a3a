using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tollgate.Server.Companies;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Two nodes on one PostgreSQL database whose connections are killed or refused (only this fixture's database: the
/// server is shared): the change feed reconnects, resyncs what it may have missed, and keeps sending.
/// </summary>
public sealed class ChangeFeedFaultTests(PostgresNodes nodes) : IClassFixture<PostgresNodes>
{
    [Fact]
    public async Task AfterItsConnectionsAreKilledANodeResyncsWhatItMayHaveMissed()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        var companyId = await s.CompanyAsync("resynced", s.Starter, seats: 1);
        var created = (await s.Api.PostAsync("/api-keys", new { name = "leaked" })).ShouldBe(HttpStatusCode.Created).Data;
        var b = OnB(s.Api);
        var leakedOnB = nodes.B.Api(created.GetProperty("key").GetString());
        Assert.True((await CheckAsync(b, "seats", "resynced")).GetProperty("value").GetBoolean()); // warm on B
        (await leakedOnB.GetAsync("/features")).ShouldBe(HttpStatusCode.OK); // cached on B
        var reconnectsBefore = Feed(nodes.B).Reconnects;

        // Written behind both nodes' backs, with no change notice: only a resync can show B these.
        await WriteWithoutNoticeAsync(s.Api.EnvironmentId!, companyId, seats: 5, created.GetProperty("api_key").GetProperty("id").GetString()!);
        Assert.True((await CheckAsync(b, "seats", "resynced")).GetProperty("value").GetBoolean());
        await KillConnectionsAsync();

        await UntilAsync(() => Task.FromResult(Feed(nodes.B).Reconnects > reconnectsBefore), "node B's listener never reconnected");
        await UntilAsync(async () => !(await CheckAsync(b, "seats", "resynced")).GetProperty("value").GetBoolean(), "node B kept the company it held before the reconnect");
        await UntilAsync(async () => (await leakedOnB.GetAsync("/features")).Status == HttpStatusCode.Unauthorized, "node B kept the key it held before the reconnect");
    }

    [Fact]
    public async Task ASenderCutOffFromTheDatabaseForSecondsKeepsSendingOnceItIsBack()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        await s.CompanyAsync("cut-off", s.Starter, seats: 1);
        var b = OnB(s.Api);
        Assert.False((await CheckAsync(b, "sso", "cut-off")).GetProperty("value").GetBoolean());

        // Longer than the old sender's five attempts (about 1 s) with a change waiting to go out all along.
        await using (await RefuseConnectionsAsync())
        {
            await Feed(nodes.A).PublishAsync(Change.Of(s.Api.EnvironmentId!, ChangeKind.Company, "comp_during_the_outage"));
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.False(Feed(nodes.A).Listening);
        }

        await UntilAsync(() => Task.FromResult(Feed(nodes.A).Listening && Feed(nodes.B).Listening), "the listeners never reconnected");
        await UntilAsync(async () => (await RetryAsync(() => Given.BooleanFeatureAsync(s.Api, "after-the-outage", defaultValue: true))) is not null, "node A could not write");
        await UntilAsync(async () => (await CheckAsync(b, "after-the-outage", "cut-off")).GetProperty("value").GetBoolean(), "node A's change never reached node B");
    }

    private static PostgresChangeFeed Feed(PostgresNode node) => (PostgresChangeFeed)node.Services.GetRequiredService<ChangeFeed>();

    /// <summary>Polls (answers from a node may fail while its pool meets killed connections) for up to 15 s.</summary>
    private static async Task UntilAsync(Func<Task<bool>> done, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), failure);
            await Task.Delay(50);
        }
    }

    /// <summary>The answer of a call, or null when it failed (a pooled connection the test killed).</summary>
    private static async Task<T?> RetryAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (Xunit.Sdk.XunitException)
        {
            return null;
        }
    }

    /// <summary>A flag check; a pooled connection the test killed makes one request fail, so it is asked again.</summary>
    private static async Task<JsonElement> CheckAsync(ApiClient api, string flag, string company)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await api.PostAsync($"/flags/{flag}/check", new { company = Given.Keys(company) });
            if (response.Status == HttpStatusCode.NotFound)
            {
                // A flag made on the other node is unknown here until the catalog change arrives.
                return JsonDocument.Parse("""{"value":false}""").RootElement;
            }

            if (response.Status < HttpStatusCode.InternalServerError || attempt == 25)
            {
                return response.ShouldBe(HttpStatusCode.OK).Data;
            }
        }
    }

    private async Task<string> DatabaseNameAsync()
    {
        await using var connection = await nodes.A.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return connection.Database;
    }

    /// <summary>Ends every connection to the fixture's database: both nodes' listeners, senders and pools.</summary>
    private async Task KillConnectionsAsync(string? database = null)
    {
        database ??= await DatabaseNameAsync();
        await using var connection = await OpenServerAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", connection);
        command.Parameters.AddWithValue("database", database);
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 2, "expected at least the two listeners' connections");
    }

    /// <summary>Refuses new connections to the fixture's database and ends the open ones, until disposed.</summary>
    private async Task<IAsyncDisposable> RefuseConnectionsAsync()
    {
        var name = await DatabaseNameAsync();
        var restore = new Restore(() => AllowConnectionsAsync(name, true));
        await AllowConnectionsAsync(name, false);
        try
        {
            await KillConnectionsAsync(name);
        }
        catch
        {
            await restore.DisposeAsync();
            throw;
        }

        return restore;
    }

    /// <summary>A connection to the test server's own database, outside any pool and outside the fixture's database.</summary>
    private static async Task<NpgsqlConnection> OpenServerAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestPostgres.ServerConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task AllowConnectionsAsync(string database, bool allow)
    {
        await using var connection = await OpenServerAsync();
        await using var command = new NpgsqlCommand($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {(allow ? "true" : "false")}", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Changes a company's seats and revokes a key in the store directly, publishing nothing.</summary>
    private async Task WriteWithoutNoticeAsync(string environmentId, string companyId, int seats, string keyId)
    {
        var store = nodes.A.Services.GetRequiredService<ResourceStore>();
        var company = (await store.GetAsync<CompanyRecord>(environmentId, ResourceKinds.Company, companyId, CancellationToken.None))!;
        var traits = new Dictionary<string, JsonElement>(company.Traits) { ["seats"] = JsonSerializer.SerializeToElement(seats) };
        await store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                await store.PutAsync(connection, transaction, environmentId, ResourceKinds.Company, companyId, null, null, company with { Traits = traits });
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"UPDATE api_keys SET revoked_at = 1 WHERE id = '{keyId}'";
                return await command.ExecuteNonQueryAsync();
            },
            CancellationToken.None);
    }

    private ApiClient OnB(ApiClient a)
    {
        var b = nodes.B.Api(a.Key);
        b.EnvironmentId = a.EnvironmentId;
        return b;
    }

    private sealed class Restore(Func<Task> restore) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await restore();
    }
}
