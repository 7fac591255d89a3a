namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// <c>/insights/plan-growth</c> answers, per base plan and month, how many companies on the plan now were created by
    /// the month's end. Counted from <c>company_insights</c> per point, that was an index range of up to every company of
    /// a plan per plan and month (238 ms at 25,000 rows built of 1,000,000); kept here as tallies per environment, base
    /// plan and month of creation (<c>YYYY-MM</c>, UTC) of the company directory's rows instead, so that a request reads
    /// a few rows per plan and adds them up. The tallies start from the rows already there. On SQLite, row-level triggers
    /// keep them, like migration 29's; on PostgreSQL, migration 45's statement-level triggers keep them with the others.
    /// </summary>
    private static string Version44PlanMonths(SqlDialect dialect) => $"""
        CREATE TABLE company_directory_plan_months (
            environment_id TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            month TEXT NOT NULL,
            companies BIGINT NOT NULL,
            PRIMARY KEY (environment_id, plan_id, month));
        INSERT INTO company_directory_plan_months (environment_id, plan_id, month, companies)
            SELECT environment_id, plan_id, {CreationMonth(dialect, "d")}, COUNT(*) FROM company_directory d WHERE plan_id IS NOT NULL
            GROUP BY environment_id, plan_id, {CreationMonth(dialect, "d")};
        {(dialect.IsPostgres ? string.Empty : SqlitePlanMonthTriggers)}
        """;

    private static string SqlitePlanMonthTriggers => $"""
        CREATE TRIGGER company_directory_plan_month_insert AFTER INSERT ON company_directory WHEN NEW.plan_id IS NOT NULL
            BEGIN {CountPlanMonth("NEW", 1)}; END;
        CREATE TRIGGER company_directory_plan_month_delete AFTER DELETE ON company_directory WHEN OLD.plan_id IS NOT NULL
            BEGIN {CountPlanMonth("OLD", -1)}; END;
        CREATE TRIGGER company_directory_plan_month_update_old AFTER UPDATE ON company_directory
            WHEN OLD.plan_id IS NOT NULL AND (OLD.plan_id IS NOT NEW.plan_id OR OLD.created_at IS NOT NEW.created_at)
            BEGIN {CountPlanMonth("OLD", -1)}; END;
        CREATE TRIGGER company_directory_plan_month_update_new AFTER UPDATE ON company_directory
            WHEN NEW.plan_id IS NOT NULL AND (OLD.plan_id IS NOT NEW.plan_id OR OLD.created_at IS NOT NEW.created_at)
            BEGIN {CountPlanMonth("NEW", 1)}; END;
        """;

    // SQLite: adds delta to the tally of a row's (OLD or NEW) plan and month of creation.
    private static string CountPlanMonth(string row, int delta) => $"""
        INSERT INTO company_directory_plan_months (environment_id, plan_id, month, companies)
            VALUES ({row}.environment_id, {row}.plan_id, {CreationMonth(SqlDialect.Sqlite, row)}, {delta})
            ON CONFLICT (environment_id, plan_id, month) DO UPDATE SET companies = company_directory_plan_months.companies + excluded.companies
        """;

    // The UTC month (YYYY-MM) of a row's created_at (Unix milliseconds).
    private static string CreationMonth(SqlDialect dialect, string row) => dialect.IsPostgres
        ? $"to_char(to_timestamp({row}.created_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM')"
        : $"strftime('%Y-%m', {row}.created_at / 1000, 'unixepoch')";
}
