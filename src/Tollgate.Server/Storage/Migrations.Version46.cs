namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// A company's base plan as a plain column of its <c>resources</c> row, so that lists and counts by plan read an index
    /// alone. Migration 31 indexed the expression <c>base_plan_id</c> of the JSON document, and PostgreSQL 15 never answers
    /// from an expression index alone: each company on a plan was a read of its row (a count of one plan at 1,000,000
    /// companies took seconds). The column is generated from the document by the database, so every writer of a company
    /// document (the company API, trials, plan migrations, billing sync, bulk loads) keeps it in step in the same
    /// statement, and none can forget it. It is null for every other kind. PostgreSQL stores it (the table is rewritten
    /// once, filling it for the companies already there); SQLite adds it as a virtual column (SQLite cannot add a stored
    /// one), which its index stores. The index serves the list order by plan (<c>created_at</c>, then insertion order),
    /// the companies without a base plan (<c>IS NULL</c>) and, on PostgreSQL, the company ids of a plan (a feature's
    /// companies) from the index alone. Migration 31's expression index is replaced by it. An override's feature is made a
    /// column the same way, in the same rewrite, for the same reason (a feature's overridden companies were a row read
    /// each through migration 42's expression index); its index, with the company, replaces 42's.
    /// </summary>
    private static string Version46BasePlanColumn(SqlDialect dialect) => dialect.IsPostgres
        ? $"""
            ALTER TABLE resources
                ADD COLUMN base_plan_id TEXT
                    GENERATED ALWAYS AS (CASE WHEN kind = '{ResourceKinds.Company}' THEN {dialect.JsonText("data", "base_plan_id")} END) STORED,
                ADD COLUMN override_feature_id TEXT
                    GENERATED ALWAYS AS (CASE WHEN kind = '{ResourceKinds.CompanyOverride}' THEN {dialect.JsonText("data", "feature_id")} END) STORED;
            DROP INDEX IF EXISTS resources_company_base_plan;
            DROP INDEX IF EXISTS resources_override_feature;
            CREATE INDEX resources_company_plan ON resources (environment_id, base_plan_id, created_at, seq) INCLUDE (id)
                WHERE kind = '{ResourceKinds.Company}';
            CREATE INDEX resources_override_feature_column ON resources (environment_id, override_feature_id, parent_id)
                WHERE kind = '{ResourceKinds.CompanyOverride}';
            """
        : $"""
            ALTER TABLE resources ADD COLUMN base_plan_id TEXT
                GENERATED ALWAYS AS (CASE WHEN kind = '{ResourceKinds.Company}' THEN {dialect.JsonText("data", "base_plan_id")} END) VIRTUAL;
            ALTER TABLE resources ADD COLUMN override_feature_id TEXT
                GENERATED ALWAYS AS (CASE WHEN kind = '{ResourceKinds.CompanyOverride}' THEN {dialect.JsonText("data", "feature_id")} END) VIRTUAL;
            DROP INDEX IF EXISTS resources_company_base_plan;
            DROP INDEX IF EXISTS resources_override_feature;
            CREATE INDEX resources_company_plan ON resources (environment_id, base_plan_id, created_at) WHERE kind = '{ResourceKinds.Company}';
            CREATE INDEX resources_override_feature_column ON resources (environment_id, override_feature_id, parent_id)
                WHERE kind = '{ResourceKinds.CompanyOverride}';
            """;
}
