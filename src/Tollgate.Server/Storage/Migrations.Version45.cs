namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// PostgreSQL: the directory's tallies (migration 29), plan version tallies (31), trait totals (36) and plan months (44) are kept by
    /// statement-level triggers over the statement's transition tables instead of row-level ones. A rebuild writes 500
    /// rows per statement, and the row-level triggers ran three plpgsql upserts per row on the same few tally rows: about
    /// 100 µs a row, most of the insert's time (48 of 133 ms for 500 rows, measured with EXPLAIN ANALYZE at 1,000,000
    /// companies), and a chain of 500 row versions per tally row in one transaction. Now each statement adds its rows'
    /// net change per tally once. The triggers still run in the writer's transaction, so the tallies can never disagree
    /// with the rows whoever writes them, and the directory's writers still take turns per environment
    /// (<c>CompanyDirectoryStore.TakeTurnAsync</c>), so the tally rows are never written in two orders at once. A tally
    /// whose net change is 0 (an update that moves no row between tallies) is not written. SQLite keeps its row-level
    /// triggers: it has no transition tables, and its triggers run in-process without row versions. The row-level
    /// triggers are dropped if they exist, so that the migration can be applied again after 29 and 31 were (a test does).
    /// </summary>
    private static string Version45StatementTallies(SqlDialect dialect) => dialect.IsPostgres
        ? $"""
            DROP TRIGGER IF EXISTS company_directory_tally_rows ON company_directory;
            DROP TRIGGER IF EXISTS company_directory_tally_update ON company_directory;
            DROP TRIGGER IF EXISTS company_directory_version_tally_rows ON company_directory;
            DROP TRIGGER IF EXISTS company_directory_version_tally_update ON company_directory;
            DROP TRIGGER IF EXISTS company_trait_total_rows ON company_directory;
            DROP TRIGGER IF EXISTS company_trait_total_update ON company_directory;
            DROP FUNCTION IF EXISTS company_directory_tally();
            DROP FUNCTION IF EXISTS company_directory_version_tally();
            DROP FUNCTION IF EXISTS company_trait_total();
            {StatementTallyFunction("insert", "SELECT *, 1 AS delta FROM new_rows")}
            {StatementTallyFunction("update", "SELECT *, -1 AS delta FROM old_rows UNION ALL SELECT *, 1 AS delta FROM new_rows")}
            {StatementTallyFunction("delete", "SELECT *, -1 AS delta FROM old_rows")}
            CREATE TRIGGER company_directory_counts_insert AFTER INSERT ON company_directory
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION company_directory_counts_insert();
            CREATE TRIGGER company_directory_counts_update AFTER UPDATE ON company_directory
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION company_directory_counts_update();
            CREATE TRIGGER company_directory_counts_delete AFTER DELETE ON company_directory
                REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION company_directory_counts_delete();
            """
        : "SELECT 1;";

    // A trigger function adding the net change of the statement's rows (signed: each row of signedRows with its delta,
    // -1 for a row before, 1 for a row after) to the four kinds of tallies, one grouped upsert each.
    private static string StatementTallyFunction(string operation, string signedRows) => $"""
        CREATE FUNCTION company_directory_counts_{operation}() RETURNS trigger LANGUAGE plpgsql AS $counts$
        BEGIN
            INSERT INTO company_directory_tallies (environment_id, tally, companies)
                SELECT s.environment_id, t.tally, SUM(s.delta) FROM ({signedRows}) s
                    CROSS JOIN LATERAL (VALUES ('plan:' || COALESCE(s.plan_id, '')),
                        (CASE WHEN s.worst_ratio >= 1 THEN 'over' END),
                        (CASE WHEN s.worst_ratio >= 0.8 AND s.worst_ratio < 1 THEN 'near' END),
                        (CASE WHEN s.trial_ends_at IS NOT NULL THEN 'trialing' END),
                        (CASE WHEN s.override_count > 0 THEN 'overrides' END)) AS t(tally)
                WHERE t.tally IS NOT NULL
                GROUP BY s.environment_id, t.tally HAVING SUM(s.delta) <> 0
                ON CONFLICT (environment_id, tally) DO UPDATE SET companies = company_directory_tallies.companies + excluded.companies;
            INSERT INTO company_directory_version_tallies (environment_id, plan_version_id, companies)
                SELECT s.environment_id, v.value, SUM(s.delta) FROM ({signedRows}) s,
                    unnest(string_to_array(trim(both '|' from s.plan_version_ids), '|')) AS v(value)
                WHERE v.value <> ''
                GROUP BY s.environment_id, v.value HAVING SUM(s.delta) <> 0
                ON CONFLICT (environment_id, plan_version_id) DO UPDATE SET companies = company_directory_version_tallies.companies + excluded.companies;
            INSERT INTO company_directory_plan_months (environment_id, plan_id, month, companies)
                SELECT s.environment_id, s.plan_id, {CreationMonth(SqlDialect.Postgres, "s")}, SUM(s.delta) FROM ({signedRows}) s
                WHERE s.plan_id IS NOT NULL
                GROUP BY s.environment_id, s.plan_id, {CreationMonth(SqlDialect.Postgres, "s")} HAVING SUM(s.delta) <> 0
                ON CONFLICT (environment_id, plan_id, month) DO UPDATE SET companies = company_directory_plan_months.companies + excluded.companies;
            INSERT INTO company_trait_totals (environment_id, trait_name, total)
                SELECT s.environment_id, t.key, SUM(s.delta * t.value::numeric) FROM ({signedRows}) s, jsonb_each_text(s.whole_traits::jsonb) t
                GROUP BY s.environment_id, t.key HAVING SUM(s.delta * t.value::numeric) <> 0
                ON CONFLICT (environment_id, trait_name) DO UPDATE SET total = company_trait_totals.total + excluded.total;
            RETURN NULL;
        END
        $counts$;
        """;
}
