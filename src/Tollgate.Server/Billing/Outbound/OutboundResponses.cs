namespace Tollgate.Server.Billing.Outbound;

/// <summary>Answer of a plan version push: the plan's Stripe product and the version's prices.</summary>
public sealed record PushPlanVersionResponse(string PlanId, string PlanVersionId, PushedProduct Product, IReadOnlyList<PushedPrice> Prices);

/// <summary>The Stripe product of a plan; <see cref="Created"/> when this push made it.</summary>
public sealed record PushedProduct(string Id, string Name, bool Created);

/// <summary>A price of the version in Stripe; <see cref="Created"/> when this push made it.</summary>
public sealed record PushedPrice(
    string Id, string Interval, long? UnitAmount, string Currency, string UsageType, bool PerSeat, string? EventSubtype, string? MeterId, bool Created);

/// <summary>Answer of <c>POST /billing/stripe/checkout-sessions</c>: send the buyer to <see cref="Url"/>.</summary>
public sealed record CheckoutSessionResponse(string Id, string? Url, string CustomerId, string PriceId, long? Quantity, DateTimeOffset? ExpiresAt);

/// <summary>Answer of <c>POST /billing/stripe/portal-sessions</c>.</summary>
public sealed record PortalSessionResponse(string Url, string CustomerId);

/// <summary>
/// Answer of <c>POST /billing/stripe/subscription-changes</c>: the subscription as Stripe answered, and
/// <c>synced</c>: true when Tollgate applied the result at once, false when the webhook brings it.
/// </summary>
public sealed record SubscriptionChangeResponse(
    string SubscriptionId, string Status, bool CancelAtPeriodEnd, IReadOnlyList<SubscriptionChangeItem> Items, string ProrationBehavior, bool Synced);

/// <summary>One item of a changed subscription.</summary>
public sealed record SubscriptionChangeItem(string Id, string PriceId, string? ProductId, long? Quantity);
