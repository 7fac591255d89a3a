using System.Text.Json.Serialization;

namespace Tollgate.Server.Billing.Webhooks;

/// <summary>A received webhook event as the API shows it.</summary>
internal sealed record WebhookEventResponse(
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("object_type")] string? ObjectType,
    [property: JsonPropertyName("object_id")] string? ObjectId,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("received_at")] DateTimeOffset ReceivedAt,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("next_attempt_at")] DateTimeOffset? NextAttemptAt,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("processed_at")] DateTimeOffset? ProcessedAt)
{
    public static WebhookEventResponse From(InboxEntry entry) => new(
        entry.EventId,
        entry.EventType,
        entry.ObjectType,
        entry.ObjectId,
        DateTimeOffset.FromUnixTimeSeconds(entry.EventCreated),
        DateTimeOffset.FromUnixTimeMilliseconds(entry.ReceivedAt),
        entry.Status,
        entry.Attempts,
        entry.Status == WebhookInbox.Pending ? DateTimeOffset.FromUnixTimeMilliseconds(entry.NextAttemptAt) : null,
        entry.LastError,
        entry.ProcessedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null);
}
