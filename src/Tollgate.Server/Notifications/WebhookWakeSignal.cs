using Tollgate.Server.Background;

namespace Tollgate.Server.Notifications;

/// <summary>Wakes the webhook worker when a notice is written or a delivery is retried by hand.</summary>
internal sealed class WebhookWakeSignal : WakeSignal;
