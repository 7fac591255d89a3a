namespace Tollgate.Server.Storage;

/// <summary>
/// The name of every <see cref="AdvisoryLock"/>, in one place so that two uses never share one by accident. A name is
/// part of the contract between nodes: during a rolling upgrade an old and a new node must take the same lock for the
/// same work, so a name never changes once shipped (which is why their styles differ).
/// </summary>
internal static class AdvisoryLockNames
{
    /// <summary>Schema migrations: one node migrates, the others wait.</summary>
    public const string Migrations = "tollgate:migrations";

    /// <summary>Start-up bootstrap (first environment and key): one node at a time.</summary>
    public const string Bootstrap = "tollgate:bootstrap";

    /// <summary>
    /// The event log's writers (held shared for each ingestion transaction) against its watermark (held exclusively for
    /// an instant): see <see cref="Usage.EventLogWatermark"/>.
    /// </summary>
    public const string EventLog = "tollgate:event-log";

    /// <summary>The retention cleanup: one node at a time, the others pass.</summary>
    public const string Retention = "tollgate:retention";

    /// <summary>The trial expiry worker: one node at a time, the others pass.</summary>
    public const string TrialExpiry = "tollgate:trial-expiry";

    /// <summary>Atomic consumption on one company (check-and-track).</summary>
    public static string Company(string environmentId, string companyId) => environmentId + "/" + companyId;

    /// <summary>The meter sync's drain of one environment's billable usage.</summary>
    public static string MeterSync(string environmentId) => "tollgate.meter_sync/" + environmentId;

    /// <summary>The webhook worker's drain of one environment's inbox.</summary>
    public static string StripeWebhooks(string environmentId) => "stripe-webhooks/" + environmentId;

    /// <summary>The Stripe import of one environment.</summary>
    public static string StripeImport(string environmentId) => "stripe-import/" + environmentId;

    /// <summary>The plan version migrations of one environment: one node at a time works them off.</summary>
    public static string PlanMigrations(string environmentId) => "tollgate.plan_migrations/" + environmentId;
    /// <summary>The scheduled plan-change loop: one node at a time, the others pass.</summary>
    public const string ScheduledPlanChanges = "tollgate:scheduled-plan-changes";
    /// <summary>The data-export worker: one node at a time works the pending exports.</summary>
    public const string DataExports = "tollgate:data-exports";
    /// <summary>The webhooks' outbox fan-out (notices to deliveries) and override expiries: one node at a time.</summary>
    public const string WebhookNotices = "tollgate:webhook-notices";
    /// <summary>Delivery to one webhook endpoint: one node at a time.</summary>
    public static string Webhook(string webhookId) => "tollgate.webhook/" + webhookId;

    /// <summary>The transaction lock under which an environment's company directory rows are written (their tallies).</summary>
    public static string Directory(string environmentId) => "tollgate:directory:" + environmentId;

    /// <summary>The transaction lock under which an environment's insight signal and insight rows are written (their tallies).</summary>
    public static string Insights(string environmentId) => "tollgate:insights:" + environmentId;
}
