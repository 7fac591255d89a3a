namespace Tollgate.Server.Notifications;

/// <summary>Outgoing webhooks (<c>Tollgate:Webhooks</c>). Defaults in the initialisers.</summary>
public sealed class WebhookOptions
{
    /// <summary>How often the worker looks for notices and due deliveries when nothing wakes it (real time).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts per delivery before it is given up (<c>failure</c>); a manual retry grants one more.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after a delivery's first failure; it doubles with each further one, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts of a delivery.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Failed attempts in a row (of any deliveries) after which the worker disables the endpoint.</summary>
    public int DisableAfterFailures { get; set; } = 25;

    /// <summary>How long one delivery may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The warning threshold, in percent of a limit, of an entitlement without warning tiers of its own.</summary>
    public int DefaultWarningPercent { get; set; } = 80;

    /// <summary>
    /// Whether this node delivers (turns notices into deliveries and posts them). A node with false still writes
    /// notices in its writers' transactions; another node on the same store delivers them. Default: true.
    /// </summary>
    public bool Deliver { get; set; } = true;

    /// <summary>
    /// How long a delivered event (<c>success</c>) stays in the delivery log, by the time it was delivered; null keeps
    /// them forever. Pending and failed deliveries are kept whatever their age (a user may retry them). Default: 30 days.
    /// </summary>
    public TimeSpan? DeliveredRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often (on the server's clock) the delivering node deletes delivered events past their retention. Default: 1 hour.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Log rows read per cleanup transaction, so a large backlog never holds a long lock. Default: 5,000.</summary>
    public int CleanupBatchSize { get; set; } = 5_000;
}
