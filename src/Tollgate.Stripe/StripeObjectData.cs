namespace Tollgate.Stripe;

/// <summary>A Stripe product as Tollgate reads it.</summary>
public sealed record StripeProductData(
    string Id,
    string Name,
    bool Active,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset Created);

/// <summary>
/// A Stripe price as Tollgate reads it: one-time or recurring (<see cref="Interval"/>), licensed (quantity billed in
/// advance, e.g. seats) or metered (<see cref="UsageType"/> <c>metered</c>, usage reported to <see cref="MeterId"/>).
/// </summary>
public sealed record StripePriceData(
    string Id,
    string ProductId,
    bool Active,
    string Currency,
    long? UnitAmount,
    string? Interval,
    long IntervalCount,
    string? UsageType,
    string? MeterId,
    string? LookupKey,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset Created);

/// <summary>A Stripe customer as Tollgate reads it (deleted customers are not read: they read as absent).</summary>
public sealed record StripeCustomerData(
    string Id,
    string? Name,
    string? Email,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset Created);

/// <summary>
/// A Stripe subscription as Tollgate reads it. Since API 2025-03-31.basil the billing period lives on the items
/// (<see cref="StripeSubscriptionItemData.CurrentPeriodStart"/>), not on the subscription.
/// </summary>
public sealed record StripeSubscriptionData(
    string Id,
    string CustomerId,
    string Status,
    IReadOnlyList<StripeSubscriptionItemData> Items,
    DateTimeOffset? TrialStart,
    DateTimeOffset? TrialEnd,
    bool CancelAtPeriodEnd,
    DateTimeOffset? CancelAt,
    DateTimeOffset? CanceledAt,
    DateTimeOffset? EndedAt,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset Created)
{
    /// <summary>True when the subscription is over for good (Stripe will not bill it again).</summary>
    public bool IsEnded => StripeSubscriptionStatuses.IsEnded(Status);
}

/// <summary>One item of a subscription: a price of a product, its quantity (none for metered prices) and its period.</summary>
public sealed record StripeSubscriptionItemData(
    string Id,
    string PriceId,
    string ProductId,
    long? Quantity,
    DateTimeOffset CurrentPeriodStart,
    DateTimeOffset CurrentPeriodEnd);

/// <summary>A Stripe invoice, only as far as Tollgate follows it: whose it is and which subscription billed it.</summary>
public sealed record StripeInvoiceData(string Id, string? CustomerId, string? SubscriptionId, string? Status, string? BillingReason);

/// <summary>A Checkout session, only as far as Tollgate follows it: who paid, for what, and who Tollgate said it was for.</summary>
public sealed record StripeCheckoutSessionData(
    string Id,
    string? CustomerId,
    string? SubscriptionId,
    string? ClientReferenceId,
    string? Mode,
    string? Status,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>One page of a Stripe list and the cursor that continues it (the last object's id; null when none follow).</summary>
public sealed record StripePage<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    /// <summary>True when more objects follow this page.</summary>
    public bool HasMore => NextCursor is not null;
}

/// <summary>Stripe's subscription statuses (the list "can grow": an unknown status counts as not ended, not live).</summary>
public static class StripeSubscriptionStatuses
{
    /// <summary>On a trial.</summary>
    public const string Trialing = "trialing";
    /// <summary>Paid and running.</summary>
    public const string Active = "active";
    /// <summary>A payment failed; Stripe is retrying.</summary>
    public const string PastDue = "past_due";
    /// <summary>Ended.</summary>
    public const string Canceled = "canceled";
    /// <summary>Retries exhausted; left open but unpaid.</summary>
    public const string Unpaid = "unpaid";
    /// <summary>The first payment has not succeeded yet.</summary>
    public const string Incomplete = "incomplete";
    /// <summary>The first payment never succeeded (ended).</summary>
    public const string IncompleteExpired = "incomplete_expired";
    /// <summary>A trial ended without a payment method.</summary>
    public const string Paused = "paused";

    /// <summary>True for the statuses a subscription never leaves.</summary>
    public static bool IsEnded(string status) => status is Canceled or IncompleteExpired;
}
