using Npgsql;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// Fresh PostgreSQL databases for tests, on the server that <c>TOLLGATE_TEST_POSTGRES</c> (an Npgsql connection string)
/// names, or else on a private cluster the tests start from the installed server binaries
/// (<see cref="PrivatePostgresCluster"/>). The PostgreSQL tests never skip: a run must not pass without having run them.
/// </summary>
public static class TestPostgres
{
    /// <summary>The environment variable holding the server's connection string.</summary>
    public const string Variable = "TOLLGATE_TEST_POSTGRES";

    private static readonly Lazy<string> Server = new(() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : PrivatePostgresCluster.StartOrExit().ConnectionString);

    /// <summary>The server's connection string; the first call starts the private cluster when none is configured.</summary>
    public static string ServerConnectionString => Server.Value;

    /// <summary>Creates an empty database (<c>tollgate_test_…</c>); returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringOf(name);
    }

    /// <summary>The connection string of a database on the test server.</summary>
    /// <remarks>
    /// Each server under test gets at most 20 connections: test classes run side by side, and bursts of parallel
    /// requests must queue in the pool rather than exhaust the cluster's connection slots.
    /// </remarks>
    public static string ConnectionStringOf(string name) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, MaxPoolSize = 20 }.ConnectionString;

    /// <summary>
    /// Drops a database made by <see cref="CreateDatabaseAsync"/>, closing any connection still open to it. A process
    /// the test role may not end (an autovacuum worker, when the role lacks pg_signal_backend) makes PostgreSQL refuse
    /// (42501, or 55006 while it is still in the database); such a process finishes by itself, so the drop is retried
    /// for a few seconds.
    /// </summary>
    public static async Task DropDatabaseAsync(string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ServerConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 25)
            {
                await Task.Delay(200);
            }
        }
    }
}
