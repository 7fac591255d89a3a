using NpgsqlTypes;

namespace Tollgate.Scale;

/// <summary>
/// A table the generator fills, with the columns it writes (every other column keeps its default: PostgreSQL's identity
/// <c>seq</c> of <c>resources</c> and <c>audit_log</c>, SQLite's rowid) and each column's PostgreSQL type for binary COPY.
/// The columns are those of <c>Storage/Migrations.cs</c> and of the insert each area's store makes.
/// </summary>
internal sealed record BulkTable(string Name, string[] Columns, NpgsqlDbType[] Types)
{
    private const NpgsqlDbType T = NpgsqlDbType.Text;
    private const NpgsqlDbType B = NpgsqlDbType.Bigint;
    private const NpgsqlDbType I = NpgsqlDbType.Integer;

    /// <summary>Companies, users and overrides: JSON documents (<c>ResourceStore.PutAsync</c>).</summary>
    public static readonly BulkTable Resources = new(
        "resources", ["environment_id", "kind", "id", "key", "parent_id", "data", "created_at", "updated_at"], [T, T, T, T, T, T, B, B]);

    /// <summary>The keys that identify companies and users (<c>EntityKeys.ReplaceAsync</c>).</summary>
    public static readonly BulkTable EntityKeys = new(
        "entity_keys", ["environment_id", "entity_type", "key", "value", "entity_id"], [T, T, T, T, T]);

    /// <summary>One <c>create</c> record per resource, as the services write (<c>AuditLog.RecordAsync</c>).</summary>
    public static readonly BulkTable AuditLog = new(
        "audit_log",
        ["id", "environment_id", "api_key_id", "action", "resource_type", "resource_id", "company_id", "before_data", "after_data", "created_at"],
        [T, T, T, T, T, T, T, T, T, B]);

    /// <summary>The event log (<c>EventLogWriter</c>).</summary>
    public static readonly BulkTable Events = new(
        "events",
        ["environment_id", "event_type", "event_subtype", "company_id", "user_id", "quantity", "occurred_at", "received_at", "backfill", "idempotency_key", "body"],
        [T, T, T, T, T, B, B, B, I, T, T]);

    /// <summary>Usage counters per (company, subtype, period, bucket) (<c>EventLogWriter</c>).</summary>
    public static readonly BulkTable UsageCounters = new(
        "usage_counters", ["environment_id", "company_id", "event_subtype", "period", "bucket", "value"], [T, T, T, I, B, B]);

    /// <summary>The trial schedule (<c>TrialSchedule.SaveAsync</c>).</summary>
    public static readonly BulkTable CompanyTrials = new(
        "company_trials", ["environment_id", "company_id", "subscription_id", "status", "ends_at"], [T, T, T, T, B]);

    /// <summary>Every table, in the order a batch writes them.</summary>
    public static readonly BulkTable[] All = [Resources, EntityKeys, AuditLog, CompanyTrials, UsageCounters, Events];
}
