namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// Migration 60's override states keep when each override decides, so that a feature count compares them with the
    /// server's clock in its grouped read instead of probing every company with an expired override (which grew without
    /// bound: nothing removes expired overrides). The check applies a company's active overrides of a feature in order
    /// (creation, then insertion) and the last decides; an override is active until its expiry. So the override i decides
    /// exactly from the latest expiry of the overrides after it (none after it, or all without expiry: from always, or
    /// never) until its own expiry: one row per override that decides at some instant, each with its interval
    /// (<c>active_from</c> inclusive, null for always; <c>active_until</c> exclusive, <see cref="NeverExpires"/> for
    /// never), the intervals of one company and feature disjoint. At any instant at most one row of a company and
    /// feature holds it, the deciding override's. Instants are 100 ns ticks since the Unix epoch, parsed exactly from the
    /// stored text (<see cref="ExpiryTicks"/>), as the server's clock is converted (<c>FeatureHolderTallies</c>).
    /// The table is made again from the overrides stored; the triggers that wrote it are replaced by ones that write the
    /// intervals (the other triggers of migration 60 only change a company's plan columns in it and stay).
    /// </summary>
    private static string Version61OverrideStateIntervals(SqlDialect dialect) => $"""
        DROP TABLE feature_override_states;
        {IntervalStatesTable}
        {IntervalStatesFrom(dialect)}
        {OverrideStateTriggers(dialect, userLinks: false)}
        """;

    /// <summary>The <c>active_until</c> of an override without expiry: it decides until a later override does.</summary>
    public const long NeverExpires = long.MaxValue;

    // The triggers (PostgreSQL: their functions) that write the override states of a company: an override written or
    // deleted, a company created (with its add-on tally). With userLinks (migration 62) each state row carries its
    // company's user links and the add-on tally moves them too.
    private static string OverrideStateTriggers(SqlDialect dialect, bool userLinks) => dialect.IsPostgres
        ? $"""
            CREATE OR REPLACE FUNCTION feature_holders_overrides() RETURNS trigger LANGUAGE plpgsql AS $holders$
            BEGIN
                IF TG_OP <> 'INSERT' AND OLD.kind = '{ResourceKinds.CompanyOverride}' AND OLD.parent_id IS NOT NULL AND OLD.override_feature_id IS NOT NULL THEN
                    PERFORM 1 FROM resources c WHERE c.environment_id = OLD.environment_id AND c.id = OLD.parent_id AND c.kind = '{ResourceKinds.Company}' FOR NO KEY UPDATE;
                    {RecomputeIntervalStates(dialect, "OLD", userLinks)}
                END IF;
                IF TG_OP <> 'DELETE' AND NEW.kind = '{ResourceKinds.CompanyOverride}' AND NEW.parent_id IS NOT NULL AND NEW.override_feature_id IS NOT NULL THEN
                    PERFORM 1 FROM resources c WHERE c.environment_id = NEW.environment_id AND c.id = NEW.parent_id AND c.kind = '{ResourceKinds.Company}' FOR NO KEY UPDATE;
                    {RecomputeIntervalStates(dialect, "NEW", userLinks)}
                END IF;
                RETURN NULL;
            END
            $holders$;
            CREATE OR REPLACE FUNCTION feature_holders_companies_insert() RETURNS trigger LANGUAGE plpgsql AS $holders$
            BEGIN
                {(userLinks ? SignatureTalliesChange(NewCompanies) : SignatureTallyChange(NewCompanies))}
                INSERT INTO feature_override_states ({StateColumns(userLinks)})
                    SELECT d.environment_id, d.feature_id, d.company_id, d.active_until, d.active_from, COALESCE(n.base_plan_id, ''), COALESCE(a.add_on_ids, ''), d.grants{UserLinksValue(userLinks, "n")}
                    FROM ({DecidingIntervals(dialect, $"(o.environment_id, o.parent_id) IN (SELECT environment_id, id FROM new_rows WHERE kind = '{ResourceKinds.Company}')")}) d
                        JOIN new_rows n ON n.environment_id = d.environment_id AND n.id = d.company_id AND n.kind = '{ResourceKinds.Company}'
                        LEFT JOIN company_add_ons a ON a.environment_id = n.environment_id AND a.company_id = n.id
                -- An override inserted by the same statement as its company (a bulk load) has its rows already: its row
                -- trigger fired first, with the company visible, and wrote the same intervals.
                ON CONFLICT (environment_id, feature_id, company_id, active_until) DO NOTHING;
                RETURN NULL;
            END
            $holders$;
            """
        : $"""
            DROP TRIGGER feature_holders_overrides_insert;
            DROP TRIGGER feature_holders_overrides_update;
            DROP TRIGGER feature_holders_overrides_delete;
            DROP TRIGGER feature_holders_companies_insert;
            CREATE TRIGGER feature_holders_overrides_insert AFTER INSERT ON resources
                WHEN NEW.kind = '{ResourceKinds.CompanyOverride}' AND NEW.parent_id IS NOT NULL AND NEW.override_feature_id IS NOT NULL
            BEGIN
                {RecomputeIntervalStates(dialect, "NEW", userLinks)};
            END;
            CREATE TRIGGER feature_holders_overrides_update AFTER UPDATE ON resources
                WHEN OLD.kind = '{ResourceKinds.CompanyOverride}' OR NEW.kind = '{ResourceKinds.CompanyOverride}'
            BEGIN
                {RecomputeIntervalStates(dialect, "OLD", userLinks)};
                {RecomputeIntervalStates(dialect, "NEW", userLinks)};
            END;
            CREATE TRIGGER feature_holders_overrides_delete AFTER DELETE ON resources
                WHEN OLD.kind = '{ResourceKinds.CompanyOverride}' AND OLD.parent_id IS NOT NULL AND OLD.override_feature_id IS NOT NULL
            BEGIN
                {RecomputeIntervalStates(dialect, "OLD", userLinks)};
            END;
            CREATE TRIGGER feature_holders_companies_insert AFTER INSERT ON resources WHEN NEW.kind = '{ResourceKinds.Company}'
            BEGIN
                {(userLinks ? AddToSignatureTallies(dialect, "NEW", "1", company: true) : AddToSignatureTally(dialect, "NEW", "1", company: true))};
                INSERT INTO feature_override_states ({StateColumns(userLinks)})
                    SELECT d.environment_id, d.feature_id, d.company_id, d.active_until, d.active_from, COALESCE(NEW.base_plan_id, ''),
                        COALESCE((SELECT add_on_ids FROM company_add_ons WHERE environment_id = NEW.environment_id AND company_id = NEW.id), ''), d.grants{UserLinksValue(userLinks, "NEW")}
                    FROM ({DecidingIntervals(dialect, "o.environment_id = NEW.environment_id AND o.parent_id = NEW.id")}) d;
            END;
            """;

    // PostgreSQL: the companies a statement inserted, each with delta 1.
    private const string NewCompanies = $"SELECT n.environment_id, n.id, n.base_plan_id, 1 AS delta FROM new_rows n WHERE n.kind = '{ResourceKinds.Company}'";

    // The state columns written, migration 62's user links among them where userLinks.
    private static string StateColumns(bool userLinks) =>
        "environment_id, feature_id, company_id, active_until, active_from, plan_id, add_on_ids, grants" + (userLinks ? ", user_links" : string.Empty);

    // Where userLinks, the user links of the company row (an alias, OLD or NEW) as the next value written.
    private static string UserLinksValue(bool userLinks, string company) =>
        userLinks ? $", {UserLinksOf($"{company}.environment_id", $"{company}.id")}" : string.Empty;

    // One row per feature, stored company and override of it that decides at some instant, with its interval.
    private const string IntervalStatesTable = """
        CREATE TABLE feature_override_states (
            environment_id TEXT NOT NULL,
            feature_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            active_until BIGINT NOT NULL,
            active_from BIGINT NULL,
            plan_id TEXT NOT NULL,
            add_on_ids TEXT NOT NULL,
            grants BOOLEAN NOT NULL,
            PRIMARY KEY (environment_id, feature_id, company_id, active_until));
        CREATE INDEX feature_override_states_company ON feature_override_states (environment_id, company_id);
        """;

    // The first rows: the deciding intervals of every stored company's overrides, then the index a count reads (all its
    // columns, so that it reads the index alone).
    private static string IntervalStatesFrom(SqlDialect dialect) => $"""
        INSERT INTO feature_override_states (environment_id, feature_id, company_id, active_until, active_from, plan_id, add_on_ids, grants)
            SELECT d.environment_id, d.feature_id, d.company_id, d.active_until, d.active_from, COALESCE(c.base_plan_id, ''), COALESCE(a.add_on_ids, ''), d.grants
            FROM ({DecidingIntervals(dialect, "1 = 1")}) d
                JOIN resources c ON c.environment_id = d.environment_id AND c.id = d.company_id AND c.kind = '{ResourceKinds.Company}'
                LEFT JOIN company_add_ons a ON a.environment_id = d.environment_id AND a.company_id = d.company_id;
        CREATE INDEX feature_override_states_feature
            ON feature_override_states (environment_id, feature_id, plan_id, add_on_ids, grants, active_from, active_until);
        """;

    // Replaces the intervals of the override row's (OLD or NEW) feature and company with those of the overrides stored now.
    private static string RecomputeIntervalStates(SqlDialect dialect, string row, bool userLinks)
    {
        var end = dialect.IsPostgres ? ";" : string.Empty;
        return $"""
            DELETE FROM feature_override_states
                WHERE environment_id = {row}.environment_id AND feature_id = {row}.override_feature_id AND company_id = {row}.parent_id;
            INSERT INTO feature_override_states ({StateColumns(userLinks)})
                SELECT c.environment_id, d.feature_id, c.id, d.active_until, d.active_from, COALESCE(c.base_plan_id, ''), COALESCE(a.add_on_ids, ''), d.grants{UserLinksValue(userLinks, "c")}
                FROM resources c
                    LEFT JOIN company_add_ons a ON a.environment_id = c.environment_id AND a.company_id = c.id
                    CROSS JOIN ({DecidingIntervals(dialect, $"o.environment_id = {row}.environment_id AND o.parent_id = {row}.parent_id AND o.override_feature_id = {row}.override_feature_id")}) d
                WHERE c.environment_id = {row}.environment_id AND c.id = {row}.parent_id AND c.kind = '{ResourceKinds.Company}'
                    AND {row}.override_feature_id IS NOT NULL{end}
            """;
    }

    // The overrides (those of filter, over the alias o) that decide at some instant, per environment, feature and company,
    // each with whether it gives access and its interval: from the latest expiry of the overrides after it (null: none
    // after it) until its own. An override decides at t when it is active (t before its expiry) and every later one has
    // expired (t at or after their expiry); an interval that is empty (a later override outlives it) is left out, so two
    // kept rows never share an active_until.
    private static string DecidingIntervals(SqlDialect dialect, string filter) => $"""
        SELECT d.environment_id, d.feature_id, d.company_id, d.grants, d.active_until, d.active_from FROM (
            SELECT e.environment_id, e.feature_id, e.company_id, e.grants, e.active_until,
                MAX(e.active_until) OVER (PARTITION BY e.environment_id, e.feature_id, e.company_id ORDER BY e.created_at, e.insertion
                    ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS active_from
            FROM (SELECT o.environment_id, o.override_feature_id AS feature_id, o.parent_id AS company_id, {GrantsSql(dialect, "o")} AS grants,
                    COALESCE({ExpiryTicks(dialect, dialect.JsonText("o.data", "expiration_date"))}, {NeverExpires}) AS active_until,
                    o.created_at, o.{dialect.InsertionOrder} AS insertion
                FROM resources o
                WHERE o.kind = '{ResourceKinds.CompanyOverride}' AND o.parent_id IS NOT NULL AND o.override_feature_id IS NOT NULL AND {filter}) e) d
        WHERE d.active_from IS NULL OR d.active_from < d.active_until
        """;

    /// <summary>
    /// The stored expiry text <paramref name="text"/> (System.Text.Json's form of a <see cref="DateTimeOffset"/>:
    /// whole seconds, up to seven fractional digits, an offset) as 100 ns ticks since the Unix epoch, exactly: the
    /// whole seconds are converted without the fraction (SQLite's date functions round a fraction to milliseconds,
    /// which can carry into the seconds) and the fraction's digits are added as ticks. Null when the text is null.
    /// </summary>
    private static string ExpiryTicks(SqlDialect dialect, string text) => dialect.IsPostgres
        ? $"""
            (extract(epoch FROM regexp_replace({text}, '\.[0-9]+', '')::timestamptz)::bigint * 10000000
                + COALESCE(rpad(substring({text} FROM '\.([0-9]+)'), 7, '0')::bigint, 0))
            """
        : $"""
            (CAST(strftime('%s', substr({text}, 1, 19) || substr({text}, length({text}) - {SqliteOffsetLength(text)} + 1)) AS INTEGER) * 10000000
                + CASE WHEN substr({text}, 20, 1) = '.'
                    THEN CAST(substr(substr({text}, 21, length({text}) - 20 - {SqliteOffsetLength(text)}) || '0000000', 1, 7) AS INTEGER)
                    ELSE 0 END)
            """;

    // SQLite: the length of the text's offset, 'Z' or '+hh:mm'.
    private static string SqliteOffsetLength(string text) => $"(CASE WHEN substr({text}, -1) = 'Z' THEN 1 ELSE 6 END)";
}
