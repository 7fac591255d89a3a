namespace Tollgate.Server.Storage;

public static partial class Migrations
{
    /// <summary>
    /// The trait usage series is a trait's whole-number values summed over an environment's companies. Summed from the
    /// company documents on each request, that read every company (27 s at 1,000,000 on PostgreSQL, past the command
    /// timeout); kept here as one total per environment and trait instead. A company directory row holds its company's
    /// whole-number traits as a JSON object (<c>whole_traits</c>), and triggers on the rows add and subtract them, so
    /// that the totals can never disagree with the rows whichever node or pass writes them (the directory's writers
    /// take turns per environment, so the total rows are not written in two orders at once). Existing rows get their
    /// traits from their companies here, and the totals start from them.
    /// </summary>
    private static string Version36TraitTotals(SqlDialect dialect) => $"""
        ALTER TABLE company_directory ADD COLUMN whole_traits TEXT NULL;
        CREATE TABLE company_trait_totals (
            environment_id TEXT NOT NULL,
            trait_name TEXT NOT NULL,
            total NUMERIC NOT NULL,
            PRIMARY KEY (environment_id, trait_name));
        {(dialect.IsPostgres ? PostgresTraitTotals : SqliteTraitTotals)}
        """;

    private static string PostgresTraitTotals => $"""
        UPDATE company_directory d SET whole_traits = w.traits FROM (
            SELECT r.environment_id, r.id, jsonb_object_agg(t.key, t.value)::text AS traits
            FROM resources r, jsonb_each(CASE WHEN jsonb_typeof(r.data::jsonb -> 'traits') = 'object' THEN r.data::jsonb -> 'traits' END) t
            WHERE r.kind = '{ResourceKinds.Company}' AND jsonb_typeof(t.value) = 'number' AND t.value::text ~ '^-?[0-9]+$'
            GROUP BY r.environment_id, r.id) w
        WHERE d.environment_id = w.environment_id AND d.company_id = w.id;
        INSERT INTO company_trait_totals (environment_id, trait_name, total)
            SELECT d.environment_id, t.key, SUM(t.value::numeric) FROM company_directory d, jsonb_each_text(d.whole_traits::jsonb) t
            GROUP BY d.environment_id, t.key;
        CREATE FUNCTION company_trait_total() RETURNS trigger LANGUAGE plpgsql AS $total$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                INSERT INTO company_trait_totals (environment_id, trait_name, total)
                    SELECT OLD.environment_id, t.key, -(t.value::numeric) FROM jsonb_each_text(OLD.whole_traits::jsonb) t
                    ON CONFLICT (environment_id, trait_name) DO UPDATE SET total = company_trait_totals.total + excluded.total;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                INSERT INTO company_trait_totals (environment_id, trait_name, total)
                    SELECT NEW.environment_id, t.key, t.value::numeric FROM jsonb_each_text(NEW.whole_traits::jsonb) t
                    ON CONFLICT (environment_id, trait_name) DO UPDATE SET total = company_trait_totals.total + excluded.total;
            END IF;
            RETURN NULL;
        END
        $total$;
        CREATE TRIGGER company_trait_total_rows AFTER INSERT OR DELETE ON company_directory
            FOR EACH ROW EXECUTE FUNCTION company_trait_total();
        CREATE TRIGGER company_trait_total_update AFTER UPDATE ON company_directory
            FOR EACH ROW WHEN (OLD.whole_traits IS DISTINCT FROM NEW.whole_traits) EXECUTE FUNCTION company_trait_total();
        """;

    // SQLite sums with TOTAL (a float, which cannot overflow) where PostgreSQL has numeric; its + turns to a float on overflow.
    private static string SqliteTraitTotals => $"""
        UPDATE company_directory SET whole_traits = (
            SELECT CASE WHEN COUNT(*) > 0 THEN json_group_object(j.key, j.value) END FROM resources r, json_each(r.data, '$.traits') j
            WHERE r.environment_id = company_directory.environment_id AND r.id = company_directory.company_id
                AND r.kind = '{ResourceKinds.Company}' AND j.type = 'integer');
        INSERT INTO company_trait_totals (environment_id, trait_name, total)
            SELECT d.environment_id, j.key, TOTAL(j.value) FROM company_directory d, json_each(d.whole_traits) j
            GROUP BY d.environment_id, j.key;
        CREATE TRIGGER company_trait_total_insert AFTER INSERT ON company_directory
            BEGIN {SqliteAddTraits("NEW", "")}; END;
        CREATE TRIGGER company_trait_total_delete AFTER DELETE ON company_directory
            BEGIN {SqliteAddTraits("OLD", "-")}; END;
        CREATE TRIGGER company_trait_total_update AFTER UPDATE ON company_directory WHEN OLD.whole_traits IS NOT NEW.whole_traits
            BEGIN {SqliteAddTraits("OLD", "-")}; {SqliteAddTraits("NEW", "")}; END;
        """;

    // Adds (sign "") or subtracts (sign "-") a row's whole-number traits to its environment's totals. The WHERE is
    // SQLite's way to tell an upsert's ON CONFLICT from a join's ON.
    private static string SqliteAddTraits(string row, string sign) => $"""
        INSERT INTO company_trait_totals (environment_id, trait_name, total)
            SELECT {row}.environment_id, j.key, {sign}j.value FROM json_each({row}.whole_traits) j WHERE 1
            ON CONFLICT (environment_id, trait_name) DO UPDATE SET total = company_trait_totals.total + excluded.total
        """;
}
