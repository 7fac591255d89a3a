using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Operations;

/// <summary>
/// Ready means the store answers and its schema is at least the version this build migrates to: a node in front of
/// a database another node has not finished migrating, or cannot reach, takes no traffic.
/// </summary>
internal sealed class StoreReadiness(Database database) : IHealthCheck
{
    public const string Name = "store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long? version;
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var migrated = await connection.ExecuteScalarAsync<long>(
                new CommandDefinition(
                    database.Dialect == SqlDialect.Postgres
                        ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
                        : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
            version = migrated == 0
                ? null
                : await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(version) FROM schema_migrations", cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("the store does not answer", exception);
        }

        var data = new Dictionary<string, object> { ["schema_version"] = version ?? 0, ["expected_schema_version"] = Migrations.Latest };
        return version >= Migrations.Latest
            ? HealthCheckResult.Healthy("the store answers and is migrated", data)
            : HealthCheckResult.Unhealthy($"the store's schema is at version {version ?? 0}, this build needs {Migrations.Latest}: migrations are not done", data: data);
    }
}
