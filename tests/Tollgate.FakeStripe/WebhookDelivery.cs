namespace Tollgate.FakeStripe;

/// <summary>One POST the sender made and what the endpoint answered.</summary>
/// <param name="EventId">The event's <c>evt_</c> id.</param>
/// <param name="Type">The event type.</param>
/// <param name="Payload">The exact body sent.</param>
/// <param name="SignatureHeader">The <c>Stripe-Signature</c> header sent, or null.</param>
/// <param name="Status">HTTP status answered.</param>
/// <param name="ResponseBody">Body answered.</param>
public sealed record WebhookDelivery(string EventId, string Type, string Payload, string? SignatureHeader, int Status, string ResponseBody);
