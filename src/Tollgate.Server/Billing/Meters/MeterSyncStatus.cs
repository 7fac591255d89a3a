using System.Text.Json.Serialization;

namespace Tollgate.Server.Billing.Meters;

/// <summary>
/// The meter sync's status document (area <c>meters</c> of <c>GET /billing/stripe/connection</c>). The counts are of
/// outbox rows since the environment was connected: each row is one commit's usage of one company and subtype.
/// </summary>
public sealed record MeterSyncStatus
{
    /// <summary>When the sync last settled rows (or was asked to run).</summary>
    [JsonPropertyName("last_run_at")]
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>When a run last ended without a failure that needs a retry.</summary>
    [JsonPropertyName("last_success_at")]
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>Rows Stripe acknowledged.</summary>
    [JsonPropertyName("sent")]
    public long Sent { get; init; }

    /// <summary>Rows not sent because their company has no Stripe customer or their subtype no meter.</summary>
    [JsonPropertyName("skipped")]
    public long Skipped { get; init; }

    /// <summary>Rows that cannot be sent: Stripe refused them, or they are older than Stripe accepts.</summary>
    [JsonPropertyName("failed")]
    public long Failed { get; init; }

    /// <summary>Rows still to send (as of the last run).</summary>
    [JsonPropertyName("pending")]
    public long Pending { get; init; }

    /// <summary>The last error (a failed call, a refused row), in one line.</summary>
    [JsonPropertyName("last_error")]
    public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> happened.</summary>
    [JsonPropertyName("last_error_at")]
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Failed runs in a row (the backoff exponent); 0 after a good run.</summary>
    [JsonPropertyName("consecutive_failures")]
    public int ConsecutiveFailures { get; init; }

    /// <summary>While set and ahead, the sync waits for it before calling Stripe again (backoff, <c>Retry-After</c>).</summary>
    [JsonPropertyName("retry_at")]
    public DateTimeOffset? RetryAt { get; init; }
}
