using Dapper;

namespace Tollgate.Server.Storage;

/// <summary>
/// Versioned schema migrations, applied at start-up in order, each in its own transaction, and recorded in
/// <c>schema_migrations</c>. Append new versions; never edit an applied one.
/// </summary>
public static partial class Migrations
{
    private static readonly (int Version, string Name, Func<SqlDialect, string> Sql)[] All =
    [
        (1, "environments, keys, resources, entity keys, audit log", Version1),
        (2, "event log, usage counters, meter outbox", Version2),
        (3, "credits: grants, balances, reservations, ledger", Version3),
        (4, "idempotency keys logged per commit instead of indexed per event", Version4),
        (5, "Stripe: connections, sync status, webhook inbox, data protection keys", Version5),
        (7, "meter outbox delivery state: status, attempts, last error, next attempt", Version7),
        (8, "publishable-key policies; the Checkout sessions Tollgate created", VersionPublishablePolicyAndCheckoutSessions),
        (9, "ingestion: idempotency claims shared by all nodes, with check-and-track answers", VersionIdempotencyClaims),
        (10, "resources: insertion order breaks created_at ties in lists (list-order)", Version10ListOrder),
        (11, "lifecycle: trial schedule, lifecycle-event outbox; the Stripe connection's fallback plan moves to the plan group", Version11Lifecycle),
        (12, "plan version migrations and their companies", Version12PlanMigrations),
        (13, "console: users, invitations, owner set-up links; audit entries name the console user", Version13Console),
        (14, "company directory: one row per company to search, filter and sort by usage against limits", Version14CompanyDirectory),
        (15, "data exports: artifacts kept as numbered chunks", Version15DataExportChunks),
        (16, "environments: type, update and deletion times; API keys: description, update time; events listed per environment", Version16Accounts),
        (20, "resource links: a user's companies and a company's add-ons indexed; the audit log listed per environment newest first", Version20ResourceLinks),
        (21, "components: temporary access tokens (hashed), one company each", Version21TemporaryAccessTokens),
        (22, "components: the browser origins each environment allows (CORS)", Version22ComponentOrigins),
        (24, "outgoing webhooks: endpoints, the notice outbox, deliveries and their log", Version24Webhooks),
        (25, "insights: usage per environment, event subtype and day, backfilled from the daily counters", Version25UsageDailyTotals),
        (27, "insights: one signal row per company and kind, and when each company's signals are due again", Version27CompanySignals),
        (29, "company directory: tallies per plan and standing kept by triggers; companies per plan version from an index", Version29DirectoryTallies),
        (31, "lists: companies' base plans indexed, so that company and user lists filter by plan in SQL", Version31ListIndexes),
        (35, "webhooks: a notice key expires with its period, so ended periods' keys can be deleted", Version35NoticeKeyExpiry),
        (36, "company directory: each row's whole-number traits, and their totals per environment and trait kept by triggers", Version36TraitTotals),
        (41, "lists: the search q served by trigram indexes of names and key values on PostgreSQL, where pg_trgm can be created", Version41SearchTrigrams),
        (42, "lists: a feature's overrides indexed by the feature", Version42OverrideFeatureIndex),
        (44, "insights: companies per base plan and month of creation, tallied from the company directory", Version44PlanMonths),
        (45, "company directory: tallies, version tallies and trait totals kept by statement-level triggers on PostgreSQL", Version45StatementTallies),
        (46, "lists: a company's base plan and an override's feature as columns generated from the document, indexed for lists and counts", Version46BasePlanColumn),
        (47, "lists: companies per base plan tallied by triggers in the writing transaction", Version47CompanyPlanTallies),
        (48, "plan migrations: counters indexed by value, so the companies over a new limit are an index range scan", Version48CountersOverLimit),
        (50, "insights: signal rows per kind, paying rows and MRR per currency, and credit grants per environment, tallied by triggers", Version50InsightTallies),
        (51, "lists: companies without a base plan by an expression index with its own statistics, the list order with ids, links estimated per kind", Version51ListEstimates),
        (53, "lists: overrides with an expiration date indexed by feature and date, so the expired ones are a short range", Version53OverrideExpiry),
        (55, "lists: companies by id with their base plan, so a walk in id order passes over no other kind and a count probes no company row", Version55CompanyIds),
        (58, "lists: overrides indexed by feature and the usage period they report, so a metered feature's list knows whether counters give its order", Version58OverrideUsagePeriod),
        (59, "lists: user links tallied by their company's base plan, and the users of several companies listed, so a count of users by plan reads a few rows", Version59UserPlanTallies),
        (60, "lists: add-on sets per company, companies with add-ons tallied by base plan and add-on set, and per feature the companies with an override of it and whether the last gives access, so feature counts read a few rows", Version60FeatureHolderTallies),
        (61, "lists: the override states of migration 60 as the interval in which each override decides, so a feature count compares them with the clock and never probes expired overrides", Version61OverrideStateIntervals),
        (62, "lists: the user links of the companies with add-ons per base plan and add-on set and of each override state, so a count of a feature's users reads a few rows", Version62FeatureUserTallies),
    ];

