namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// The console's overview counts companies per plan, over a limit, near one, trialing and with overrides. Counted
    /// from <c>company_directory</c> on each request, that is a scan of every company (about 80 ms at 100,000 on
    /// PostgreSQL); kept here as tallies instead, by triggers, so that they can never disagree with the rows whichever
    /// node or pass writes them. One row per environment and tally: <c>plan:&lt;plan id or empty&gt;</c>, <c>over</c>
    /// (worst ratio ≥ 1), <c>near</c> (0.8 ≤ worst ratio &lt; 1: the directory's default near-limit ratio, fixed here),
    /// <c>trialing</c> and <c>overrides</c>. An update that moves a row between no tallies fires nothing. The tallies
    /// start from the rows already there. The plan index gains the rows' plan versions, so companies per version of a
    /// base plan is an index-only count.
    /// </summary>
    private static string Version29DirectoryTallies(SqlDialect dialect) => $"""
        CREATE TABLE company_directory_tallies (
            environment_id TEXT NOT NULL,
            tally TEXT NOT NULL,
            companies BIGINT NOT NULL,
            PRIMARY KEY (environment_id, tally));
        INSERT INTO company_directory_tallies (environment_id, tally, companies)
            SELECT environment_id, tally, COUNT(*) FROM ({TalliesOf("d")}) t WHERE tally IS NOT NULL GROUP BY environment_id, tally;
        {(dialect.IsPostgres ? PostgresTallyTriggers : SqliteTallyTriggers)}
        CREATE INDEX company_directory_plan_versions ON company_directory (environment_id, plan_id, plan_version_ids);
        """;

    // Whether a row's change moves it between tallies: only then do the triggers write.
    private const string TalliesMove = """
        OLD.plan_id IS DISTINCT FROM NEW.plan_id OR (OLD.worst_ratio >= 1) <> (NEW.worst_ratio >= 1)
            OR (OLD.worst_ratio >= 0.8) <> (NEW.worst_ratio >= 0.8) OR (OLD.trial_ends_at IS NULL) <> (NEW.trial_ends_at IS NULL)
            OR (OLD.override_count > 0) <> (NEW.override_count > 0)
        """;

    private static string PostgresTallyTriggers => $"""
        CREATE FUNCTION company_directory_tally() RETURNS trigger LANGUAGE plpgsql AS $tally$
        BEGIN
            IF TG_OP <> 'INSERT' THEN {CountRow("OLD", -1)}; END IF;
            IF TG_OP <> 'DELETE' THEN {CountRow("NEW", 1)}; END IF;
            RETURN NULL;
        END
        $tally$;
        CREATE TRIGGER company_directory_tally_rows AFTER INSERT OR DELETE ON company_directory
            FOR EACH ROW EXECUTE FUNCTION company_directory_tally();
        CREATE TRIGGER company_directory_tally_update AFTER UPDATE ON company_directory
            FOR EACH ROW WHEN ({TalliesMove}) EXECUTE FUNCTION company_directory_tally();
        """;

    private static string SqliteTallyTriggers => $"""
        CREATE TRIGGER company_directory_tally_insert AFTER INSERT ON company_directory
            BEGIN {CountRow("NEW", 1)}; END;
        CREATE TRIGGER company_directory_tally_delete AFTER DELETE ON company_directory
            BEGIN {CountRow("OLD", -1)}; END;
        CREATE TRIGGER company_directory_tally_update AFTER UPDATE ON company_directory WHEN {TalliesMove.Replace("IS DISTINCT FROM", "IS NOT", StringComparison.Ordinal)}
            BEGIN {CountRow("OLD", -1)}; {CountRow("NEW", 1)}; END;
        """;

    // Adds delta to each tally the row (OLD or NEW in a trigger) belongs to.
    private static string CountRow(string row, int delta) => $"""
        INSERT INTO company_directory_tallies (environment_id, tally, companies)
            SELECT environment_id, tally, {delta} FROM ({TalliesOf(row)}) t WHERE tally IS NOT NULL
            ON CONFLICT (environment_id, tally) DO UPDATE SET companies = company_directory_tallies.companies + excluded.companies
        """;

    // The (environment_id, tally) pairs of a row, a null tally where the row is not in it. With "d" it reads every row
    // of company_directory (the first count); with OLD or NEW, the trigger's row.
    private static string TalliesOf(string row)
    {
        var from = row == "d" ? " FROM company_directory d" : string.Empty;
        return $"""
            SELECT {row}.environment_id AS environment_id, 'plan:' || COALESCE({row}.plan_id, '') AS tally{from}
            UNION ALL SELECT {row}.environment_id, CASE WHEN {row}.worst_ratio >= 1 THEN 'over' END{from}
            UNION ALL SELECT {row}.environment_id, CASE WHEN {row}.worst_ratio >= 0.8 AND {row}.worst_ratio < 1 THEN 'near' END{from}
            UNION ALL SELECT {row}.environment_id, CASE WHEN {row}.trial_ends_at IS NOT NULL THEN 'trialing' END{from}
            UNION ALL SELECT {row}.environment_id, CASE WHEN {row}.override_count > 0 THEN 'overrides' END{from}
            """;
    }
}
