namespace Tollgate.Stripe.Tests.FakeStripe;

/// <summary>How a batch of events is delivered: copies, order, pacing and signature.</summary>
/// <param name="Copies">How many times each event is sent (Stripe may deliver an event more than once; same <c>evt_</c> id).</param>
/// <param name="Order">Order of delivery.</param>
/// <param name="Seed">Seed for <see cref="WebhookOrder.Shuffled"/>.</param>
/// <param name="DelayBetween">Pause before each delivery after the first.</param>
/// <param name="Signature">How each delivery is signed.</param>
public sealed record WebhookDeliveryPlan(
    int Copies = 1, WebhookOrder Order = WebhookOrder.AsEmitted, int Seed = 0, TimeSpan DelayBetween = default,
    WebhookSignature Signature = WebhookSignature.Valid);

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
