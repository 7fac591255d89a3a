namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// Who holds a feature, counted without probing every add-on link or override of it (<c>FeatureHolderTallies</c>):
    /// <list type="bullet">
    /// <item><c>company_add_ons</c>: each company's add-on plans (its links of kind company) as one sorted, comma-joined
    /// text, a row only for a company id with links, whether or not the company is stored.</item>
    /// <item><c>add_on_signature_tallies</c>: the stored companies with add-ons per (base plan, '' for none; add-on set).
    /// Companies without add-ons are migration 47's tallies alone. Few rows: the add-on combinations in use.</item>
    /// <item><c>feature_override_states</c>: per feature and stored company with an override of it (expired or not), the
    /// company's plans (base, add-on set) and whether its last override (by creation, then insertion: the one the check
    /// applies last) gives access. A count reads the feature's rows grouped; the overrides expired at the server's clock
    /// are corrected for at read (their companies only).</item>
    /// </list>
    /// Kept in the writing transaction by triggers on <c>resource_links</c> (an add-on link written or deleted) and on
    /// <c>resources</c> (a company created, deleted or moved to another base plan; an override written or deleted). A
    /// link's or override's trigger recomputes its company's row from what is stored; on PostgreSQL it first locks the
    /// company row (<c>FOR NO KEY UPDATE</c>), so two writers of one company's links, overrides or plan take turns and
    /// the second recomputes from what the first committed (each statement of a trigger function reads a new snapshot
    /// under READ COMMITTED). Add-on tallies on PostgreSQL are appended per change and folded by readers, as migration
    /// 47's; company writes are statement triggers over transition tables, so a bulk write appends one row per signature.
    /// The tables start from the links, companies and overrides already stored.
    /// </summary>
    private static string Version60FeatureHolderTallies(SqlDialect dialect) => dialect.IsPostgres
        ? $"""
            {CompanyAddOnsTable}
            CREATE TABLE add_on_signature_tallies (
                environment_id TEXT NOT NULL,
                plan_id TEXT NOT NULL,
                add_on_ids TEXT NOT NULL,
                companies BIGINT NOT NULL);
            CREATE INDEX add_on_signature_tallies_environment ON add_on_signature_tallies (environment_id) INCLUDE (plan_id, add_on_ids, companies);
            {FeatureOverrideStatesTable}
            {HolderTalliesFrom(dialect)}
            CREATE FUNCTION feature_holders_company_links() RETURNS trigger LANGUAGE plpgsql AS $holders$
            DECLARE l RECORD;
            BEGIN
                IF TG_OP = 'DELETE' THEN l := OLD; ELSE l := NEW; END IF;
                PERFORM 1 FROM resources c WHERE c.environment_id = l.environment_id AND c.id = l.id AND c.kind = '{ResourceKinds.Company}' FOR NO KEY UPDATE;
                {AddToSignatureTally(dialect, "l", "-1")}
                {RecomputeAddOns(dialect, "l.environment_id", "l.id")}
                {AddToSignatureTally(dialect, "l", "1")}
                RETURN NULL;
            END
            $holders$;
            CREATE TRIGGER feature_holders_company_links_insert AFTER INSERT ON resource_links
                FOR EACH ROW WHEN (NEW.kind = '{ResourceKinds.Company}') EXECUTE FUNCTION feature_holders_company_links();
            CREATE TRIGGER feature_holders_company_links_delete AFTER DELETE ON resource_links
                FOR EACH ROW WHEN (OLD.kind = '{ResourceKinds.Company}') EXECUTE FUNCTION feature_holders_company_links();
            CREATE FUNCTION feature_holders_overrides() RETURNS trigger LANGUAGE plpgsql AS $holders$
            BEGIN
                IF TG_OP <> 'INSERT' AND OLD.kind = '{ResourceKinds.CompanyOverride}' AND OLD.parent_id IS NOT NULL AND OLD.override_feature_id IS NOT NULL THEN
                    PERFORM 1 FROM resources c WHERE c.environment_id = OLD.environment_id AND c.id = OLD.parent_id AND c.kind = '{ResourceKinds.Company}' FOR NO KEY UPDATE;
                    {RecomputeOverrideState(dialect, "OLD")}
                END IF;
                IF TG_OP <> 'DELETE' AND NEW.kind = '{ResourceKinds.CompanyOverride}' AND NEW.parent_id IS NOT NULL AND NEW.override_feature_id IS NOT NULL THEN
                    PERFORM 1 FROM resources c WHERE c.environment_id = NEW.environment_id AND c.id = NEW.parent_id AND c.kind = '{ResourceKinds.Company}' FOR NO KEY UPDATE;
                    {RecomputeOverrideState(dialect, "NEW")}
                END IF;
                RETURN NULL;
            END
            $holders$;
            CREATE TRIGGER feature_holders_overrides_insert AFTER INSERT ON resources
                FOR EACH ROW WHEN (NEW.kind = '{ResourceKinds.CompanyOverride}') EXECUTE FUNCTION feature_holders_overrides();
            CREATE TRIGGER feature_holders_overrides_update AFTER UPDATE ON resources
                FOR EACH ROW WHEN (OLD.kind = '{ResourceKinds.CompanyOverride}' OR NEW.kind = '{ResourceKinds.CompanyOverride}') EXECUTE FUNCTION feature_holders_overrides();
            CREATE TRIGGER feature_holders_overrides_delete AFTER DELETE ON resources
                FOR EACH ROW WHEN (OLD.kind = '{ResourceKinds.CompanyOverride}') EXECUTE FUNCTION feature_holders_overrides();
            CREATE FUNCTION feature_holders_companies_insert() RETURNS trigger LANGUAGE plpgsql AS $holders$
            BEGIN
                {SignatureTallyChange($"SELECT n.environment_id, n.id, n.base_plan_id, 1 AS delta FROM new_rows n WHERE n.kind = '{ResourceKinds.Company}'")}
                INSERT INTO feature_override_states (environment_id, feature_id, company_id, plan_id, add_on_ids, grants)
                    SELECT DISTINCT ON (o.environment_id, o.override_feature_id, o.parent_id)
                        o.environment_id, o.override_feature_id, o.parent_id, COALESCE(n.base_plan_id, ''), COALESCE(a.add_on_ids, ''), {GrantsSql(dialect, "o")}
                    FROM new_rows n
                        JOIN resources o ON o.environment_id = n.environment_id AND o.kind = '{ResourceKinds.CompanyOverride}' AND o.parent_id = n.id
                        LEFT JOIN company_add_ons a ON a.environment_id = n.environment_id AND a.company_id = n.id
                    WHERE n.kind = '{ResourceKinds.Company}' AND o.override_feature_id IS NOT NULL
                    ORDER BY o.environment_id, o.override_feature_id, o.parent_id, o.created_at DESC, o.seq DESC
                -- An override inserted by the same statement as its company (a bulk load) has its row already: its row
                -- trigger fired first, with the company visible, and wrote the same state.
                ON CONFLICT (environment_id, feature_id, company_id) DO NOTHING;
                RETURN NULL;
            END
            $holders$;
            CREATE FUNCTION feature_holders_companies_delete() RETURNS trigger LANGUAGE plpgsql AS $holders$
            BEGIN
                {SignatureTallyChange($"SELECT o.environment_id, o.id, o.base_plan_id, -1 AS delta FROM old_rows o WHERE o.kind = '{ResourceKinds.Company}'")}
                DELETE FROM feature_override_states s USING old_rows o
                    WHERE o.kind = '{ResourceKinds.Company}' AND s.environment_id = o.environment_id AND s.company_id = o.id;
                RETURN NULL;
            END
            $holders$;
            CREATE FUNCTION feature_holders_companies_update() RETURNS trigger LANGUAGE plpgsql AS $holders$
            BEGIN
                {SignatureTallyChange($"""
                    SELECT o.environment_id, o.id, o.base_plan_id, -1 AS delta FROM old_rows o {MovedTo}
                    UNION ALL SELECT n.environment_id, n.id, n.base_plan_id, 1 AS delta FROM old_rows o {MovedTo}
                    """)}
                UPDATE feature_override_states s SET plan_id = COALESCE(n.base_plan_id, '') FROM old_rows o {MovedTo}
                    AND s.environment_id = n.environment_id AND s.company_id = n.id;
                RETURN NULL;
            END
            $holders$;
            CREATE TRIGGER feature_holders_companies_insert AFTER INSERT ON resources
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION feature_holders_companies_insert();
            CREATE TRIGGER feature_holders_companies_update AFTER UPDATE ON resources
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION feature_holders_companies_update();
            CREATE TRIGGER feature_holders_companies_delete AFTER DELETE ON resources
                REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION feature_holders_companies_delete();
            """
        : $"""
            {CompanyAddOnsTable}
            CREATE TABLE add_on_signature_tallies (
                environment_id TEXT NOT NULL,
                plan_id TEXT NOT NULL,
                add_on_ids TEXT NOT NULL,
                companies BIGINT NOT NULL,
                PRIMARY KEY (environment_id, plan_id, add_on_ids));
            {FeatureOverrideStatesTable}
            {HolderTalliesFrom(dialect)}
            CREATE TRIGGER feature_holders_company_links_insert AFTER INSERT ON resource_links WHEN NEW.kind = '{ResourceKinds.Company}'
            BEGIN
                {AddToSignatureTally(dialect, "NEW", "-1")};
                {RecomputeAddOns(dialect, "NEW.environment_id", "NEW.id")};
                {AddToSignatureTally(dialect, "NEW", "1")};
            END;
            CREATE TRIGGER feature_holders_company_links_delete AFTER DELETE ON resource_links WHEN OLD.kind = '{ResourceKinds.Company}'
            BEGIN
                {AddToSignatureTally(dialect, "OLD", "-1")};
                {RecomputeAddOns(dialect, "OLD.environment_id", "OLD.id")};
                {AddToSignatureTally(dialect, "OLD", "1")};
            END;
            CREATE TRIGGER feature_holders_overrides_insert AFTER INSERT ON resources
                WHEN NEW.kind = '{ResourceKinds.CompanyOverride}' AND NEW.parent_id IS NOT NULL AND NEW.override_feature_id IS NOT NULL
            BEGIN
                {RecomputeOverrideState(dialect, "NEW")};
            END;
            CREATE TRIGGER feature_holders_overrides_update AFTER UPDATE ON resources
                WHEN OLD.kind = '{ResourceKinds.CompanyOverride}' OR NEW.kind = '{ResourceKinds.CompanyOverride}'
            BEGIN
                {RecomputeOverrideState(dialect, "OLD")};
                {RecomputeOverrideState(dialect, "NEW")};
            END;
            CREATE TRIGGER feature_holders_overrides_delete AFTER DELETE ON resources
                WHEN OLD.kind = '{ResourceKinds.CompanyOverride}' AND OLD.parent_id IS NOT NULL AND OLD.override_feature_id IS NOT NULL
            BEGIN
                {RecomputeOverrideState(dialect, "OLD")};
            END;
            CREATE TRIGGER feature_holders_companies_insert AFTER INSERT ON resources WHEN NEW.kind = '{ResourceKinds.Company}'
            BEGIN
                {AddToSignatureTally(dialect, "NEW", "1", company: true)};
                {OverrideStatesOfCompany(dialect, "NEW")};
            END;
            CREATE TRIGGER feature_holders_companies_delete AFTER DELETE ON resources WHEN OLD.kind = '{ResourceKinds.Company}'
            BEGIN
                {AddToSignatureTally(dialect, "OLD", "-1", company: true)};
                DELETE FROM feature_override_states WHERE environment_id = OLD.environment_id AND company_id = OLD.id;
            END;
            CREATE TRIGGER feature_holders_companies_update AFTER UPDATE ON resources
                WHEN NEW.kind = '{ResourceKinds.Company}' AND OLD.base_plan_id IS NOT NEW.base_plan_id
            BEGIN
                {AddToSignatureTally(dialect, "OLD", "-1", company: true)};
                {AddToSignatureTally(dialect, "NEW", "1", company: true)};
                UPDATE feature_override_states SET plan_id = COALESCE(NEW.base_plan_id, '') WHERE environment_id = NEW.environment_id AND company_id = NEW.id;
            END;
            """;

    // Each company's add-on plans, sorted and comma-joined: one row per company id with links.
    private const string CompanyAddOnsTable = """
        CREATE TABLE company_add_ons (
            environment_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            add_on_ids TEXT NOT NULL,
            PRIMARY KEY (environment_id, company_id));
        """;

    // One row per feature and stored company with an override of it; read per feature with the company's plans and the
    // last override's grant, and written per company.
    private const string FeatureOverrideStatesTable = """
        CREATE TABLE feature_override_states (
            environment_id TEXT NOT NULL,
            feature_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            add_on_ids TEXT NOT NULL,
            grants BOOLEAN NOT NULL,
            PRIMARY KEY (environment_id, feature_id, company_id));
        CREATE INDEX feature_override_states_company ON feature_override_states (environment_id, company_id);
        """;

    // The first rows: the add-on sets of the links stored, their stored companies tallied, and the override state of
    // every stored company and feature.
    private static string HolderTalliesFrom(SqlDialect dialect) => $"""
        INSERT INTO company_add_ons (environment_id, company_id, add_on_ids)
            SELECT environment_id, id, {(dialect.IsPostgres ? "string_agg(linked_id, ',' ORDER BY linked_id COLLATE \"C\")" : "group_concat(linked_id, ',')")}
            FROM {(dialect.IsPostgres ? "resource_links" : "(SELECT * FROM resource_links ORDER BY environment_id, id, linked_id)")}
            WHERE kind = '{ResourceKinds.Company}'
            GROUP BY environment_id, id;
        INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies)
            SELECT c.environment_id, COALESCE(c.base_plan_id, ''), a.add_on_ids, COUNT(*) FROM company_add_ons a
                JOIN resources c ON c.environment_id = a.environment_id AND c.id = a.company_id AND c.kind = '{ResourceKinds.Company}'
            GROUP BY c.environment_id, COALESCE(c.base_plan_id, ''), a.add_on_ids;
        INSERT INTO feature_override_states (environment_id, feature_id, company_id, plan_id, add_on_ids, grants)
            SELECT o.environment_id, o.override_feature_id, o.parent_id, COALESCE(c.base_plan_id, ''), COALESCE(a.add_on_ids, ''),
                {LastOverrideGrants(dialect, "o.environment_id", "o.override_feature_id", "o.parent_id")}
            FROM (SELECT DISTINCT environment_id, override_feature_id, parent_id FROM resources
                    WHERE kind = '{ResourceKinds.CompanyOverride}' AND parent_id IS NOT NULL AND override_feature_id IS NOT NULL) o
                JOIN resources c ON c.environment_id = o.environment_id AND c.id = o.parent_id AND c.kind = '{ResourceKinds.Company}'
                LEFT JOIN company_add_ons a ON a.environment_id = o.environment_id AND a.company_id = o.parent_id;
        CREATE INDEX feature_override_states_feature ON feature_override_states (environment_id, feature_id, plan_id, add_on_ids, grants);
        """;

    // Whether the last override (by creation, then insertion: the check applies them in that order, the last winning) of
    // the feature of the company gives access; null when it has none.
    private static string LastOverrideGrants(SqlDialect dialect, string environmentId, string featureId, string companyId) => $"""
        (SELECT {GrantsSql(dialect, "lo")} FROM resources lo
            WHERE lo.environment_id = {environmentId} AND lo.kind = '{ResourceKinds.CompanyOverride}' AND lo.parent_id = {companyId}
                AND lo.override_feature_id = {featureId}
            ORDER BY lo.created_at DESC, lo.{dialect.InsertionOrder} DESC LIMIT 1)
        """;

    // The override row o gives access: as FeatureHolders decides it in a WHERE, NOT (boolean false), unknown counting as no.
    private static string GrantsSql(SqlDialect dialect, string o) =>
        $"COALESCE(NOT ({dialect.JsonText($"{o}.data", "value_type")} = 'boolean' AND {dialect.JsonText($"{o}.data", "value_bool")} = {(dialect.IsPostgres ? "'false'" : "0")}), FALSE)";

    // Replaces the add-on set of a company id with the links stored now (no row when it has none).
    private static string RecomputeAddOns(SqlDialect dialect, string environmentId, string companyId) => $"""
        DELETE FROM company_add_ons WHERE environment_id = {environmentId} AND company_id = {companyId};
        INSERT INTO company_add_ons (environment_id, company_id, add_on_ids)
            SELECT {environmentId}, {companyId}, s FROM (SELECT {(dialect.IsPostgres ? "string_agg(linked_id, ',' ORDER BY linked_id COLLATE \"C\")" : "group_concat(linked_id, ',')")} AS s
                FROM {(dialect.IsPostgres ? "resource_links" : "(SELECT linked_id, environment_id, kind, id FROM resource_links ORDER BY linked_id)")}
                WHERE environment_id = {environmentId} AND kind = '{ResourceKinds.Company}' AND id = {companyId}) x
            WHERE s IS NOT NULL;
        UPDATE feature_override_states SET add_on_ids = COALESCE(
                (SELECT add_on_ids FROM company_add_ons WHERE environment_id = {environmentId} AND company_id = {companyId}), '')
            WHERE environment_id = {environmentId} AND company_id = {companyId}{(dialect.IsPostgres ? ";" : string.Empty)}
        """;

    // Adds delta to the add-on signature tally of the company of row (a link: its id; a company row when company) as
    // stored now, when the company is stored and has add-ons.
    private static string AddToSignatureTally(SqlDialect dialect, string row, string delta, bool company = false)
    {
        var select = company
            ? $"""
                SELECT {row}.environment_id, COALESCE({row}.base_plan_id, ''), a.add_on_ids, {delta} FROM company_add_ons a
                WHERE a.environment_id = {row}.environment_id AND a.company_id = {row}.id
                """
            : $"""
                SELECT c.environment_id, COALESCE(c.base_plan_id, ''), a.add_on_ids, {delta} FROM resources c
                    JOIN company_add_ons a ON a.environment_id = c.environment_id AND a.company_id = c.id
                WHERE c.environment_id = {row}.environment_id AND c.id = {row}.id AND c.kind = '{ResourceKinds.Company}'
                """;
        return dialect.IsPostgres
            ? $"INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies) {select};"
            : $"""
                INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies) {select}
                    ON CONFLICT (environment_id, plan_id, add_on_ids) DO UPDATE SET companies = add_on_signature_tallies.companies + excluded.companies
                """;
    }

    // PostgreSQL: appends a statement's net change of companies with add-ons per signature (signedCompanies: each company
    // row with its delta, -1 for a row before, 1 after).
    private static string SignatureTallyChange(string signedCompanies) => $"""
        INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies)
            SELECT s.environment_id, COALESCE(s.base_plan_id, ''), a.add_on_ids, SUM(s.delta) FROM ({signedCompanies}) s
                JOIN company_add_ons a ON a.environment_id = s.environment_id AND a.company_id = s.id
            GROUP BY s.environment_id, COALESCE(s.base_plan_id, ''), a.add_on_ids HAVING SUM(s.delta) <> 0;
        """;

    // Replaces the state of the override row's (OLD or NEW) feature and company with the overrides stored now.
    private static string RecomputeOverrideState(SqlDialect dialect, string row)
    {
        var end = dialect.IsPostgres ? ";" : string.Empty;
        return $"""
            DELETE FROM feature_override_states
                WHERE environment_id = {row}.environment_id AND feature_id = {row}.override_feature_id AND company_id = {row}.parent_id;
            INSERT INTO feature_override_states (environment_id, feature_id, company_id, plan_id, add_on_ids, grants)
                SELECT c.environment_id, {row}.override_feature_id, c.id, COALESCE(c.base_plan_id, ''), COALESCE(a.add_on_ids, ''), g.grants
                FROM resources c
                    LEFT JOIN company_add_ons a ON a.environment_id = c.environment_id AND a.company_id = c.id
                    CROSS JOIN (SELECT {LastOverrideGrants(dialect, $"{row}.environment_id", $"{row}.override_feature_id", $"{row}.parent_id")} AS grants) g
                WHERE c.environment_id = {row}.environment_id AND c.id = {row}.parent_id AND c.kind = '{ResourceKinds.Company}'
                    AND {row}.override_feature_id IS NOT NULL AND g.grants IS NOT NULL{end}
            """;
    }

    // SQLite: the override states of a company row just stored (its overrides written before it).
    private static string OverrideStatesOfCompany(SqlDialect dialect, string row) => $"""
        INSERT INTO feature_override_states (environment_id, feature_id, company_id, plan_id, add_on_ids, grants)
            SELECT o.environment_id, o.override_feature_id, o.parent_id, COALESCE({row}.base_plan_id, ''),
                COALESCE((SELECT add_on_ids FROM company_add_ons WHERE environment_id = {row}.environment_id AND company_id = {row}.id), ''),
                {LastOverrideGrants(dialect, "o.environment_id", "o.override_feature_id", "o.parent_id")}
            FROM (SELECT DISTINCT environment_id, override_feature_id, parent_id FROM resources
                WHERE environment_id = {row}.environment_id AND kind = '{ResourceKinds.CompanyOverride}' AND parent_id = {row}.id
                    AND override_feature_id IS NOT NULL) o
        """;
}
