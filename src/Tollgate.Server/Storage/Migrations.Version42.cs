namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// A feature's overrides by the feature, for <c>/feature-companies</c> and the lists' <c>with_entitlement_for</c>
    /// (<c>EntitySql</c>): without it, finding them reads every override's document (39,000 at 1,000,000 generated
    /// companies: about a second on a loaded machine). The expression is the dialect's <c>JsonText</c> of
    /// <c>feature_id</c>, exactly as the lists write it, with the kind as a literal, as their queries write it.
    /// </summary>
    private static string Version42OverrideFeatureIndex(SqlDialect dialect) => $"""
        CREATE INDEX resources_override_feature ON resources (environment_id, ({dialect.JsonText("data", "feature_id")}), parent_id)
            WHERE kind = '{ResourceKinds.CompanyOverride}';
        """;
}
