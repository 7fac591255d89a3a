namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// Three estimates and one index-only walk for the company lists on PostgreSQL (SQLite's planner has none of these
    /// problems: it already reads the indexes these replace).
    /// <list type="bullet">
    /// <item>Companies without a base plan are the range <c>''</c> of an index on <c>COALESCE(base_plan_id, '')</c> over
    /// companies. Migration 47's partial index of <c>base_plan_id IS NULL</c> found them, but PostgreSQL prices a scan of
    /// a partial index by the null fraction of the whole table (users and every other kind are null): it planned a
    /// parallel scan with JIT, about 450 ms for no rows at 1,000,000 companies. An expression index has statistics of
    /// its own, gathered over its rows only (the companies), so the range <c>''</c> is priced as the few rows it is.
    /// It replaces migration 47's partial index.</item>
    /// <item>The list order of every kind carries the id (<c>resources_kind_order_ids</c> replaces
    /// <c>resources_kind_order</c>), so that a filtered page walks the order in the index alone and reads the
    /// documents of the page's rows only (<c>ResourceStore.ListAsync</c>).</item>
    /// <item>Links are estimated per kind and linked id together: an add-on's company links were estimated from the
    /// add-on's share of all links times the companies' share (1,518 for 41,798), so PostgreSQL sorted all of an
    /// add-on's companies for a page instead of walking the list order.</item>
    /// </list>
    /// Every statement tolerates its object being there already: on the 1,000,000-company bench store they were made
    /// by hand with this SQL first, to time them.
    /// </summary>
    private static string Version51ListEstimates(SqlDialect dialect) => dialect.IsPostgres
        ? $"""
            CREATE INDEX IF NOT EXISTS resources_company_plan_or_none ON resources (environment_id, COALESCE(base_plan_id, ''), created_at, seq)
                WHERE kind = '{ResourceKinds.Company}';
            DROP INDEX IF EXISTS resources_company_without_plan;
            CREATE INDEX IF NOT EXISTS resources_kind_order_ids ON resources (environment_id, kind, created_at, seq) INCLUDE (id);
            DROP INDEX IF EXISTS resources_kind_order;
            CREATE STATISTICS IF NOT EXISTS resource_links_kind_linked (mcv) ON kind, linked_id FROM resource_links;
            ANALYZE resource_links;
            ANALYZE resources;
            """
        : "SELECT 1;";
}
