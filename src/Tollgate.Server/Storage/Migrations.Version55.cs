namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// Companies by id, with their base plan. <c>/feature-companies</c> answers in id order, and the primary key
    /// (environment, id) holds every kind: the first page walked past every override (their ids sort before companies':
    /// 50,794 rows read and filtered, 2.8 s at 1,000,000 companies). A count of a feature's holders probes the base plan of
    /// each company an add-on link or an override names; here that is a read of this index, not of the company's row
    /// (<c>Companies/FeatureHolders</c>). On PostgreSQL the base plan is carried (<c>INCLUDE</c>); SQLite has no
    /// <c>INCLUDE</c>, so it is a key column there. The statement tolerates the index being there already: on the
    /// 1,000,000-company bench store it was made by hand with this SQL first, to time it (12.7 s).
    /// </summary>
    private static string Version55CompanyIds(SqlDialect dialect) => dialect.IsPostgres
        ? $"CREATE INDEX IF NOT EXISTS resources_company_ids ON resources (environment_id, id) INCLUDE (base_plan_id) WHERE kind = '{ResourceKinds.Company}';"
        : $"CREATE INDEX IF NOT EXISTS resources_company_ids ON resources (environment_id, id, base_plan_id) WHERE kind = '{ResourceKinds.Company}';";
}
