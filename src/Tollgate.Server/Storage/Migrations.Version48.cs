namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// The publish dry run's "over a new limit" (<c>Companies/CompaniesOnVersion</c>) starts from the counters over the
    /// limit instead of walking every directory row of the plan and looking up its counter (about 2 s at 100,000
    /// companies, 18–23 s at 1,000,000): <c>usage_counters_over</c> holds a period's counters in order of value, so the
    /// companies over a limit are one index-only range scan. It carries <c>value</c>, so a counter's increment now
    /// writes this index too (on PostgreSQL it is no longer a heap-only update): the price of a count that does not
    /// read the counters under the limit. The plan-version index gains <c>company_id</c>, so that the directory side of
    /// the count (the companies on a version) is index-only as well, on SQLite too (its secondary indexes hold the rowid,
    /// not the primary key); it still serves every query the narrower one of migration 29 did.
    /// </summary>
    private static string Version48CountersOverLimit(SqlDialect dialect) => """
        CREATE INDEX usage_counters_over ON usage_counters (environment_id, event_subtype, period, bucket, value, company_id);
        DROP INDEX company_directory_plan_versions;
        CREATE INDEX company_directory_plan_versions ON company_directory (environment_id, plan_id, plan_version_ids, company_id);
        """;
}
