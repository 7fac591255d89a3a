namespace Tollgate.Server.Billing;

/// <summary>
/// Server-wide Stripe settings (<c>Tollgate:Stripe</c>). Production leaves the bases alone; tests point them at a fake.
/// Per-environment settings live with each connection (<see cref="StripeSettings"/>).
/// </summary>
public sealed class StripeOptions
{
    /// <summary>Stripe's API base. Default: https://api.stripe.com.</summary>
    public string? ApiBase { get; set; }

    /// <summary>The base of the v2 meter event stream. Default: https://meter-events.stripe.com (or <see cref="ApiBase"/> when only that is set).</summary>
    public string? MeterEventsBase { get; set; }

    /// <summary>Retries Stripe.net makes itself for network failures, 409 and 5xx before a call counts as failed. Default: 2.</summary>
    public int MaxNetworkRetries { get; set; } = 2;

    /// <summary>How far a webhook's signed timestamp may be from now, in seconds (Stripe's default). Default: 300.</summary>
    public int WebhookToleranceSeconds { get; set; } = 300;

    /// <summary>The public base URL of this server, used to tell users their webhook endpoint's URL. Default: none (a path is shown).</summary>
    public string? PublicBaseUrl { get; set; }
}
