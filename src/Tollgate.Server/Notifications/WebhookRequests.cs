namespace Tollgate.Server.Notifications;

/// <summary>The body of <c>POST /webhooks</c> (Schematic's <c>CreateWebhookRequestBody</c>).</summary>
public sealed record CreateWebhookRequest(
    string? Name,
    string? Url,
    IReadOnlyList<string>? RequestTypes,
    IReadOnlyList<EntitlementTriggerConfig>? EntitlementTriggerConfigs,
    IReadOnlyList<CreditTriggerConfig>? CreditTriggerConfigs);

/// <summary>The body of <c>PUT /webhooks/{id}</c> (Schematic's <c>UpdateWebhookRequestBody</c>): what is absent stays.</summary>
public sealed record UpdateWebhookRequest(
    string? Name,
    string? Url,
    IReadOnlyList<string>? RequestTypes,
    IReadOnlyList<EntitlementTriggerConfig>? EntitlementTriggerConfigs,
    IReadOnlyList<CreditTriggerConfig>? CreditTriggerConfigs,
    string? Status);

/// <summary>The body of <c>POST /webhooks/{id}/test</c>.</summary>
public sealed record TestWebhookRequest(string? RequestType);
