namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// Users per base plan, for <c>/users/count?plan_id=</c> without counting up to 2,000,000 user links: the user links
    /// to stored companies tallied by the linked company's base plan (<c>plan_id</c> '' for none), and the users linked to
    /// two companies or more listed (<c>shared_users</c>), so that a count of distinct users is the tallies' sum less each
    /// shared user's extra companies on the plans asked about (<c>UserPlanTallies</c>). Kept in the writing transaction by
    /// triggers on both tables a tally follows: a user link written or deleted adds or takes one from its company's plan
    /// (nothing while the company is not stored), a company created, deleted or moved to another base plan moves its user
    /// links with it. On PostgreSQL, as migration 47's, each statement appends its net change per plan as new rows, which
    /// readers sum and fold; a link's trigger reads its company <c>FOR SHARE</c>, so that a concurrent move of that company
    /// waits for the link's commit and then counts it (its trigger's statement sees what committed before it), or the link
    /// waits for the move and tallies the company's new plan. SQLite serialises writers; its row triggers add to one row
    /// per plan. The tallies start from the links and companies already stored.
    /// </summary>
    private static string Version59UserPlanTallies(SqlDialect dialect) => dialect.IsPostgres
        ? $"""
            CREATE TABLE user_plan_tallies (
                environment_id TEXT NOT NULL,
                plan_id TEXT NOT NULL,
                user_links BIGINT NOT NULL);
            CREATE INDEX user_plan_tallies_environment ON user_plan_tallies (environment_id, plan_id) INCLUDE (user_links);
            CREATE TABLE shared_users (
                environment_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                PRIMARY KEY (environment_id, user_id));
            {UserPlanTalliesFrom}
            CREATE FUNCTION user_plan_tallies_links_insert() RETURNS trigger LANGUAGE plpgsql AS $tallies$
            BEGIN
                {LinkTallyChange("new_links", 1)}
                INSERT INTO shared_users (environment_id, user_id)
                    SELECT u.environment_id, u.id FROM (SELECT DISTINCT environment_id, id FROM new_links WHERE kind = '{ResourceKinds.User}') u
                    WHERE {UserLinkCount("u.environment_id", "u.id")} >= 2
                    ON CONFLICT DO NOTHING;
                RETURN NULL;
            END
            $tallies$;
            CREATE FUNCTION user_plan_tallies_links_delete() RETURNS trigger LANGUAGE plpgsql AS $tallies$
            BEGIN
                {LinkTallyChange("old_links", -1)}
                DELETE FROM shared_users s USING (SELECT DISTINCT environment_id, id FROM old_links WHERE kind = '{ResourceKinds.User}') u
                    WHERE s.environment_id = u.environment_id AND s.user_id = u.id AND {UserLinkCount("u.environment_id", "u.id")} < 2;
                RETURN NULL;
            END
            $tallies$;
            CREATE TRIGGER user_plan_tallies_links_insert AFTER INSERT ON resource_links
                REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION user_plan_tallies_links_insert();
            CREATE TRIGGER user_plan_tallies_links_delete AFTER DELETE ON resource_links
                REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION user_plan_tallies_links_delete();
            {CompanyUserTallyFunction("insert", $"SELECT n.environment_id, n.id, n.base_plan_id, 1 AS delta FROM new_rows n WHERE n.kind = '{ResourceKinds.Company}'")}
            {CompanyUserTallyFunction("delete", $"SELECT o.environment_id, o.id, o.base_plan_id, -1 AS delta FROM old_rows o WHERE o.kind = '{ResourceKinds.Company}'")}
            {CompanyUserTallyFunction("update", $"""
                SELECT o.environment_id, o.id, o.base_plan_id, -1 AS delta FROM old_rows o {MovedTo}
                UNION ALL SELECT n.environment_id, n.id, n.base_plan_id, 1 AS delta FROM old_rows o {MovedTo}
                """)}
            CREATE TRIGGER user_plan_tallies_companies_insert AFTER INSERT ON resources
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION user_plan_tallies_companies_insert();
            CREATE TRIGGER user_plan_tallies_companies_update AFTER UPDATE ON resources
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION user_plan_tallies_companies_update();
            CREATE TRIGGER user_plan_tallies_companies_delete AFTER DELETE ON resources
                REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION user_plan_tallies_companies_delete();
            """
        : $"""
            CREATE TABLE user_plan_tallies (
                environment_id TEXT NOT NULL,
                plan_id TEXT NOT NULL,
                user_links BIGINT NOT NULL,
                PRIMARY KEY (environment_id, plan_id));
            CREATE TABLE shared_users (
                environment_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                PRIMARY KEY (environment_id, user_id));
            {UserPlanTalliesFrom}
            CREATE TRIGGER user_plan_tallies_links_insert AFTER INSERT ON resource_links WHEN NEW.kind = '{ResourceKinds.User}'
            BEGIN
                {AddToUserPlanTally("c", "1", $"FROM resources c WHERE c.environment_id = NEW.environment_id AND c.id = NEW.linked_id AND c.kind = '{ResourceKinds.Company}'")};
                INSERT OR IGNORE INTO shared_users (environment_id, user_id)
                    SELECT NEW.environment_id, NEW.id WHERE {UserLinkCount("NEW.environment_id", "NEW.id")} >= 2;
            END;
            CREATE TRIGGER user_plan_tallies_links_delete AFTER DELETE ON resource_links WHEN OLD.kind = '{ResourceKinds.User}'
            BEGIN
                {AddToUserPlanTally("c", "-1", $"FROM resources c WHERE c.environment_id = OLD.environment_id AND c.id = OLD.linked_id AND c.kind = '{ResourceKinds.Company}'")};
                DELETE FROM shared_users WHERE environment_id = OLD.environment_id AND user_id = OLD.id AND {UserLinkCount("OLD.environment_id", "OLD.id")} < 2;
            END;
            CREATE TRIGGER user_plan_tallies_companies_insert AFTER INSERT ON resources WHEN NEW.kind = '{ResourceKinds.Company}'
            BEGIN
                {AddToUserPlanTally("NEW", CompanyUserLinks("NEW"), $"WHERE {CompanyUserLinks("NEW")} <> 0")};
            END;
            CREATE TRIGGER user_plan_tallies_companies_delete AFTER DELETE ON resources WHEN OLD.kind = '{ResourceKinds.Company}'
            BEGIN
                {AddToUserPlanTally("OLD", $"-{CompanyUserLinks("OLD")}", $"WHERE {CompanyUserLinks("OLD")} <> 0")};
            END;
            CREATE TRIGGER user_plan_tallies_companies_update AFTER UPDATE ON resources
                WHEN NEW.kind = '{ResourceKinds.Company}' AND OLD.base_plan_id IS NOT NEW.base_plan_id
            BEGIN
                {AddToUserPlanTally("OLD", $"-{CompanyUserLinks("OLD")}", $"WHERE {CompanyUserLinks("OLD")} <> 0")};
                {AddToUserPlanTally("NEW", CompanyUserLinks("NEW"), $"WHERE {CompanyUserLinks("NEW")} <> 0")};
            END;
            """;

    // The first tallies: the user links to stored companies per environment and the company's base plan, and the users
    // with two links or more.
    private static string UserPlanTalliesFrom => $"""
        INSERT INTO user_plan_tallies (environment_id, plan_id, user_links)
            SELECT l.environment_id, COALESCE(c.base_plan_id, ''), COUNT(*) FROM resource_links l
                JOIN resources c ON c.environment_id = l.environment_id AND c.id = l.linked_id AND c.kind = '{ResourceKinds.Company}'
            WHERE l.kind = '{ResourceKinds.User}'
            GROUP BY l.environment_id, COALESCE(c.base_plan_id, '');
        INSERT INTO shared_users (environment_id, user_id)
            SELECT environment_id, id FROM resource_links WHERE kind = '{ResourceKinds.User}' GROUP BY environment_id, id HAVING COUNT(*) >= 2;
        """;

    // How many links the user has now (the primary key's prefix).
    private static string UserLinkCount(string environmentId, string userId) =>
        $"(SELECT COUNT(*) FROM resource_links l WHERE l.environment_id = {environmentId} AND l.kind = '{ResourceKinds.User}' AND l.id = {userId})";

    // PostgreSQL: appends the user links of a statement's links (transition table) per their company's base plan, the
    // companies read FOR SHARE (see the migration's summary).
    private static string LinkTallyChange(string links, int sign) => $"""
        INSERT INTO user_plan_tallies (environment_id, plan_id, user_links)
            SELECT s.environment_id, COALESCE(s.base_plan_id, ''), {sign} * COUNT(*) FROM (
                SELECT x.environment_id, c.base_plan_id FROM {links} x
                    JOIN resources c ON c.environment_id = x.environment_id AND c.id = x.linked_id AND c.kind = '{ResourceKinds.Company}'
                WHERE x.kind = '{ResourceKinds.User}'
                FOR SHARE OF c) s
            GROUP BY s.environment_id, COALESCE(s.base_plan_id, '');
        """;

    // PostgreSQL: the companies of an update whose base plan changed (o the row before, n after).
    private const string MovedTo = $"""
        JOIN new_rows n ON n.environment_id = o.environment_id AND n.id = o.id
            WHERE o.kind = '{ResourceKinds.Company}' AND o.base_plan_id IS DISTINCT FROM n.base_plan_id
        """;

    // PostgreSQL: a trigger function appending the statement's net change of user links per base plan (signedCompanies:
    // each company row with its delta, -1 for a row before, 1 after), its user links found by the link index.
    private static string CompanyUserTallyFunction(string operation, string signedCompanies) => $"""
        CREATE FUNCTION user_plan_tallies_companies_{operation}() RETURNS trigger LANGUAGE plpgsql AS $tallies$
        BEGIN
            INSERT INTO user_plan_tallies (environment_id, plan_id, user_links)
                SELECT s.environment_id, COALESCE(s.base_plan_id, ''), SUM(s.delta) FROM ({signedCompanies}) s
                    JOIN resource_links l ON l.environment_id = s.environment_id AND l.kind = '{ResourceKinds.User}' AND l.linked_id = s.id
                GROUP BY s.environment_id, COALESCE(s.base_plan_id, '') HAVING SUM(s.delta) <> 0;
            RETURN NULL;
        END
        $tallies$;
        """;

    // SQLite: how many user links name the company row (OLD or NEW in a trigger).
    private static string CompanyUserLinks(string row) =>
        $"(SELECT COUNT(*) FROM resource_links l WHERE l.environment_id = {row}.environment_id AND l.kind = '{ResourceKinds.User}' AND l.linked_id = {row}.id)";

    // SQLite: adds delta to the tally of the company row's (an alias, OLD or NEW) base plan, the rest of the SELECT giving
    // its FROM and WHERE (a WHERE is needed before ON CONFLICT in an INSERT ... SELECT).
    private static string AddToUserPlanTally(string company, string delta, string rest) => $"""
        INSERT INTO user_plan_tallies (environment_id, plan_id, user_links)
            SELECT {company}.environment_id, COALESCE({company}.base_plan_id, ''), {delta} {rest}
            ON CONFLICT (environment_id, plan_id) DO UPDATE SET user_links = user_plan_tallies.user_links + excluded.user_links
        """;
}
