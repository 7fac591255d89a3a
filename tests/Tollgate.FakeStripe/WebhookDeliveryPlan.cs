namespace Tollgate.FakeStripe;

/// <summary>How a batch of events is delivered: copies, order, pacing and signature.</summary>
/// <param name="Copies">How many times each event is sent (Stripe may deliver an event more than once; same <c>evt_</c> id).</param>
/// <param name="Order">Order of delivery.</param>
/// <param name="Seed">Seed for <see cref="WebhookOrder.Shuffled"/>.</param>
/// <param name="DelayBetween">Pause before each delivery after the first.</param>
/// <param name="Signature">How each delivery is signed.</param>
/// <param name="Attempts">Attempts per delivery: like Stripe, a non-2xx answer or a connection error is retried (same event id, freshly signed).</param>
/// <param name="RetryDelay">Pause before a retry.</param>
public sealed record WebhookDeliveryPlan(
    int Copies = 1, WebhookOrder Order = WebhookOrder.AsEmitted, int Seed = 0, TimeSpan DelayBetween = default,
    WebhookSignature Signature = WebhookSignature.Valid, int Attempts = 1, TimeSpan RetryDelay = default);

/// <summary>Delivery order of a batch.</summary>
public enum WebhookOrder
{
    /// <summary>In the order the events were created.</summary>
    AsEmitted,

    /// <summary>Newest first (e.g. <c>updated</c> before <c>created</c>).</summary>
    Reversed,

    /// <summary>A seeded random permutation.</summary>
    Shuffled,
}
