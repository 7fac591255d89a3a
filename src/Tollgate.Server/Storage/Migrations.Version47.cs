namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// Companies per base plan (<c>plan_id</c> '' for none), kept in the writing transaction by triggers on
    /// <c>resources</c>, so that the company count and the count by plan or without one read a few rows instead of
    /// counting up to 1,000,000 (<c>CompanyPlanTallies</c>); the count of all companies is their sum. Unlike the
    /// directory's tallies (migration 29), these follow the written documents, not a projection, and company writers do
    /// not take turns. So on PostgreSQL a statement appends its net change per plan as new rows instead of updating one
    /// row per plan: concurrent company writes never wait on each other's tally row, and two transactions that change
    /// several plans cannot deadlock on them. Readers sum the rows, and fold them back into one row per plan when they
    /// grow (one statement that deletes them and inserts their sums, so the totals are kept whatever runs beside it).
    /// The triggers are statement-level over transition tables, as migration 45's, so a bulk write adds one row per plan.
    /// SQLite serialises writers: its row triggers add to one row per plan, as migration 29's. The tallies start from the
    /// companies already there (migration 46's column).
    /// Companies without a base plan get a partial index of their own, in list order: migration 46's index holds them,
    /// but PostgreSQL prices <c>base_plan_id IS NULL</c> by the column's null fraction over every row of the table (users
    /// and every other kind are null), took the range for two thirds of the table, and read every company instead (30 s
    /// at 1,000,000). For the same reason PostgreSQL keeps statistics of the new columns together with <c>kind</c>.
    /// </summary>
    private static string Version47CompanyPlanTallies(SqlDialect dialect) => dialect.IsPostgres
        ? $"""
            CREATE TABLE company_plan_tallies (
                environment_id TEXT NOT NULL,
                plan_id TEXT NOT NULL,
                companies BIGINT NOT NULL);
            CREATE INDEX company_plan_tallies_environment ON company_plan_tallies (environment_id, plan_id) INCLUDE (companies);
            {CompanyPlanTalliesFrom("resources")}
            {CompanyPlanTallyFunction("insert", "SELECT environment_id, kind, base_plan_id, 1 AS delta FROM new_rows")}
            {CompanyPlanTallyFunction("update", "SELECT environment_id, kind, base_plan_id, -1 AS delta FROM old_rows UNION ALL SELECT environment_id, kind, base_plan_id, 1 AS delta FROM new_rows")}
            {CompanyPlanTallyFunction("delete", "SELECT environment_id, kind, base_plan_id, -1 AS delta FROM old_rows")}
            CREATE TRIGGER company_plan_tallies_insert AFTER INSERT ON resources
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION company_plan_tallies_insert();
            CREATE TRIGGER company_plan_tallies_update AFTER UPDATE ON resources
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION company_plan_tallies_update();
            CREATE TRIGGER company_plan_tallies_delete AFTER DELETE ON resources
                REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION company_plan_tallies_delete();
            {CompaniesWithoutPlanIndex(dialect)}
            CREATE STATISTICS resources_company_plans (mcv) ON kind, base_plan_id FROM resources;
            CREATE STATISTICS resources_override_features (mcv) ON kind, override_feature_id FROM resources;
            """
        : $"""
            CREATE TABLE company_plan_tallies (
                environment_id TEXT NOT NULL,
                plan_id TEXT NOT NULL,
                companies BIGINT NOT NULL,
                PRIMARY KEY (environment_id, plan_id));
            {CompanyPlanTalliesFrom("resources")}
            CREATE TRIGGER company_plan_tallies_insert AFTER INSERT ON resources WHEN NEW.kind = '{ResourceKinds.Company}'
                BEGIN {AddToPlanTally("NEW", 1)}; END;
            CREATE TRIGGER company_plan_tallies_delete AFTER DELETE ON resources WHEN OLD.kind = '{ResourceKinds.Company}'
                BEGIN {AddToPlanTally("OLD", -1)}; END;
            CREATE TRIGGER company_plan_tallies_update AFTER UPDATE ON resources
                WHEN NEW.kind = '{ResourceKinds.Company}' AND OLD.base_plan_id IS NOT NEW.base_plan_id
                BEGIN {AddToPlanTally("OLD", -1)}; {AddToPlanTally("NEW", 1)}; END;
            {CompaniesWithoutPlanIndex(dialect)}
            """;

    // The companies without a base plan in list order (SQLite breaks created_at ties by rowid, which every index holds).
    private static string CompaniesWithoutPlanIndex(SqlDialect dialect) => $"""
        CREATE INDEX resources_company_without_plan ON resources (environment_id, created_at{(dialect.IsPostgres ? ", seq" : string.Empty)})
            WHERE kind = '{ResourceKinds.Company}' AND base_plan_id IS NULL;
        """;

    // The first tallies: the companies already stored, per environment and base plan.
    private static string CompanyPlanTalliesFrom(string table) => $"""
        INSERT INTO company_plan_tallies (environment_id, plan_id, companies)
            SELECT environment_id, COALESCE(base_plan_id, ''), COUNT(*) FROM {table} WHERE kind = '{ResourceKinds.Company}'
            GROUP BY environment_id, COALESCE(base_plan_id, '');
        """;

    // PostgreSQL: a trigger function appending the statement's net change of companies per environment and base plan
    // (signedRows: each row with its delta, -1 for a row before, 1 for a row after). A net change of 0 (a write that moves
    // no company between plans, or any other kind's write) appends nothing.
    private static string CompanyPlanTallyFunction(string operation, string signedRows) => $"""
        CREATE FUNCTION company_plan_tallies_{operation}() RETURNS trigger LANGUAGE plpgsql AS $tallies$
        BEGIN
            INSERT INTO company_plan_tallies (environment_id, plan_id, companies)
                SELECT s.environment_id, COALESCE(s.base_plan_id, ''), SUM(s.delta) FROM ({signedRows}) s
                WHERE s.kind = '{ResourceKinds.Company}'
                GROUP BY s.environment_id, COALESCE(s.base_plan_id, '') HAVING SUM(s.delta) <> 0;
            RETURN NULL;
        END
        $tallies$;
        """;

    // SQLite: adds delta to the tally of the row's (OLD or NEW in a trigger) base plan.
    private static string AddToPlanTally(string row, int delta) => $"""
        INSERT INTO company_plan_tallies (environment_id, plan_id, companies) VALUES ({row}.environment_id, COALESCE({row}.base_plan_id, ''), {delta})
            ON CONFLICT (environment_id, plan_id) DO UPDATE SET companies = company_plan_tallies.companies + excluded.companies
        """;
}
