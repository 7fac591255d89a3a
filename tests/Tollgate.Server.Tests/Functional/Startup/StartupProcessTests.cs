using System.Diagnostics;
using System.Net;
using Dapper;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Crash;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Startup;

/// <summary>
/// The server started as a service starts it — a separate process, its output redirected into a log collector:
/// the first-start key goes to an owner-only file and never to the output; a weak key refuses the start with one
/// clear line; two nodes starting together on an empty PostgreSQL database both start.
/// </summary>
public sealed class StartupProcessTests
{
    [Fact]
    public async Task WithOutputRedirectedTheFirstStartKeyGoesToAFileOnlyItsOwnerCanRead()
    {
        var folder = Directory.CreateTempSubdirectory("tollgate-first-start-");
        try
        {
            await using var server = await ServerProcess.StartAsync(
                ["--data", folder.FullName],
                new Dictionary<string, string?> { ["TOLLGATE_API_KEY"] = null, ["Logging__LogLevel__Default"] = "Information" });
            var path = Path.Combine(folder.FullName, "first-start-api-key");
            var announced = await LineAsync(server, "written to");

            Assert.Contains(path, announced, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path));
            var key = (await File.ReadAllTextAsync(path)).Trim();
            Assert.StartsWith("tg_sk_", key, StringComparison.Ordinal);
            Assert.DoesNotContain(server.Output, line => line.Contains(key, StringComparison.Ordinal));
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            http.DefaultRequestHeaders.Add("X-Schematic-Api-Key", key);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("environment", UriKind.Relative))).StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AWeakConfiguredKeyRefusesTheStartWithOneLineThatNamesIt()
    {
        var folder = Directory.CreateTempSubdirectory("tollgate-weak-key-");
        try
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(
                ["--data", folder.FullName],
                new Dictionary<string, string?> { ["TOLLGATE_API_KEY"] = "changeme-changeme-changeme-changeme" }));

            Assert.Contains("exited with 2", failure.Message, StringComparison.Ordinal);
            Assert.Contains("Tollgate did not start: TOLLGATE_API_KEY (Tollgate:ApiKey) is too weak", failure.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", failure.Message, StringComparison.Ordinal); // no stack trace
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TwoNodesStartingTogetherOnAnEmptyPostgresDatabaseBothStart()
    {
        var name = $"tollgate_start_{Guid.NewGuid():N}";
        var connectionString = await TestPostgres.CreateDatabaseAsync(name);
        try
        {
            var starting = new[] { ServerProcess.StartAsync(["--postgres", connectionString]), ServerProcess.StartAsync(["--postgres", connectionString]) };
            await Task.WhenAll(starting);
            await using var a = await starting[0];
            await using var b = await starting[1];

            foreach (var node in new[] { a, b })
            {
                using var http = new HttpClient { BaseAddress = node.BaseAddress };
                http.DefaultRequestHeaders.Add("X-Schematic-Api-Key", ServerProcess.ApiKey);
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("environment", UriKind.Relative))).StatusCode);
            }

            await using var connection = await new PostgresDatabase(connectionString).OpenAsync(CancellationToken.None);
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM environments"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));
            Assert.Equal(Migrations.Latest, await connection.ExecuteScalarAsync<int>("SELECT MAX(version) FROM schema_migrations"));
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestPostgres.DropDatabaseAsync(name);
        }
    }

    /// <summary>The first output line containing <paramref name="text"/> (the pipes are read asynchronously).</summary>
    private static async Task<string> LineAsync(ServerProcess server, string text)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (server.Output.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"no line containing '{text}' in: {string.Join(Environment.NewLine, server.Output)}");
            await Task.Delay(50);
        }
    }
}
