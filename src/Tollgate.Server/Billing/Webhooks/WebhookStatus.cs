using System.Text.Json.Serialization;

namespace Tollgate.Server.Billing.Webhooks;

/// <summary>The <c>webhooks</c> area of an environment's sync status: what was received, handled and is failing.</summary>
internal sealed record WebhookStatus
{
    [JsonPropertyName("last_received_at")]
    public DateTimeOffset? LastReceivedAt { get; init; }

    [JsonPropertyName("last_event_id")]
    public string? LastEventId { get; init; }

    [JsonPropertyName("last_event_type")]
    public string? LastEventType { get; init; }

    [JsonPropertyName("last_processed_at")]
    public DateTimeOffset? LastProcessedAt { get; init; }

    [JsonPropertyName("pending")]
    public long Pending { get; init; }

    [JsonPropertyName("done")]
    public long Done { get; init; }

    [JsonPropertyName("ignored")]
    public long Ignored { get; init; }

    [JsonPropertyName("failed")]
    public long Failed { get; init; }

    [JsonPropertyName("last_error")]
    public string? LastError { get; init; }

    [JsonPropertyName("last_error_event_id")]
    public string? LastErrorEventId { get; init; }

    public static WebhookStatus From(InboxSummary summary) => new()
    {
        LastReceivedAt = summary.Newest is { } newest ? DateTimeOffset.FromUnixTimeMilliseconds(newest.ReceivedAt) : null,
        LastEventId = summary.Newest?.EventId,
        LastEventType = summary.Newest?.EventType,
        LastProcessedAt = summary.LastProcessedAt is { } processed ? DateTimeOffset.FromUnixTimeMilliseconds(processed) : null,
        Pending = summary.Counts.GetValueOrDefault(WebhookInbox.Pending),
        Done = summary.Counts.GetValueOrDefault(WebhookInbox.Done),
        Ignored = summary.Counts.GetValueOrDefault(WebhookInbox.Ignored),
        Failed = summary.Counts.GetValueOrDefault(WebhookInbox.Failed),
        LastError = summary.Failing?.LastError,
        LastErrorEventId = summary.Failing?.EventId,
    };
}
