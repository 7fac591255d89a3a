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
}
