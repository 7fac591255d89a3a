using Dapper;
using Npgsql;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Functional.Billing;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Migration 70 on a database with claims stored before it: they keep their expiry and answer and are still taken for
/// a repeat; on PostgreSQL the claims' keys are compared bytewise (<c>COLLATE "C"</c>) afterwards.
/// </summary>
public abstract class IdempotencyClaimKeysMigrationTests(StoreKind store)
{
    [Fact]
    public async Task MigrationSeventyKeepsTheClaimsStoredBeforeItAndTheyStayTaken()
    {
        await using var shared = await SharedDatabase.CreateAsync(store);
        Database database = store == StoreKind.Postgres
            ? new PostgresDatabase(TestPostgres.ConnectionStringOf(shared.Name))
            : new SqliteDatabase($"Data Source={Path.Combine(Path.GetTempPath(), shared.Name + ".db")}");
        await Migrations.ApplyAsync(database, CancellationToken.None);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var expiresAt = now + (long)IdempotencyWindow.Length.TotalMilliseconds;
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            // Back to the columns of migration 9 (the database's collation on PostgreSQL), with one claim stored.
            await connection.ExecuteAsync(store == StoreKind.Postgres
                ? """
                  ALTER TABLE idempotency_claims
                      ALTER COLUMN environment_id TYPE TEXT COLLATE "default",
                      ALTER COLUMN idempotency_key TYPE TEXT COLLATE "default";
                  DELETE FROM schema_migrations WHERE version = 70;
                  """
                : "DELETE FROM schema_migrations WHERE version = 70;");
            Assert.Equal(store == StoreKind.Postgres ? ["default", "default"] : [], await KeyCollationsAsync(connection));
            await connection.ExecuteAsync(
                "INSERT INTO idempotency_claims (environment_id, idempotency_key, expires_at, answer) VALUES ('env_old', 'kept-Ä', @expiresAt, '{\"answer\":1}')",
                new { expiresAt });
        }

        Assert.Equal([70], await Migrations.ApplyAsync(database, CancellationToken.None));

        Assert.Equal("{\"answer\":1}", await IdempotencyClaims.AnswerAsync(database, "env_old", "kept-Ä", now, CancellationToken.None));
        await using var check = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(store == StoreKind.Postgres ? ["C", "C"] : [], await KeyCollationsAsync(check));
        if (check is NpgsqlConnection postgres)
        {
            // The stored key is still a repeat, a key differing only in case is not, and both are held afterwards.
            await using var transaction = await postgres.BeginTransactionAsync();
            var taken = await IdempotencyClaims.ClaimAsync(postgres, [("env_old", "kept-ä", null), ("env_old", "kept-Ä", null)], now);
            Assert.Equal([("env_old", "kept-Ä")], taken);
            await transaction.CommitAsync();
            Assert.Equal(2, await postgres.ExecuteScalarAsync<long>("SELECT count(*) FROM idempotency_claims WHERE environment_id = 'env_old'"));
        }
    }

    /// <summary>PostgreSQL: the collations of the claims' two key columns; SQLite (no such catalogue): none.</summary>
    private static async Task<List<string>> KeyCollationsAsync(System.Data.Common.DbConnection connection) => connection is NpgsqlConnection
        ? [.. await connection.QueryAsync<string>(
            """
            SELECT COALESCE(c.collname, 'default') FROM pg_attribute a LEFT JOIN pg_collation c ON c.oid = a.attcollation AND c.collname <> 'default'
            WHERE a.attrelid = 'idempotency_claims'::regclass AND a.attname IN ('environment_id', 'idempotency_key') ORDER BY a.attname
            """)]
        : [];
}

public sealed class IdempotencyClaimKeysMigrationTestsOnSqlite() : IdempotencyClaimKeysMigrationTests(StoreKind.Sqlite);

public sealed class IdempotencyClaimKeysMigrationTestsOnPostgres() : IdempotencyClaimKeysMigrationTests(StoreKind.Postgres);
