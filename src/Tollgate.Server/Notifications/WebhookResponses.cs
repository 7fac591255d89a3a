namespace Tollgate.Server.Notifications;

/// <summary>An endpoint in Schematic's shape (<c>WebhookResponseData</c>), with Tollgate's <c>disabled_reason</c>.</summary>
public sealed record WebhookResponse(
    string Id,
    string Name,
    string Url,
    string Secret,
    string Status,
    IReadOnlyList<string> RequestTypes,
    IReadOnlyList<EntitlementTriggerConfig> EntitlementTriggerConfigs,
    IReadOnlyList<CreditTriggerConfig> CreditTriggerConfigs,
    string? DisabledReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static WebhookResponse From(WebhookRecord w) => new(
        w.Id, w.Name, w.Url, w.Secret, w.Status, w.RequestTypes, w.EntitlementTriggerConfigs, w.CreditTriggerConfigs, w.DisabledReason, w.CreatedAt, w.UpdatedAt);
}

/// <summary>
/// One delivery of a notice to an endpoint, in Schematic's shape (<c>WebhookEventDetailResponseData</c>), with Tollgate's
/// <c>error</c>: why the last attempt failed (or why the endpoint was disabled).
/// </summary>
public sealed record WebhookEventResponse(
    string Id,
    string WebhookId,
    string RequestType,
    string Payload,
    string Status,
    int AttemptCount,
    int? ResponseCode,
    string? Error,
    DateTimeOffset? SentAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    WebhookResponse? Webhook);

/// <summary>The answer of <c>POST /webhooks/{id}/test</c> (Schematic's <c>TestWebhookResponseData</c>).</summary>
public sealed record TestWebhookResponse(bool Success, int ResponseCode, string? FailureReason);
