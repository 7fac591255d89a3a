using Tollgate.Stripe;

namespace Tollgate.Server.Billing;

/// <summary>An environment's live connection to its Stripe account: the account client, the webhook secret and the settings.</summary>
internal sealed record StripeConnection(string EnvironmentId, StripeAccount Account, string WebhookSecret, StripeSettings Settings, string? AccountId);
