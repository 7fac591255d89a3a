namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// The keys of <c>idempotency_claims</c> compared bytewise on PostgreSQL (<c>COLLATE "C"</c>), as SQLite compares
    /// them. Every keyed event inserts one entry into the claims' primary key, and finding its place compares the key
    /// with a dozen or so others: under the database's linguistic collation (here <c>C.UTF-8</c>, which PostgreSQL 15
    /// does not recognise as bytewise) each comparison copies both strings and calls <c>strcoll</c>, bytewise it is a
    /// <c>memcmp</c>. Which keys are equal does not change (both collations are deterministic: equal means the same
    /// bytes), and nothing reads the claims in key order; the fixed order in which a writer claims its keys is the
    /// server's (ordinal), not the index's. The table is not rewritten; its primary key is rebuilt.
    /// </summary>
    private static string Version70ClaimKeysBytewise(SqlDialect dialect) => dialect.IsPostgres
        ? """
            ALTER TABLE idempotency_claims
                ALTER COLUMN environment_id TYPE TEXT COLLATE "C",
                ALTER COLUMN idempotency_key TYPE TEXT COLLATE "C";
            """
        : "SELECT 1;";
}
