using System.Text.Json.Serialization;

namespace Tollgate.Server.Billing.Meters;

/// <summary>
/// What one drain of an environment's meter outbox did (<c>POST /billing/meters/sync</c>), and the status after it.
/// </summary>
public sealed record MeterSyncRun
{
    /// <summary><c>done</c>, <c>backing_off</c> (waiting for <c>status.retry_at</c>), <c>busy</c> (another node drains it), <c>not_connected</c>.</summary>
    [JsonPropertyName("outcome")]
    public required string Outcome { get; init; }

    /// <summary>Rows Stripe acknowledged in this run.</summary>
    [JsonPropertyName("sent")]
    public long Sent { get; init; }

    /// <summary>Rows skipped in this run (no Stripe customer, no meter).</summary>
    [JsonPropertyName("skipped")]
    public long Skipped { get; init; }

    /// <summary>Rows that failed for good in this run.</summary>
    [JsonPropertyName("failed")]
    public long Failed { get; init; }

    /// <summary>The environment's status after the run.</summary>
    [JsonPropertyName("status")]
    public MeterSyncStatus? Status { get; init; }
}

/// <summary>Values of <see cref="MeterSyncRun.Outcome"/>.</summary>
internal static class MeterSyncOutcomes
{
    public const string Done = "done";
    public const string BackingOff = "backing_off";
    public const string Busy = "busy";
    public const string NotConnected = "not_connected";
}
