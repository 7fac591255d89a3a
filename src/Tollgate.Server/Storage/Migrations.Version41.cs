namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// PostgreSQL: the lists' search <c>q</c> (a case-insensitive substring of a company's or user's name or of one of
    /// its key values, <c>EntitySql.TextMatches</c>) served by trigram indexes, on exactly the expressions the lists
    /// write. <c>pg_trgm</c> ships with PostgreSQL and is a trusted extension (PostgreSQL 13 and later), so a role with
    /// CREATE on the database may add it. Where it cannot (no such privilege, or a server built without the contrib
    /// modules), the migration still succeeds without these indexes, says so in a notice, and searches read every row of
    /// the kind: slower, never wrong. SQLite has no index for a substring: its searches always read every row of the kind.
    /// </summary>
    private static string Version41SearchTrigrams(SqlDialect dialect) => dialect.IsPostgres
        ? $$"""
            DO $trgm$
            BEGIN
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
            EXCEPTION WHEN OTHERS THEN
                RAISE NOTICE 'pg_trgm could not be created (%): list searches (q) read every row without a trigram index', SQLERRM;
            END
            $trgm$;
            DO $trgm$
            BEGIN
                IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
                    EXECUTE 'CREATE INDEX resources_name_trigrams ON resources USING gin ((LOWER({{dialect.JsonText("data", "name").Replace("'", "''", StringComparison.Ordinal)}})) gin_trgm_ops)';
                    EXECUTE 'CREATE INDEX entity_keys_value_trigrams ON entity_keys USING gin ((LOWER(value)) gin_trgm_ops)';
                END IF;
            END
            $trgm$;
            """
        : "SELECT 1;";
}
