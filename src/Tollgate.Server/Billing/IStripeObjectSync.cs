namespace Tollgate.Server.Billing;

/// <summary>
/// Brings one Stripe object's current state into Tollgate: the object is read again from Stripe (never taken from an
/// event's payload, since events arrive late, twice and out of order), then written through the same paths as every
/// other write. Running it twice, or for an older event after a newer one, converges on Stripe's state.
/// </summary>
internal interface IStripeObjectSync
{
    /// <summary>
    /// Syncs the object of type <paramref name="objectType"/> (<see cref="StripeObjectTypes"/>) with id
    /// <paramref name="objectId"/>. Throws <see cref="Tollgate.Stripe.StripeCallException"/> when Stripe fails (retry
    /// it when <c>Retryable</c>); an object Stripe no longer has counts as deleted, not as a failure.
    /// </summary>
    Task SyncAsync(StripeConnection connection, string objectType, string objectId, CancellationToken cancellationToken);
}

/// <summary>The Stripe object types Tollgate follows (the <c>object</c> field of Stripe's objects).</summary>
internal static class StripeObjectTypes
{
    public const string Product = "product";
    public const string Price = "price";
    public const string Customer = "customer";
    public const string Subscription = "subscription";
    public const string Invoice = "invoice";
    public const string CheckoutSession = "checkout.session";
    public const string Meter = "billing.meter";
}
