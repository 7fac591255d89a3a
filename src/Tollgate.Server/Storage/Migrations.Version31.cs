namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// The company and user lists filter by plan in SQL (<c>EntitySql</c>): a company's base plan is a field of its
    /// document, indexed here for companies only, with the list order after it, so that the companies on a base plan are
    /// counted and paged from the index instead of from every company's document. The expression is the dialect's
    /// <c>JsonText</c> of <c>base_plan_id</c>, exactly as the lists write it (each store matches an index by expression).
    /// Companies per plan version (a plan's versions page, its publish preview) are tallies kept by triggers on
    /// <c>company_directory</c>, like migration 29's: one row per environment and version, from the rows'
    /// <c>plan_version_ids</c> (<c>|v1|v2|</c>). An add-on's companies per version were one index lookup per company
    /// (3,671 for 127 ms at p95 on PostgreSQL at 100,000 companies); now they are a read of a few rows. Directory writes on
    /// PostgreSQL already take turns per environment (<c>CompanyDirectoryStore.TakeTurnAsync</c>), so these row locks
    /// cannot deadlock either.
    /// </summary>
    private static string Version31ListIndexes(SqlDialect dialect) => $"""
        CREATE INDEX resources_company_base_plan ON resources (environment_id, ({dialect.JsonText("data", "base_plan_id")}), created_at{(dialect.IsPostgres ? ", seq" : string.Empty)})
            WHERE kind = '{ResourceKinds.Company}';
        CREATE TABLE company_directory_version_tallies (
            environment_id TEXT NOT NULL,
            plan_version_id TEXT NOT NULL,
            companies BIGINT NOT NULL,
            PRIMARY KEY (environment_id, plan_version_id));
        INSERT INTO company_directory_version_tallies (environment_id, plan_version_id, companies)
            SELECT d.environment_id, v.value, COUNT(*) FROM company_directory d, {VersionsOf(dialect, "d")} WHERE v.value <> '' GROUP BY d.environment_id, v.value;
        {(dialect.IsPostgres ? PostgresVersionTallyTriggers(dialect) : SqliteVersionTallyTriggers(dialect))}
        """;

    private static string PostgresVersionTallyTriggers(SqlDialect dialect) => $"""
        CREATE FUNCTION company_directory_version_tally() RETURNS trigger LANGUAGE plpgsql AS $tally$
        BEGIN
            IF TG_OP <> 'INSERT' THEN {CountVersions(dialect, "OLD", -1)}; END IF;
            IF TG_OP <> 'DELETE' THEN {CountVersions(dialect, "NEW", 1)}; END IF;
            RETURN NULL;
        END
        $tally$;
        CREATE TRIGGER company_directory_version_tally_rows AFTER INSERT OR DELETE ON company_directory
            FOR EACH ROW EXECUTE FUNCTION company_directory_version_tally();
        CREATE TRIGGER company_directory_version_tally_update AFTER UPDATE ON company_directory
            FOR EACH ROW WHEN (OLD.plan_version_ids IS DISTINCT FROM NEW.plan_version_ids) EXECUTE FUNCTION company_directory_version_tally();
        """;

    private static string SqliteVersionTallyTriggers(SqlDialect dialect) => $"""
        CREATE TRIGGER company_directory_version_tally_insert AFTER INSERT ON company_directory
            BEGIN {CountVersions(dialect, "NEW", 1)}; END;
        CREATE TRIGGER company_directory_version_tally_delete AFTER DELETE ON company_directory
            BEGIN {CountVersions(dialect, "OLD", -1)}; END;
        CREATE TRIGGER company_directory_version_tally_update AFTER UPDATE ON company_directory WHEN OLD.plan_version_ids IS NOT NEW.plan_version_ids
            BEGIN {CountVersions(dialect, "OLD", -1)}; {CountVersions(dialect, "NEW", 1)}; END;
        """;

    // Adds delta to the tally of each version the row (OLD or NEW in a trigger) holds.
    private static string CountVersions(SqlDialect dialect, string row, int delta) => $"""
        INSERT INTO company_directory_version_tallies (environment_id, plan_version_id, companies)
            SELECT {row}.environment_id, v.value, {delta} FROM {VersionsOf(dialect, row)} WHERE v.value <> ''
            ON CONFLICT (environment_id, plan_version_id) DO UPDATE SET companies = company_directory_version_tallies.companies + excluded.companies
        """;

    // The versions of a row's plan_version_ids ('|v1|v2|', or '' for none) as a table v with a column value. Version ids
    // are the catalog's (letters, digits, '_'), so they need no escaping in SQLite's JSON array.
    private static string VersionsOf(SqlDialect dialect, string row) => dialect.IsPostgres
        ? $"unnest(string_to_array(trim(both '|' from {row}.plan_version_ids), '|')) AS v(value)"
        : $"json_each('[\"' || replace(trim({row}.plan_version_ids, '|'), '|', '\",\"') || '\"]') AS v";
}
