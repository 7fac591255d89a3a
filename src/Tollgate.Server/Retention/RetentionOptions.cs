namespace Tollgate.Server.Retention;

/// <summary>
/// How long records are kept (<c>Tollgate:Retention</c>). A period left empty (null) keeps those records forever.
/// Only raw records go: usage counters (what checks and invoices are computed from), credit balances and ledgers, and
/// meter-outbox rows not yet delivered to Stripe are never deleted by age.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>Run the background cleanup. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the cleanup runs (on one node at a time on PostgreSQL). Default: 1 hour.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Raw ingested events (<c>events</c>, by the time received). Default: 400 days — a year of history plus a month's
    /// margin for a disputed invoice. Metrics live in the usage counters and do not shrink when events go.
    /// </summary>
    public TimeSpan? Events { get; set; } = TimeSpan.FromDays(400);

    /// <summary>Audit-log entries (by the time written). Default: 400 days.</summary>
    public TimeSpan? AuditLog { get; set; } = TimeSpan.FromDays(400);

    /// <summary>
    /// Meter-outbox rows Stripe acknowledged (by the time delivered). Default: 35 days, past Stripe's own 35-day window
    /// for meter events. Pending, failed and skipped rows are kept whatever their age: they are usage still owed to
    /// billing, or rows an operator may requeue.
    /// </summary>
    public TimeSpan? DeliveredMeterRows { get; set; } = TimeSpan.FromDays(35);

    /// <summary>Rows deleted per transaction, so a first cleanup of a large backlog never holds a long lock. Default: 5,000.</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>True when every setting is usable (checked once at start-up).</summary>
    public bool IsValid() =>
        Interval > TimeSpan.Zero && BatchSize is > 0 and <= 100_000
        && Events is null or { Ticks: > 0 } && AuditLog is null or { Ticks: > 0 } && DeliveredMeterRows is null or { Ticks: > 0 };
}
