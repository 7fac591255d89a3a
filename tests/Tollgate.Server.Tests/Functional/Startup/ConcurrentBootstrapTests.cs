using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Environments;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Startup;

/// <summary>
/// Nodes whose start-up runs at the same instant on one empty PostgreSQL database: each is a complete server built
/// before the race starts (so none is held back by its own JIT), and all bootstraps are released together. Without
/// the advisory locks they collide on the schema's DDL and on the first environment; with them every one completes,
/// and the database holds one schema, one environment and one key.
/// </summary>
public sealed class ConcurrentBootstrapTests
{
    private const int Nodes = 4;

    [Fact]
    public async Task FourNodesBootstrappingAtOnceOnAnEmptyPostgresDatabaseAllComplete()
    {
        var name = $"tollgate_race_{Guid.NewGuid():N}";
        var connectionString = await TestPostgres.CreateDatabaseAsync(name);
        var apps = new List<WebApplication>();
        try
        {
            for (var i = 0; i < Nodes; i++)
            {
                apps.Add(TollgateServer.Build(["--postgres", connectionString, "--no-demo"], builder => builder.Configuration["Tollgate:ApiKey"] = TollgateFactory.SecretKey));
            }

            var bootstraps = apps.Select(app => app.Services.GetRequiredService<Bootstrap>()).ToList();
            using var go = new ManualResetEventSlim();
            var runs = bootstraps.Select(bootstrap => Task.Run(async () =>
            {
                go.Wait();
                await bootstrap.RunAsync(CancellationToken.None);
            })).ToList();
            go.Set();
            await Task.WhenAll(runs);

            foreach (var app in apps)
            {
                Assert.NotNull(await app.Services.GetRequiredService<EnvironmentStore>().AuthenticateAsync(TollgateFactory.SecretKey, CancellationToken.None));
            }

            await using var connection = await new PostgresDatabase(connectionString).OpenAsync(CancellationToken.None);
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM environments"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM api_keys"));
            Assert.Equal(
                await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"),
                await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT version) FROM schema_migrations"));
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }

            Npgsql.NpgsqlConnection.ClearAllPools();
            await TestPostgres.DropDatabaseAsync(name);
        }
    }
}