    /// <summary>The newest schema version.</summary>
    public static int Latest => All[^1].Version;

    /// <summary>Brings the schema up to date; returns the versions applied.</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(Database database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);

        // Nodes starting together on one PostgreSQL migrate one after the other: concurrent DDL of the same tables
        // fails (duplicate table, duplicate pg_type row) even where each migration re-checks its version.
        await using var migrationLock = await AdvisoryLock.AcquireAsync(database, AdvisoryLockNames.Migrations, cancellationToken).ConfigureAwait(false);
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await connection.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)").ConfigureAwait(false);
        }

        var applied = new List<int>();
        foreach (var (version, name, sql) in All)
        {
            var done = await database.WriteAsync(
                async (connection, transaction) =>
                {
                    // Re-checked inside the transaction: another node may have migrated meanwhile.
                    var exists = await connection.ExecuteScalarAsync<long>(
                        "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, transaction).ConfigureAwait(false);
                    if (exists > 0)
                    {
                        return false;
                    }

                    await connection.ExecuteAsync(sql(database.Dialect), transaction: transaction).ConfigureAwait(false);
                    await connection.ExecuteAsync(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                        new { version, name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
                        transaction).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            if (done)
            {
                applied.Add(version);
            }
        }

        return applied;
    }

    /// <summary>
    /// Resources (features, flags, plans, companies, users, overrides…) are JSON documents with the columns they are
    /// looked up by; keys that identify companies and users live in <c>entity_keys</c>, unique per environment.
    /// </summary>
    private static string Version1(SqlDialect dialect) => $"""
        CREATE TABLE environments (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL);
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            environment_id TEXT NOT NULL REFERENCES environments(id),
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            key_hint TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            revoked_at BIGINT NULL);
        CREATE INDEX api_keys_environment ON api_keys (environment_id);
        CREATE TABLE resources (
            environment_id TEXT NOT NULL REFERENCES environments(id),
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            key TEXT NULL,
            parent_id TEXT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, id));
        CREATE UNIQUE INDEX resources_key ON resources (environment_id, kind, key) WHERE key IS NOT NULL;
        CREATE INDEX resources_kind ON resources (environment_id, kind, created_at);
        CREATE INDEX resources_parent ON resources (environment_id, kind, parent_id);
        CREATE TABLE entity_keys (
            environment_id TEXT NOT NULL,
            entity_type TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            PRIMARY KEY (environment_id, entity_type, key, value));
        CREATE INDEX entity_keys_entity ON entity_keys (environment_id, entity_id);
        CREATE TABLE audit_log (
            seq {dialect.AutoIncrementKey},
            id TEXT NOT NULL UNIQUE,
            environment_id TEXT NOT NULL,
            api_key_id TEXT NULL,
            action TEXT NOT NULL,
            resource_type TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            company_id TEXT NULL,
            before_data TEXT NULL,
            after_data TEXT NULL,
            created_at BIGINT NOT NULL);
        CREATE INDEX audit_log_resource ON audit_log (environment_id, resource_id, seq);
        CREATE INDEX audit_log_company ON audit_log (environment_id, company_id, seq);
        """;

    /// <summary>
    /// Usage metering. <c>events</c> is an append-only log in arrival order: its only secondary index covers the rows
    /// with an idempotency key, in <c>received_at</c> order, so appending stays sequential; it is read at start-up to
    /// rebuild the 24-hour deduplication window. <c>usage_counters</c> holds one row per (company, event subtype, period,
    /// bucket) — the bucket is the instant the period ends (<c>UsagePeriods</c>), 0 for all time. <c>meter_outbox</c>
    /// holds the usage a billing integration must report, written in the same transaction as the events.
    /// </summary>
    private static string Version2(SqlDialect dialect) => $"""
        CREATE TABLE events (
            seq {dialect.AppendKey},
            environment_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            event_subtype TEXT NULL,
            company_id TEXT NULL,
            user_id TEXT NULL,
            quantity BIGINT NOT NULL,
            occurred_at BIGINT NOT NULL,
            received_at BIGINT NOT NULL,
            backfill INTEGER NOT NULL,
            idempotency_key TEXT NULL,
            body TEXT NOT NULL);
        CREATE INDEX events_idempotency_window ON events (received_at) WHERE idempotency_key IS NOT NULL;
        CREATE TABLE usage_counters (
            environment_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            event_subtype TEXT NOT NULL,
            period INTEGER NOT NULL,
            bucket BIGINT NOT NULL,
            value BIGINT NOT NULL,
            PRIMARY KEY (environment_id, company_id, event_subtype, period, bucket));
        CREATE TABLE meter_outbox (
            seq {dialect.AppendKey},
            environment_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            event_subtype TEXT NOT NULL,
            quantity BIGINT NOT NULL,
            occurred_at BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            delivered_at BIGINT NULL);
        CREATE INDEX meter_outbox_pending ON meter_outbox (environment_id, seq) WHERE delivered_at IS NULL;
        """;

    /// <summary>
    /// Credits (spec §5). One <c>credit_balances</c> row per company and credit type is the unit of atomicity: every
    /// movement locks it first, and reservations take credits with a conditional update of it, so concurrent callers
    /// (also on other nodes sharing one PostgreSQL) never take more than the balance plus the overdraft limit. The
    /// invariant kept in every transaction: <c>remaining = Σ live grants' remaining − reserved − debt</c>, and the
    /// ledger's deltas sum to <c>remaining</c> and <c>reserved</c>.
    /// </summary>
    private static string Version3(SqlDialect dialect) => $"""
        CREATE TABLE credit_grants (
            environment_id TEXT NOT NULL,
            id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            credit_type_id TEXT NOT NULL,
            quantity DOUBLE PRECISION NOT NULL,
            remaining DOUBLE PRECISION NOT NULL,
            reason TEXT NOT NULL,
            plan_id TEXT NULL,
            plan_grant_id TEXT NULL,
            period_start BIGINT NULL,
            valid_from BIGINT NOT NULL,
            expires_at BIGINT NULL,
            ended_at BIGINT NULL,
            end_reason TEXT NULL,
            note TEXT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, id));
        CREATE INDEX credit_grants_company ON credit_grants (environment_id, company_id, credit_type_id, created_at);
        CREATE INDEX credit_grants_credit ON credit_grants (environment_id, credit_type_id, created_at);
        CREATE UNIQUE INDEX credit_grants_plan_period ON credit_grants (environment_id, company_id, plan_grant_id, period_start)
            WHERE plan_grant_id IS NOT NULL;
        CREATE TABLE credit_balances (
            environment_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            credit_type_id TEXT NOT NULL,
            remaining DOUBLE PRECISION NOT NULL,
            reserved DOUBLE PRECISION NOT NULL,
            debt DOUBLE PRECISION NOT NULL,
            postpaid BIGINT NOT NULL,
            overdraft_limit DOUBLE PRECISION NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, company_id, credit_type_id));
        CREATE TABLE credit_reservations (
            environment_id TEXT NOT NULL,
            id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            credit_type_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            amount DOUBLE PRECISION NOT NULL,
            settled_amount DOUBLE PRECISION NOT NULL,
            status TEXT NOT NULL,
            idempotency_key TEXT NULL,
            feature_id TEXT NULL,
            quantity DOUBLE PRECISION NULL,
            consumption_rate DOUBLE PRECISION NULL,
            event_subtype TEXT NULL,
            expires_at BIGINT NOT NULL,
            released_at BIGINT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, id));
        CREATE UNIQUE INDEX credit_reservations_idempotency ON credit_reservations (environment_id, idempotency_key)
            WHERE idempotency_key IS NOT NULL;
        CREATE INDEX credit_reservations_open ON credit_reservations (environment_id, company_id, credit_type_id, status, expires_at);
        CREATE TABLE credit_ledger (
            seq {dialect.AutoIncrementKey},
            id TEXT NOT NULL UNIQUE,
            environment_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            credit_type_id TEXT NOT NULL,
            movement TEXT NOT NULL,
            remaining_delta DOUBLE PRECISION NOT NULL,
            reserved_delta DOUBLE PRECISION NOT NULL,
            grant_id TEXT NULL,
            reservation_id TEXT NULL,
            reason TEXT NULL,
            source_ref TEXT NULL,
            created_at BIGINT NOT NULL);
        CREATE INDEX credit_ledger_company ON credit_ledger (environment_id, company_id, seq);
        """;

    /// <summary>
    /// The idempotency keys of each commit are logged as one row per environment (a JSON array), which the 24-hour
    /// window is rebuilt from at start-up: one row per commit costs far less than an index entry per keyed event
    /// (measured: the per-event index cost a quarter of SQLite's append rate). Rows older than the window are deleted.
    /// </summary>
    private static string Version4(SqlDialect dialect) => $"""
        DROP INDEX events_idempotency_window;
        CREATE TABLE idempotency_keys (
            seq {dialect.AppendKey},
            environment_id TEXT NOT NULL,
            received_at BIGINT NOT NULL,
            keys TEXT NOT NULL);
        CREATE INDEX idempotency_keys_received ON idempotency_keys (received_at);
        """;

    /// <summary>
    /// The Stripe connector. <c>stripe_connections</c> holds one connection per environment, its API key and webhook
    /// secret encrypted with Data Protection (<c>secrets</c>), whose key ring lives in <c>data_protection_keys</c> so
    /// every node reads the same keys. <c>stripe_sync_status</c> is a small JSON document per environment and area
    /// (import, webhooks, meters…), each written only by its own area. <c>stripe_webhook_inbox</c> is the durable
    /// queue of received webhook events: its primary key deduplicates deliveries by event id, and pending rows are
    /// worked off by <c>next_attempt_at</c>.
    /// </summary>
    private static string Version5(SqlDialect dialect) => """
        CREATE TABLE stripe_connections (
            environment_id TEXT PRIMARY KEY REFERENCES environments(id),
            secrets TEXT NOT NULL,
            settings TEXT NOT NULL,
            account_id TEXT NULL,
            account_name TEXT NULL,
            connected_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE TABLE stripe_sync_status (
            environment_id TEXT NOT NULL,
            area TEXT NOT NULL,
            data TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, area));
        CREATE TABLE stripe_webhook_inbox (
            environment_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            object_type TEXT NULL,
            object_id TEXT NULL,
            event_created BIGINT NOT NULL,
            received_at BIGINT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at BIGINT NOT NULL,
            last_error TEXT NULL,
            processed_at BIGINT NULL,
            PRIMARY KEY (environment_id, event_id));
        CREATE INDEX stripe_webhook_inbox_due ON stripe_webhook_inbox (next_attempt_at) WHERE status = 'pending';
        CREATE TABLE data_protection_keys (
            id TEXT PRIMARY KEY,
            xml TEXT NOT NULL,
            created_at BIGINT NOT NULL);
        """;

    /// <summary>
    /// The meter sync's state lives on the outbox rows, so it survives restarts: <c>status</c> is <c>pending</c> until
    /// Stripe acknowledged the row (<c>delivered</c>, with <c>delivered_at</c>), or it was <c>skipped</c> (no Stripe
    /// customer, no meter for the subtype) or <c>failed</c> (Stripe refused it, or too old to send) with the reason in
    /// <c>last_error</c>. A retried row waits until <c>next_attempt_at</c>. The pending index now covers only rows still
    /// to send, so skipped and failed rows do not weigh on the drain.
    /// </summary>
    private static string Version7(SqlDialect dialect) => """
        ALTER TABLE meter_outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';
        ALTER TABLE meter_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE meter_outbox ADD COLUMN last_error TEXT NULL;
        ALTER TABLE meter_outbox ADD COLUMN next_attempt_at BIGINT NULL;
        UPDATE meter_outbox SET status = 'delivered' WHERE delivered_at IS NOT NULL;
        DROP INDEX meter_outbox_pending;
        CREATE INDEX meter_outbox_pending ON meter_outbox (environment_id, seq) WHERE status = 'pending';
        """;

    /// <summary>
    /// <c>publishable_policies</c>: what each environment lets its publishable keys do (a JSON document; no row means
    /// the safe defaults). <c>stripe_checkout_sessions</c>: every Checkout session Tollgate created, with the company it
    /// was created for; a completed session links its Stripe customer to a company only through this record, never
    /// through the <c>client_reference_id</c> a buyer can set on sessions Tollgate did not create.
    /// </summary>
    private static string VersionPublishablePolicyAndCheckoutSessions(SqlDialect dialect) => """
        CREATE TABLE publishable_policies (
            environment_id TEXT PRIMARY KEY REFERENCES environments(id),
            policy TEXT NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE TABLE stripe_checkout_sessions (
            environment_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, session_id));
        """;

    /// <summary>
    /// One row per idempotency key of the last 24 hours, unique per environment, written in the transaction of the
    /// event that used it. On PostgreSQL it is the window itself, shared by every node: a key is claimed by inserting
    /// it, so a retry that reaches another node finds it (a concurrent claim waits on the unique index and then sees
    /// it). On SQLite (one process) the window stays in memory, rebuilt from <c>idempotency_keys</c>, and this table
    /// holds only the keys that carry an answer to replay (<c>check-and-track</c>). Rows past <c>expires_at</c> mean
    /// nothing and are deleted. The keys PostgreSQL logged before this version are carried over.
    /// </summary>
    private static string VersionIdempotencyClaims(SqlDialect dialect) => $"""
        CREATE TABLE idempotency_claims (
            environment_id TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            answer TEXT NULL,
            PRIMARY KEY (environment_id, idempotency_key));
        CREATE INDEX idempotency_claims_expiry ON idempotency_claims (expires_at);
        {(dialect.IsPostgres ? """
            INSERT INTO idempotency_claims (environment_id, idempotency_key, expires_at, answer)
            SELECT k.environment_id, j.value, MAX(k.received_at) + 86400000, NULL
            FROM idempotency_keys k, jsonb_array_elements_text(k.keys::jsonb) AS j(value)
            GROUP BY k.environment_id, j.value
            ON CONFLICT DO NOTHING;
            """ : string.Empty)}
        """;

    /// <summary>
    /// Lists are oldest first; records written in the same millisecond (a data set loaded in one transaction) came back
    /// in random-id order. The insertion order breaks those ties: SQLite's rowid (nothing to migrate), a new identity
    /// column on PostgreSQL, numbered in storage order for the rows already there. See <see cref="SqlDialect.InsertionOrder"/>.
    /// </summary>
    private static string Version10ListOrder(SqlDialect dialect) => dialect.IsPostgres
        ? """
          ALTER TABLE resources ADD COLUMN seq BIGINT GENERATED BY DEFAULT AS IDENTITY;
          CREATE INDEX resources_kind_order ON resources (environment_id, kind, created_at, seq);
          """
        : "SELECT 1"; // resources_kind (environment_id, kind, created_at) ends with the rowid, as every SQLite index does.

    /// <summary>
    /// <c>company_trials</c>: one row per company with a trial Tollgate runs, mirroring the company's <c>trial</c> (written
    /// in the same transaction), indexed by end instant so the expiry worker finds the next due trial of any environment.
    /// <c>lifecycle_events</c>: the outbox of lifecycle events (<c>company.plan_changed</c>,
    /// <c>subscription.trial.ended</c>) written in the transaction of the change, for the outgoing webhooks to deliver.
    /// The Stripe connection's <c>fallback_plan_id</c> setting becomes the plan group's (a group is made for each
    /// environment that had one) and leaves the connection's settings.
    /// </summary>
    private static string Version11Lifecycle(SqlDialect dialect) => $"""
        CREATE TABLE company_trials (
            environment_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            subscription_id TEXT NOT NULL,
            status TEXT NOT NULL,
            ends_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, company_id));
        CREATE UNIQUE INDEX company_trials_subscription ON company_trials (environment_id, subscription_id);
        CREATE INDEX company_trials_due ON company_trials (ends_at) WHERE status = 'active';
        CREATE TABLE lifecycle_events (
            seq {dialect.AppendKey},
            id TEXT NOT NULL UNIQUE,
            environment_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            company_id TEXT NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            delivered_at BIGINT NULL);
        CREATE INDEX lifecycle_events_pending ON lifecycle_events (environment_id, seq) WHERE delivered_at IS NULL;
        {(dialect.IsPostgres ? """
            INSERT INTO resources (environment_id, kind, id, key, parent_id, data, created_at, updated_at)
            SELECT environment_id, 'plan_group', 'plgr_' || environment_id, 'plan_group', NULL,
                jsonb_build_object(
                    'id', 'plgr_' || environment_id,
                    'fallback_plan_id', settings::jsonb ->> 'fallback_plan_id',
                    'created_at', to_char(to_timestamp(updated_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                    'updated_at', to_char(to_timestamp(updated_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text,
                updated_at, updated_at
            FROM stripe_connections WHERE settings::jsonb ->> 'fallback_plan_id' IS NOT NULL;
            UPDATE stripe_connections SET settings = (settings::jsonb - 'fallback_plan_id')::text WHERE settings::jsonb ->> 'fallback_plan_id' IS NOT NULL;
            """ : """
            INSERT INTO resources (environment_id, kind, id, key, parent_id, data, created_at, updated_at)
            SELECT environment_id, 'plan_group', 'plgr_' || environment_id, 'plan_group', NULL,
                json_object(
                    'id', 'plgr_' || environment_id,
                    'fallback_plan_id', json_extract(settings, '$.fallback_plan_id'),
                    'created_at', strftime('%Y-%m-%dT%H:%M:%fZ', updated_at / 1000.0, 'unixepoch'),
                    'updated_at', strftime('%Y-%m-%dT%H:%M:%fZ', updated_at / 1000.0, 'unixepoch')),
                updated_at, updated_at
            FROM stripe_connections WHERE json_extract(settings, '$.fallback_plan_id') IS NOT NULL;
            UPDATE stripe_connections SET settings = json_remove(settings, '$.fallback_plan_id') WHERE json_extract(settings, '$.fallback_plan_id') IS NOT NULL;
            """)}
        """;

    /// <summary>
    /// Plan version migrations. <c>plan_version_migrations</c> holds each migration as a JSON document, its status in a
    /// column so that any node finds the open ones after a restart. <c>plan_version_company_migrations</c> holds one row
    /// per company, worked off in insertion order (<c>seq</c>) by status; a row changes in the same transaction as the
    /// company it moves, so a restart neither loses a move nor makes one twice. A company is in a migration once.
    /// </summary>
    private static string Version12PlanMigrations(SqlDialect dialect) => $"""
        CREATE TABLE plan_version_migrations (
            environment_id TEXT NOT NULL REFERENCES environments(id),
            id TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            status TEXT NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, id));
        CREATE INDEX plan_version_migrations_status ON plan_version_migrations (status, created_at);
        CREATE TABLE plan_version_company_migrations (
            seq {dialect.AppendKey},
            environment_id TEXT NOT NULL,
            id TEXT NOT NULL,
            migration_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            company_name TEXT NOT NULL,
            plan_version_id_from TEXT NULL,
            status TEXT NOT NULL,
            error TEXT NULL,
            error_code TEXT NULL,
            scheduled_for BIGINT NULL,
            started_at BIGINT NULL,
            completed_at BIGINT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE UNIQUE INDEX plan_version_company_migrations_id ON plan_version_company_migrations (environment_id, id);
        CREATE UNIQUE INDEX plan_version_company_migrations_company ON plan_version_company_migrations (environment_id, migration_id, company_id);
        CREATE INDEX plan_version_company_migrations_status ON plan_version_company_migrations (environment_id, migration_id, status, seq);
        """;

    /// <summary>
    /// The company directory (<c>Companies/CompanyDirectory*</c>): a read model of one row per company, written by
    /// <c>CompanyDirectoryRefresher</c> from the change feed, so that the console finds, filters, sorts and counts
    /// companies in SQL by indexed columns instead of reading every company document and counter. <c>worst_ratio</c> is
    /// the highest usage ÷ limit of the company's metered entitlements (0 without one); <c>stale_at</c> is the next
    /// instant the row stops being true without any write (a usage period resets, an override expires), when the
    /// refresher computes it again. The three sort orders' indexes carry <c>search_text</c> (at most 512 characters), so a
    /// search walks one of them in order without reading the rows it does not return: a rare match costs a scan of the
    /// index, a common one stops after a page.
    /// </summary>
    private static string Version14CompanyDirectory(SqlDialect dialect) => """
        CREATE TABLE company_directory (
            environment_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            name TEXT NULL,
            sort_name TEXT NOT NULL,
            search_text TEXT NOT NULL,
            main_key TEXT NULL,
            plan_id TEXT NULL,
            add_on_ids TEXT NOT NULL,
            trial_ends_at BIGINT NULL,
            override_count INTEGER NOT NULL,
            worst_ratio DOUBLE PRECISION NOT NULL,
            worst_feature_id TEXT NULL,
            worst_usage BIGINT NULL,
            worst_limit BIGINT NULL,
            stale_at BIGINT NULL,
            created_at BIGINT NOT NULL,
            refreshed_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, company_id));
        CREATE INDEX company_directory_name ON company_directory (environment_id, sort_name, company_id, search_text);
        CREATE INDEX company_directory_created ON company_directory (environment_id, created_at, company_id, search_text);
        CREATE INDEX company_directory_ratio ON company_directory (environment_id, worst_ratio, company_id, search_text);
        CREATE INDEX company_directory_plan ON company_directory (environment_id, plan_id, sort_name);
        CREATE INDEX company_directory_trial ON company_directory (environment_id, trial_ends_at) WHERE trial_ends_at IS NOT NULL;
        CREATE INDEX company_directory_overrides ON company_directory (environment_id, sort_name) WHERE override_count > 0;
        CREATE INDEX company_directory_stale ON company_directory (stale_at) WHERE stale_at IS NOT NULL;
        """;

    /// <summary>
    /// The artifact of a data export, in chunks of at most 256 KiB written as they are produced and read back one at a
    /// time, so a large export is never held whole in memory; in the database so any node can serve it. The partial
    /// index lets every node's worker find pending exports without scanning every resource.
    /// </summary>
    private static string Version15DataExportChunks(SqlDialect dialect) => $"""
        CREATE TABLE data_export_chunks (
            environment_id TEXT NOT NULL,
            export_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            body {(dialect.IsPostgres ? "BYTEA" : "BLOB")} NOT NULL,
            PRIMARY KEY (environment_id, export_id, seq));
        CREATE INDEX resources_data_exports ON resources (created_at) WHERE kind = 'data_export';
        """;

    /// <summary>
    /// Schematic's account shapes: an environment has a type (development, staging, production) and an update time, and
    /// is deleted softly (its data stays, its keys are revoked); an API key has a description and an update time. The
    /// event log gets two indexes: an environment's events newest first (<c>GET /events</c>), and a company's by time (the
    /// per-user usage, which Tollgate keeps no counters for, is summed from the log).
    /// </summary>
    private static string Version16Accounts(SqlDialect dialect) => """
        ALTER TABLE environments ADD COLUMN environment_type TEXT NOT NULL DEFAULT 'development';
        ALTER TABLE environments ADD COLUMN updated_at BIGINT NULL;
        ALTER TABLE environments ADD COLUMN deleted_at BIGINT NULL;
        ALTER TABLE api_keys ADD COLUMN description TEXT NULL;
        ALTER TABLE api_keys ADD COLUMN updated_at BIGINT NULL;
        CREATE INDEX events_environment_seq ON events (environment_id, seq);
        CREATE INDEX events_company_time ON events (environment_id, company_id, occurred_at);
        """;

    /// <summary>
    /// The links documents hold to other resources (<c>ILinkedResource</c>: a user's <c>company_ids</c>, a company's
    /// <c>add_on_ids</c>), one row each, filled here from the stored documents and kept since by the resource store: a
    /// company's users and an add-on's companies become index lookups instead of a read of every document. The audit log
    /// gets an index for an environment's entries newest first (the console's overview and audit pages), which its company
    /// index served only by sorting every entry of the environment, and one for those made from the console. Key values
    /// get an index of their lower-cased form, for "check as" to find companies and users by the start of a key. The
    /// company directory records each company's plan versions (companies per version without reading every company); its
    /// rows are emptied, and the directory's refresher rebuilds them at start because their number no longer matches the
    /// companies'.
    /// </summary>
    private static string Version20ResourceLinks(SqlDialect dialect) => $"""
        CREATE TABLE resource_links (
            environment_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            linked_id TEXT NOT NULL,
            PRIMARY KEY (environment_id, kind, id, linked_id));
        CREATE INDEX resource_links_linked ON resource_links (environment_id, kind, linked_id, id);
        INSERT INTO resource_links (environment_id, kind, id, linked_id)
            SELECT DISTINCT r.environment_id, r.kind, r.id, j.value FROM resources r, {dialect.JsonArrayElements("r.data", "company_ids")}
            WHERE r.kind = 'user';
        INSERT INTO resource_links (environment_id, kind, id, linked_id)
            SELECT DISTINCT r.environment_id, r.kind, r.id, j.value FROM resources r, {dialect.JsonArrayElements("r.data", "add_on_ids")}
            WHERE r.kind = 'company';
        CREATE INDEX audit_log_environment_seq ON audit_log (environment_id, seq);
        CREATE INDEX audit_log_console_users ON audit_log (environment_id, seq) WHERE user_id IS NOT NULL;
        CREATE INDEX entity_keys_folded ON entity_keys (environment_id, entity_type, LOWER(value){(dialect.IsPostgres ? " text_pattern_ops" : string.Empty)});
        ALTER TABLE company_directory ADD COLUMN plan_version_ids TEXT NOT NULL DEFAULT '';
        DELETE FROM company_directory;
        """;

    /// <summary>
    /// Temporary access tokens for Schematic's components: one company of one environment each, until
    /// <c>expires_at</c>; only a SHA-256 of the token is kept, looked up by it on each component request.
    /// </summary>
    private static string Version21TemporaryAccessTokens(SqlDialect dialect) => """
        CREATE TABLE temporary_access_tokens (
            id TEXT PRIMARY KEY,
            environment_id TEXT NOT NULL REFERENCES environments(id),
            company_id TEXT NOT NULL,
            api_key_id TEXT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL);
        CREATE INDEX temporary_access_tokens_expiry ON temporary_access_tokens (environment_id, expires_at);
        """;

    /// <summary>The browser origins each environment lets call its component routes, looked up by origin on every CORS request.</summary>
    private static string Version22ComponentOrigins(SqlDialect dialect) => """
        CREATE TABLE component_origins (
            environment_id TEXT NOT NULL REFERENCES environments(id),
            origin TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, origin));
        CREATE INDEX component_origins_origin ON component_origins (origin);
        """;

    /// <summary>
    /// The console's people, separate from API keys and from every environment: users with a role (email unique,
    /// compared lower-cased), invitations and owner set-up links (only a SHA-256 of each token is kept). Audit entries
    /// made from the console name the user (Schematic's <c>app_user</c> actor).
    /// </summary>
    private static string Version13Console(SqlDialect dialect) => """
        CREATE TABLE console_users (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NULL,
            oidc_subject TEXT NULL UNIQUE,
            security_stamp TEXT NOT NULL,
            failed_sign_ins BIGINT NOT NULL DEFAULT 0,
            locked_until BIGINT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            last_sign_in_at BIGINT NULL,
            disabled_at BIGINT NULL);
        CREATE TABLE console_invitations (
            id TEXT PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            email TEXT NOT NULL,
            role TEXT NOT NULL,
            invited_by TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            accepted_at BIGINT NULL,
            revoked_at BIGINT NULL);
        CREATE TABLE console_setup_links (
            token_hash TEXT PRIMARY KEY,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            used_at BIGINT NULL);
        ALTER TABLE audit_log ADD COLUMN user_id TEXT NULL;
        ALTER TABLE audit_log ADD COLUMN user_name TEXT NULL;
        """;

    /// <summary>
    /// Outgoing webhooks. <c>webhook_notices</c> is the outbox: a notice is written in the same transaction as the change
    /// that caused it; a key in <c>webhook_notice_keys</c> makes a threshold crossing one notice however often it is
    /// detected (kept after the notice is delivered). The worker
    /// turns a notice into one <c>webhook_events</c> row per subscribed endpoint (the delivery log), deleting the notice in
    /// the same transaction. <c>webhook_override_expiries</c> is the schedule of <c>company.override.expired</c>, kept by
    /// the override writes' transactions.
    /// </summary>
    private static string Version24Webhooks(SqlDialect dialect) => $"""
        CREATE TABLE webhooks (
            id TEXT PRIMARY KEY,
            environment_id TEXT NOT NULL,
            data TEXT NOT NULL,
            status TEXT NOT NULL,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL);
        CREATE INDEX webhooks_environment ON webhooks (environment_id, created_at);
        CREATE TABLE webhook_notices (
            seq {dialect.AutoIncrementKey},
            id TEXT NOT NULL UNIQUE,
            environment_id TEXT NOT NULL,
            request_type TEXT NOT NULL,
            subject_id TEXT NULL,
            body TEXT NOT NULL,
            created_at BIGINT NOT NULL);
        CREATE TABLE webhook_notice_keys (
            environment_id TEXT NOT NULL,
            dedupe_key TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, dedupe_key));
        CREATE TABLE webhook_events (
            seq {dialect.AppendKey},
            id TEXT NOT NULL UNIQUE,
            environment_id TEXT NOT NULL,
            webhook_id TEXT NOT NULL,
            request_type TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL,
            attempt_count INTEGER NOT NULL DEFAULT 0,
            response_code INTEGER NULL,
            error TEXT NULL,
            next_attempt_at BIGINT NOT NULL,
            sent_at BIGINT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE INDEX webhook_events_environment ON webhook_events (environment_id, seq);
        CREATE INDEX webhook_events_due ON webhook_events (webhook_id, next_attempt_at, seq) WHERE status = 'pending';
        CREATE TABLE webhook_override_expiries (
            environment_id TEXT NOT NULL,
            override_id TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, override_id));
        CREATE INDEX webhook_override_expiries_due ON webhook_override_expiries (expires_at);
        """;

    /// <summary>
    /// The environment's usage per event subtype and UTC day (<c>day</c>: the day's first instant in Unix milliseconds),
    /// added to in the same transaction as <c>usage_counters</c> (<c>Usage/UsageDailyTotals</c>). The per-company daily
    /// rollup is <c>usage_counters</c>' day period itself, which is never pruned; this one answers the environment-wide
    /// series (top features, feature usage over time) without reading every company's counters. <c>shard</c> is chosen per
    /// process, so that nodes sharing a PostgreSQL do not queue on one hot row per subtype and day; readers sum the
    /// shards. Backfilled once from the day counters (the same sums the event log would give, without reading it).
    /// </summary>
    private static string Version25UsageDailyTotals(SqlDialect dialect) => $"""
        CREATE TABLE usage_daily_totals (
            environment_id TEXT NOT NULL,
            event_subtype TEXT NOT NULL,
            day BIGINT NOT NULL,
            shard INTEGER NOT NULL,
            value BIGINT NOT NULL,
            PRIMARY KEY (environment_id, day, event_subtype, shard));
        {Usage.UsageDailyTotals.FromDayCounters(dialect, "1 = 1")};
        """;

    /// <summary>
    /// Insight signals (<c>Insights/</c>): <c>company_insights</c> holds one row per company signals were worked out for,
    /// with the instant they lapse without any write (<c>stale_at</c>: the next UTC midnight for a company with usage in
    /// the window, a trial's end), its base plan, creation time and MRR (the summary and plan growth count these by index); <c>company_signals</c> one row per company and signal kind it shows, ranked by
    /// <c>score</c>. Lists page by the <c>(environment_id, kind, score, company_id)</c> index, never reading other rows.
    /// </summary>
    private static string Version27CompanySignals(SqlDialect dialect) => """
        CREATE TABLE company_insights (
            environment_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            plan_id TEXT NULL,
            created_at BIGINT NOT NULL,
            mrr BIGINT NULL,
            currency TEXT NULL,
            stale_at BIGINT NULL,
            refreshed_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, company_id));
        CREATE INDEX company_insights_stale ON company_insights (stale_at) WHERE stale_at IS NOT NULL;
        CREATE INDEX company_insights_plan ON company_insights (environment_id, plan_id, created_at);
        CREATE INDEX company_insights_paid ON company_insights (environment_id, currency, mrr) WHERE mrr > 0;
        CREATE TABLE company_signals (
            environment_id TEXT NOT NULL,
            company_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            score DOUBLE PRECISION NOT NULL,
            company_name TEXT NULL,
            plan_id TEXT NULL,
            feature_id TEXT NULL,
            reason TEXT NOT NULL,
            evidence TEXT NOT NULL,
            mrr BIGINT NULL,
            currency TEXT NULL,
            refreshed_at BIGINT NOT NULL,
            PRIMARY KEY (environment_id, company_id, kind));
        CREATE INDEX company_signals_rank ON company_signals (environment_id, kind, score, company_id);
        """;
}
