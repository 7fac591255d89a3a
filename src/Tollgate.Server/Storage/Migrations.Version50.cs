namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// <c>/insights/summary</c> and the signal lists' counts answered from tallies kept where their rows are written,
    /// instead of counting the rows per request. At 1,000,000 companies, <c>COUNT(*)</c> of a signal kind read its whole
    /// index range (120,662 expansion rows: 667 ms), and the summary counted every credit grant of the environment
    /// (224,291 rows: 161 ms) and summed the paying insight rows (up to every company once Stripe is connected). Kept
    /// here:
    /// <list type="bullet">
    /// <item><c>company_signal_tallies</c>: signal rows per environment and kind.</item>
    /// <item><c>company_insight_revenue</c>: paying insight rows (<c>mrr &gt; 0</c>) and their MRR per environment and
    /// currency (<c>''</c> for none).</item>
    /// <item><c>credit_grant_totals</c>: credit grants per environment, ended or not (the summary's <c>active_credits</c>,
    /// as it was counted before).</item>
    /// </list>
    /// Each starts from the rows already there. The triggers run in the writer's transaction, so a tally can never
    /// disagree with its rows. On PostgreSQL, the signal and insight rows are written in 500-row statements by writers
    /// that take turns per environment (<c>CompanySignalStore.TakeTurnAsync</c>), so statement-level triggers over the
    /// transition tables add each statement's net change once, like migration 45's. Credit grants are written by many
    /// writers at once (a check issuing a company's plan grants, a rebuild batch issuing 500 companies'), each holding
    /// balance locks: a tally row locked in the middle of such a transaction could close a cycle with another writer's
    /// balance locks, so the grant total is kept by a deferred constraint trigger, which locks the one total row of the
    /// environment at commit, after every other lock its transaction takes. SQLite has one writer at a time and
    /// row-level triggers.
    /// </summary>
    private static string Version50InsightTallies(SqlDialect dialect) => $"""
        CREATE TABLE company_signal_tallies (
            environment_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            companies BIGINT NOT NULL,
            PRIMARY KEY (environment_id, kind));
        CREATE TABLE company_insight_revenue (
            environment_id TEXT NOT NULL,
            currency TEXT NOT NULL,
            paying BIGINT NOT NULL,
            mrr BIGINT NOT NULL,
            PRIMARY KEY (environment_id, currency));
        CREATE TABLE credit_grant_totals (
            environment_id TEXT NOT NULL PRIMARY KEY,
            grants BIGINT NOT NULL);
        INSERT INTO company_signal_tallies (environment_id, kind, companies)
            SELECT environment_id, kind, COUNT(*) FROM company_signals GROUP BY environment_id, kind;
        INSERT INTO company_insight_revenue (environment_id, currency, paying, mrr)
            SELECT environment_id, COALESCE(currency, ''), COUNT(*), SUM(mrr) FROM company_insights WHERE mrr > 0 GROUP BY environment_id, COALESCE(currency, '');
        INSERT INTO credit_grant_totals (environment_id, grants)
            SELECT environment_id, COUNT(*) FROM credit_grants GROUP BY environment_id;
        {(dialect.IsPostgres ? PostgresInsightTallies : SqliteInsightTallies)}
        """;

    private static string PostgresInsightTallies => $"""
        {SignalTallyFunction("insert", "SELECT *, 1 AS delta FROM new_rows")}
        {SignalTallyFunction("update", "SELECT *, -1 AS delta FROM old_rows UNION ALL SELECT *, 1 AS delta FROM new_rows")}
        {SignalTallyFunction("delete", "SELECT *, -1 AS delta FROM old_rows")}
        {RevenueTallyFunction("insert", "SELECT *, 1 AS delta FROM new_rows")}
        {RevenueTallyFunction("update", "SELECT *, -1 AS delta FROM old_rows UNION ALL SELECT *, 1 AS delta FROM new_rows")}
        {RevenueTallyFunction("delete", "SELECT *, -1 AS delta FROM old_rows")}
        {StatementTriggers("company_signals", "company_signal_tallies")}
        {StatementTriggers("company_insights", "company_insight_revenue")}
        CREATE FUNCTION credit_grant_total() RETURNS trigger LANGUAGE plpgsql AS $total$
        BEGIN
            INSERT INTO credit_grant_totals (environment_id, grants)
                VALUES (CASE WHEN TG_OP = 'INSERT' THEN NEW.environment_id ELSE OLD.environment_id END, CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END)
                ON CONFLICT (environment_id) DO UPDATE SET grants = credit_grant_totals.grants + excluded.grants;
            RETURN NULL;
        END
        $total$;
        CREATE CONSTRAINT TRIGGER credit_grant_total AFTER INSERT OR DELETE ON credit_grants
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION credit_grant_total();
        """;

    // The three statement-level triggers of a table, each calling its function (named after the tally table and operation).
    private static string StatementTriggers(string table, string tally) => $"""
        CREATE TRIGGER {table}_tally_insert AFTER INSERT ON {table}
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {tally}_insert();
        CREATE TRIGGER {table}_tally_update AFTER UPDATE ON {table}
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {tally}_update();
        CREATE TRIGGER {table}_tally_delete AFTER DELETE ON {table}
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {tally}_delete();
        """;

    // Adds the net change of the statement's signal rows (each with its delta: -1 before, 1 after) per kind, in one upsert.
    private static string SignalTallyFunction(string operation, string signedRows) => $"""
        CREATE FUNCTION company_signal_tallies_{operation}() RETURNS trigger LANGUAGE plpgsql AS $tally$
        BEGIN
            INSERT INTO company_signal_tallies (environment_id, kind, companies)
                SELECT s.environment_id, s.kind, SUM(s.delta) FROM ({signedRows}) s
                GROUP BY s.environment_id, s.kind HAVING SUM(s.delta) <> 0
                ON CONFLICT (environment_id, kind) DO UPDATE SET companies = company_signal_tallies.companies + excluded.companies;
            RETURN NULL;
        END
        $tally$;
        """;

    // Adds the net change of the statement's paying insight rows (count and MRR) per currency, in one upsert.
    private static string RevenueTallyFunction(string operation, string signedRows) => $"""
        CREATE FUNCTION company_insight_revenue_{operation}() RETURNS trigger LANGUAGE plpgsql AS $tally$
        BEGIN
            INSERT INTO company_insight_revenue (environment_id, currency, paying, mrr)
                SELECT s.environment_id, COALESCE(s.currency, ''), SUM(s.delta), SUM(s.delta * s.mrr) FROM ({signedRows}) s
                WHERE s.mrr > 0
                GROUP BY s.environment_id, COALESCE(s.currency, '') HAVING SUM(s.delta) <> 0 OR SUM(s.delta * s.mrr) <> 0
                ON CONFLICT (environment_id, currency) DO UPDATE SET paying = company_insight_revenue.paying + excluded.paying,
                    mrr = company_insight_revenue.mrr + excluded.mrr;
            RETURN NULL;
        END
        $tally$;
        """;

    private static string SqliteInsightTallies => $"""
        CREATE TRIGGER company_signal_tally_insert AFTER INSERT ON company_signals BEGIN {CountSignal("NEW", 1)}; END;
        CREATE TRIGGER company_signal_tally_delete AFTER DELETE ON company_signals BEGIN {CountSignal("OLD", -1)}; END;
        CREATE TRIGGER company_signal_tally_update AFTER UPDATE ON company_signals WHEN OLD.kind IS NOT NEW.kind
            BEGIN {CountSignal("OLD", -1)}; {CountSignal("NEW", 1)}; END;
        CREATE TRIGGER company_insight_revenue_insert AFTER INSERT ON company_insights WHEN NEW.mrr > 0 BEGIN {CountRevenue("NEW", 1)}; END;
        CREATE TRIGGER company_insight_revenue_delete AFTER DELETE ON company_insights WHEN OLD.mrr > 0 BEGIN {CountRevenue("OLD", -1)}; END;
        CREATE TRIGGER company_insight_revenue_update_old AFTER UPDATE ON company_insights
            WHEN OLD.mrr > 0 AND (OLD.mrr IS NOT NEW.mrr OR OLD.currency IS NOT NEW.currency) BEGIN {CountRevenue("OLD", -1)}; END;
        CREATE TRIGGER company_insight_revenue_update_new AFTER UPDATE ON company_insights
            WHEN NEW.mrr > 0 AND (OLD.mrr IS NOT NEW.mrr OR OLD.currency IS NOT NEW.currency) BEGIN {CountRevenue("NEW", 1)}; END;
        CREATE TRIGGER credit_grant_total_insert AFTER INSERT ON credit_grants BEGIN {CountGrant("NEW", 1)}; END;
        CREATE TRIGGER credit_grant_total_delete AFTER DELETE ON credit_grants BEGIN {CountGrant("OLD", -1)}; END;
        """;

    // SQLite: adds delta to the tally of a signal row's (OLD or NEW) kind.
    private static string CountSignal(string row, int delta) => $"""
        INSERT INTO company_signal_tallies (environment_id, kind, companies) VALUES ({row}.environment_id, {row}.kind, {delta})
            ON CONFLICT (environment_id, kind) DO UPDATE SET companies = company_signal_tallies.companies + excluded.companies
        """;

    // SQLite: adds a paying insight row (OLD or NEW), or takes it away (delta -1), from its currency's revenue.
    private static string CountRevenue(string row, int delta) => $"""
        INSERT INTO company_insight_revenue (environment_id, currency, paying, mrr)
            VALUES ({row}.environment_id, COALESCE({row}.currency, ''), {delta}, {delta} * {row}.mrr)
            ON CONFLICT (environment_id, currency) DO UPDATE SET paying = company_insight_revenue.paying + excluded.paying,
                mrr = company_insight_revenue.mrr + excluded.mrr
        """;

    // SQLite: adds delta to the grant total of a grant row's (OLD or NEW) environment.
    private static string CountGrant(string row, int delta) => $"""
        INSERT INTO credit_grant_totals (environment_id, grants) VALUES ({row}.environment_id, {delta})
            ON CONFLICT (environment_id) DO UPDATE SET grants = credit_grant_totals.grants + excluded.grants
        """;
}
