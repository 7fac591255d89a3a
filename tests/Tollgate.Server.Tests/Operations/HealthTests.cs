using System.Globalization;
using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tollgate.Server.Operations;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Operations;

/// <summary><c>/health/live</c> is the process; <c>/health/ready</c> is the store reachable and migrated.</summary>
public abstract class HealthTests(TollgateFactory server)
{
    [Fact]
    public async Task LiveAndReadyAnswerWithoutAKeyOnAMigratedStore()
    {
        var api = server.Api(key: null);

        var live = (await api.GetAsync("/health/live")).ShouldBe(HttpStatusCode.OK);
        var ready = (await api.GetAsync("/health/ready")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("healthy", live.Body.GetProperty("status").GetString());
        Assert.Equal("healthy", ready.Body.GetProperty("status").GetString());
        var store = ready.Body.GetProperty("checks").GetProperty("store");
        Assert.Equal("healthy", store.GetProperty("status").GetString());
        Assert.Equal(Migrations.Latest, store.GetProperty("data").GetProperty("schema_version").GetInt32());
    }

    [Fact]
    public async Task ReadyIsRefusedWhileTheNewestMigrationIsMissingAndLiveStaysUp()
    {
        var database = server.Services.GetRequiredService<Database>();
        var api = server.Api(key: null);
        (string Name, long AppliedAt) newest;
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            newest = await connection.QuerySingleAsync<(string, long)>("SELECT name, applied_at FROM schema_migrations WHERE version = @version", new { version = Migrations.Latest });
            await connection.ExecuteAsync("DELETE FROM schema_migrations WHERE version = @version", new { version = Migrations.Latest });
        }

        try
        {
            var ready = (await api.GetAsync("/health/ready")).ShouldBe(HttpStatusCode.ServiceUnavailable);
            (await api.GetAsync("/health/live")).ShouldBe(HttpStatusCode.OK);
            var description = ready.Body.GetProperty("checks").GetProperty("store").GetProperty("description").GetString();
            Assert.Contains("migrations are not done", description, StringComparison.Ordinal);
            Assert.Contains($"needs {Migrations.Latest.ToString(CultureInfo.InvariantCulture)}", description, StringComparison.Ordinal);
            using var home = await server.CreateClient().GetAsync(new Uri("/about", UriKind.Relative));
            Assert.Contains(">Not ready</span>", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await using var connection = await database.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version = Migrations.Latest, name = newest.Name, at = newest.AppliedAt });
        }

        (await api.GetAsync("/health/ready")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AStoreThatDoesNotAnswerIsNotReady()
    {
        Database unreachable;
        if (server.Store == StoreKind.Postgres)
        {
            unreachable = new PostgresDatabase("Host=127.0.0.1;Port=9;Username=nobody;Database=none;Timeout=2");
        }
        else
        {
            // A database whose folder is gone (a lost volume): no new connection opens.
            var folder = Directory.CreateTempSubdirectory("tollgate-gone-").FullName;
            unreachable = new SqliteDatabase($"Data Source={Path.Combine(folder, "tollgate.db")}");
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // idle connections only; others' reopen on next use
            Directory.Delete(folder, recursive: true);
        }

        var result = await new StoreReadiness(unreachable).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("the store does not answer", result.Description);
        Assert.NotNull(result.Exception);
    }
}

public sealed class HealthTestsOnSqlite(SqliteServer server) : HealthTests(server), IClassFixture<SqliteServer>;

public sealed class HealthTestsOnPostgres(PostgresServer server) : HealthTests(server), IClassFixture<PostgresServer>;
