namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// The user links of the companies that hold a feature, for <c>/feature-users/count</c> without reading every
    /// entitled company's links: migration 60's tallies of companies with add-ons per (base plan, add-on set) and
    /// migration 61's override states each carry the user links of their companies (<c>user_links</c>); the companies
    /// without add-ons are migration 59's user links per base plan. Kept in the writing transaction: a user link written
    /// or deleted adds or takes one from its company's add-on tally (when the company is stored and has add-ons) and from
    /// its company's override states; a company's add-on set, base plan, creation or deletion moves its user links with
    /// its company count (migration 60's triggers, replaced here by ones that also move the links). On PostgreSQL a user
    /// link statement first locks its companies <c>FOR SHARE</c>, so that it takes turns with a company's add-on or plan
    /// writer (which locks it for update, migration 60) and its next statements read what that writer committed. As
    /// migration 59's, a user link written while its company is being created by another transaction is not counted.
    /// The columns start from the links stored.
    /// </summary>
    private static string Version62FeatureUserTallies(SqlDialect dialect) => dialect.IsPostgres
        ? $"""
            ALTER TABLE add_on_signature_tallies ADD COLUMN user_links BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE feature_override_states ADD COLUMN user_links BIGINT NOT NULL DEFAULT 0;
            {UserTalliesFrom(dialect)}
            DROP INDEX add_on_signature_tallies_environment;
            CREATE INDEX add_on_signature_tallies_environment ON add_on_signature_tallies (environment_id) INCLUDE (plan_id, add_on_ids, companies, user_links);
            CREATE OR REPLACE FUNCTION feature_holders_company_links() RETURNS trigger LANGUAGE plpgsql AS $holders$
            DECLARE l RECORD;
            BEGIN
                IF TG_OP = 'DELETE' THEN l := OLD; ELSE l := NEW; END IF;
                PERFORM 1 FROM resources c WHERE c.environment_id = l.environment_id AND c.id = l.id AND c.kind = '{ResourceKinds.Company}' FOR NO KEY UPDATE;
                {AddToSignatureTallies(dialect, "l", "-1")}
                {RecomputeAddOns(dialect, "l.environment_id", "l.id")}
                {AddToSignatureTallies(dialect, "l", "1")}
                RETURN NULL;
            END
            $holders$;
            {OverrideStateTriggers(dialect, userLinks: true)}
            CREATE OR REPLACE FUNCTION feature_holders_companies_delete() RETURNS trigger LANGUAGE plpgsql AS $holders$
            BEGIN
                {SignatureTalliesChange($"SELECT o.environment_id, o.id, o.base_plan_id, -1 AS delta FROM old_rows o WHERE o.kind = '{ResourceKinds.Company}'")}
                DELETE FROM feature_override_states s USING old_rows o
                    WHERE o.kind = '{ResourceKinds.Company}' AND s.environment_id = o.environment_id AND s.company_id = o.id;
                RETURN NULL;
            END
            $holders$;
            CREATE OR REPLACE FUNCTION feature_holders_companies_update() RETURNS trigger LANGUAGE plpgsql AS $holders$
            BEGIN
                {SignatureTalliesChange($"""
                    SELECT o.environment_id, o.id, o.base_plan_id, -1 AS delta FROM old_rows o {MovedTo}
                    UNION ALL SELECT n.environment_id, n.id, n.base_plan_id, 1 AS delta FROM old_rows o {MovedTo}
                    """)}
                UPDATE feature_override_states s SET plan_id = COALESCE(n.base_plan_id, '') FROM old_rows o {MovedTo}
                    AND s.environment_id = n.environment_id AND s.company_id = n.id;
                RETURN NULL;
            END
            $holders$;
            {UserLinksFunction("insert", "new_links", 1)}
            {UserLinksFunction("delete", "old_links", -1)}
            CREATE TRIGGER feature_users_links_insert AFTER INSERT ON resource_links
                REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION feature_users_links_insert();
            CREATE TRIGGER feature_users_links_delete AFTER DELETE ON resource_links
                REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION feature_users_links_delete();
            """
        : $"""
            ALTER TABLE add_on_signature_tallies ADD COLUMN user_links BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE feature_override_states ADD COLUMN user_links BIGINT NOT NULL DEFAULT 0;
            {UserTalliesFrom(dialect)}
            DROP TRIGGER feature_holders_company_links_insert;
            DROP TRIGGER feature_holders_company_links_delete;
            DROP TRIGGER feature_holders_companies_delete;
            DROP TRIGGER feature_holders_companies_update;
            CREATE TRIGGER feature_holders_company_links_insert AFTER INSERT ON resource_links WHEN NEW.kind = '{ResourceKinds.Company}'
            BEGIN
                {AddToSignatureTallies(dialect, "NEW", "-1")};
                {RecomputeAddOns(dialect, "NEW.environment_id", "NEW.id")};
                {AddToSignatureTallies(dialect, "NEW", "1")};
            END;
            CREATE TRIGGER feature_holders_company_links_delete AFTER DELETE ON resource_links WHEN OLD.kind = '{ResourceKinds.Company}'
            BEGIN
                {AddToSignatureTallies(dialect, "OLD", "-1")};
                {RecomputeAddOns(dialect, "OLD.environment_id", "OLD.id")};
                {AddToSignatureTallies(dialect, "OLD", "1")};
            END;
            {OverrideStateTriggers(dialect, userLinks: true)}
            CREATE TRIGGER feature_holders_companies_delete AFTER DELETE ON resources WHEN OLD.kind = '{ResourceKinds.Company}'
            BEGIN
                {AddToSignatureTallies(dialect, "OLD", "-1", company: true)};
                DELETE FROM feature_override_states WHERE environment_id = OLD.environment_id AND company_id = OLD.id;
            END;
            CREATE TRIGGER feature_holders_companies_update AFTER UPDATE ON resources
                WHEN NEW.kind = '{ResourceKinds.Company}' AND OLD.base_plan_id IS NOT NEW.base_plan_id
            BEGIN
                {AddToSignatureTallies(dialect, "OLD", "-1", company: true)};
                {AddToSignatureTallies(dialect, "NEW", "1", company: true)};
                UPDATE feature_override_states SET plan_id = COALESCE(NEW.base_plan_id, '') WHERE environment_id = NEW.environment_id AND company_id = NEW.id;
            END;
            CREATE TRIGGER feature_users_links_insert AFTER INSERT ON resource_links WHEN NEW.kind = '{ResourceKinds.User}'
            BEGIN
                {AddUserLinkToTallies("NEW", "1")};
            END;
            CREATE TRIGGER feature_users_links_delete AFTER DELETE ON resource_links WHEN OLD.kind = '{ResourceKinds.User}'
            BEGIN
                {AddUserLinkToTallies("OLD", "-1")};
            END;
            """;

    // The first user links: the add-on tallies made again with them (on PostgreSQL one row per signature), and each
    // override state's company's.
    private static string UserTalliesFrom(SqlDialect dialect) => $"""
        DELETE FROM add_on_signature_tallies;
        INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies, user_links)
            SELECT c.environment_id, COALESCE(c.base_plan_id, ''), a.add_on_ids, COUNT(*), COALESCE(SUM(u.n), 0) FROM company_add_ons a
                JOIN resources c ON c.environment_id = a.environment_id AND c.id = a.company_id AND c.kind = '{ResourceKinds.Company}'
                LEFT JOIN (SELECT environment_id, linked_id, COUNT(*) AS n FROM resource_links WHERE kind = '{ResourceKinds.User}' GROUP BY environment_id, linked_id) u
                    ON u.environment_id = c.environment_id AND u.linked_id = c.id
            GROUP BY c.environment_id, COALESCE(c.base_plan_id, ''), a.add_on_ids;
        UPDATE feature_override_states SET user_links = {UserLinksOf("feature_override_states.environment_id", "feature_override_states.company_id")};
        DROP INDEX feature_override_states_feature;
        CREATE INDEX feature_override_states_feature
            ON feature_override_states (environment_id, feature_id, plan_id, add_on_ids, grants, active_from, active_until{(dialect.IsPostgres ? ") INCLUDE (user_links)" : ", user_links)")};
        """;

    // How many user links name the company (its id in environmentId, companyId).
    private static string UserLinksOf(string environmentId, string companyId) =>
        $"(SELECT COUNT(*) FROM resource_links ul WHERE ul.environment_id = {environmentId} AND ul.kind = '{ResourceKinds.User}' AND ul.linked_id = {companyId})";

    // Migration 60's AddToSignatureTally with the company's user links moved along with it (sign: "1" or "-1").
    private static string AddToSignatureTallies(SqlDialect dialect, string row, string sign, bool company = false)
    {
        var select = company
            ? $"""
                SELECT {row}.environment_id, COALESCE({row}.base_plan_id, ''), a.add_on_ids, {sign}, {sign} * {UserLinksOf($"{row}.environment_id", $"{row}.id")}
                FROM company_add_ons a WHERE a.environment_id = {row}.environment_id AND a.company_id = {row}.id
                """
            : $"""
                SELECT c.environment_id, COALESCE(c.base_plan_id, ''), a.add_on_ids, {sign}, {sign} * {UserLinksOf("c.environment_id", "c.id")} FROM resources c
                    JOIN company_add_ons a ON a.environment_id = c.environment_id AND a.company_id = c.id
                WHERE c.environment_id = {row}.environment_id AND c.id = {row}.id AND c.kind = '{ResourceKinds.Company}'
                """;
        return dialect.IsPostgres
            ? $"INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies, user_links) {select};"
            : $"""
                INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies, user_links) {select}
                    ON CONFLICT (environment_id, plan_id, add_on_ids) DO UPDATE SET companies = add_on_signature_tallies.companies + excluded.companies,
                        user_links = add_on_signature_tallies.user_links + excluded.user_links
                """;
    }

    // PostgreSQL: migration 60's SignatureTallyChange with the companies' user links moved along with them.
    private static string SignatureTalliesChange(string signedCompanies) => $"""
        INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies, user_links)
            SELECT s.environment_id, COALESCE(s.base_plan_id, ''), a.add_on_ids, SUM(s.delta), SUM(s.delta * {UserLinksOf("s.environment_id", "s.id")}) FROM ({signedCompanies}) s
                JOIN company_add_ons a ON a.environment_id = s.environment_id AND a.company_id = s.id
            GROUP BY s.environment_id, COALESCE(s.base_plan_id, ''), a.add_on_ids HAVING SUM(s.delta) <> 0;
        """;

    // PostgreSQL: a statement's user links (transition table links) added with sign to their stored companies' add-on
    // tallies and override states, the companies locked first (see the migration's summary).
    private static string UserLinksFunction(string operation, string links, int sign) => $"""
        CREATE FUNCTION feature_users_links_{operation}() RETURNS trigger LANGUAGE plpgsql AS $users$
        BEGIN
            PERFORM 1 FROM resources c
                WHERE (c.environment_id, c.id) IN (SELECT environment_id, linked_id FROM {links} WHERE kind = '{ResourceKinds.User}') AND c.kind = '{ResourceKinds.Company}'
                ORDER BY c.environment_id, c.id FOR SHARE;
            INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies, user_links)
                SELECT c.environment_id, COALESCE(c.base_plan_id, ''), a.add_on_ids, 0, {sign} * COUNT(*) FROM {links} x
                    JOIN resources c ON c.environment_id = x.environment_id AND c.id = x.linked_id AND c.kind = '{ResourceKinds.Company}'
                    JOIN company_add_ons a ON a.environment_id = c.environment_id AND a.company_id = c.id
                WHERE x.kind = '{ResourceKinds.User}'
                GROUP BY c.environment_id, COALESCE(c.base_plan_id, ''), a.add_on_ids;
            UPDATE feature_override_states s SET user_links = s.user_links + {sign} * x.n
                FROM (SELECT environment_id, linked_id, COUNT(*) AS n FROM {links} WHERE kind = '{ResourceKinds.User}' GROUP BY environment_id, linked_id) x
                WHERE s.environment_id = x.environment_id AND s.company_id = x.linked_id;
            RETURN NULL;
        END
        $users$;
        """;

    // SQLite: one user link (OLD or NEW) added with sign to its stored company's add-on tally and override states.
    private static string AddUserLinkToTallies(string row, string sign) => $"""
        INSERT INTO add_on_signature_tallies (environment_id, plan_id, add_on_ids, companies, user_links)
            SELECT c.environment_id, COALESCE(c.base_plan_id, ''), a.add_on_ids, 0, {sign} FROM resources c
                JOIN company_add_ons a ON a.environment_id = c.environment_id AND a.company_id = c.id
            WHERE c.environment_id = {row}.environment_id AND c.id = {row}.linked_id AND c.kind = '{ResourceKinds.Company}'
            ON CONFLICT (environment_id, plan_id, add_on_ids) DO UPDATE SET user_links = add_on_signature_tallies.user_links + excluded.user_links;
        UPDATE feature_override_states SET user_links = user_links + {sign} WHERE environment_id = {row}.environment_id AND company_id = {row}.linked_id
        """;
}
