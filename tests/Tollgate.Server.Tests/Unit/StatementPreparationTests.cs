using Dapper;
using Npgsql;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Unit;

/// <summary>
/// The server's PostgreSQL connections prepare the statements they run again and again (a check's and a commit's
/// statements are then planned once per connection), and a connection string that sets preparation itself wins.
/// </summary>
public sealed class StatementPreparationTests
{
    private const string RepeatedStatement = "SELECT @x + 41";

    [Fact]
    public async Task AStatementRunRepeatedlyIsPreparedOnTheConnection()
    {
        Assert.Equal(1, await PreparedCopiesAfterRepeatedRunsAsync(connectionSuffix: ""));
    }

    [Fact]
    public async Task AConnectionStringThatTurnsPreparationOffIsObeyed()
    {
        Assert.Equal(0, await PreparedCopiesAfterRepeatedRunsAsync(connectionSuffix: ";Max Auto Prepare=0"));
    }

    [Fact]
    public void OnlyAStringThatNamesNoPreparationSettingGetsTheServersDefault()
    {
        Assert.Contains("Max Auto Prepare=256", PostgresDatabase.WithAutomaticPreparation("Host=h;Database=d"), StringComparison.Ordinal);
        Assert.Equal("Host=h;MaxAutoPrepare=5", PostgresDatabase.WithAutomaticPreparation("Host=h;MaxAutoPrepare=5"));
        Assert.Equal("Host=h;max auto prepare=0", PostgresDatabase.WithAutomaticPreparation("Host=h;max auto prepare=0"));
    }

    /// <summary>Runs one statement five times (one pooled connection, opened and returned each time) and counts its prepared copies.</summary>
    private static async Task<long> PreparedCopiesAfterRepeatedRunsAsync(string connectionSuffix)
    {
        var name = "tollgate_test_prepare_" + Guid.NewGuid().ToString("N")[..12];
        var connectionString = await TestPostgres.CreateDatabaseAsync(name);
        try
        {
            var onePooledConnection = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 1 }.ConnectionString;
            await using var database = new PostgresDatabase(onePooledConnection + connectionSuffix);
            for (var run = 0; run < 5; run++)
            {
                await using var connection = await database.OpenAsync(CancellationToken.None);
                Assert.Equal(42, await connection.ExecuteScalarAsync<int>(RepeatedStatement, new { x = 1 }));
            }

            await using var probe = await database.OpenAsync(CancellationToken.None);
            return await probe.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%$1 + 41%'");
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(name);
        }
    }
}
