namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// The overrides of a feature that carry an expiration date, indexed by feature and by the date's text. The lists
    /// of a feature's holders decide in SQL who has an active override (<c>Companies/FeatureHolders</c>); which ones
    /// have expired is decided against the server's clock, not the database's, so the expired overrides are read first
    /// and named to the list's query. This index makes that read a short range (the overrides whose date's text sorts
    /// before the server's clock plus a day) instead of a read of every override of the feature (31,002 for one
    /// feature at 1,000,000 companies, 24,909 of them with a date). The text is compared bytewise (<c>COLLATE "C"</c>
    /// on PostgreSQL; SQLite's default), and the exact instant is parsed from each row read. An expression index
    /// rewrites no table. It holds only overrides with a date.
    /// </summary>
    private static string Version53OverrideExpiry(SqlDialect dialect) => dialect.IsPostgres
        ? $"""
            CREATE INDEX IF NOT EXISTS resources_override_expiry
                ON resources (environment_id, override_feature_id, ({dialect.JsonText("data", "expiration_date")} COLLATE "C"))
                WHERE kind = '{ResourceKinds.CompanyOverride}' AND {dialect.JsonText("data", "expiration_date")} IS NOT NULL;
            """
        : $"""
            CREATE INDEX IF NOT EXISTS resources_override_expiry
                ON resources (environment_id, override_feature_id, {dialect.JsonText("data", "expiration_date")})
                WHERE kind = '{ResourceKinds.CompanyOverride}' AND {dialect.JsonText("data", "expiration_date")} IS NOT NULL;
            """;
}
