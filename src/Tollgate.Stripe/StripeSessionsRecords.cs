namespace Tollgate.Stripe;

/// <summary>A customer to create in Stripe.</summary>
public sealed record NewStripeCustomer(string? Email, string? Name, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A Stripe customer as it is after a write.</summary>
public sealed record StripeCustomerInfo(string Id, string? Email, string? Name, IReadOnlyDictionary<string, string> Metadata);

/// <summary>One line of a Checkout session: a price and its quantity (null for a metered price, which takes none).</summary>
public sealed record CheckoutLine(string PriceId, long? Quantity);

/// <summary>A subscription Checkout session to create (<c>mode=subscription</c>).</summary>
/// <param name="CustomerId">The Stripe customer who subscribes.</param>
/// <param name="Lines">What is subscribed to.</param>
/// <param name="SuccessUrl">Where Stripe sends the buyer after paying (may contain <c>{CHECKOUT_SESSION_ID}</c>).</param>
/// <param name="CancelUrl">Where Stripe sends the buyer who gives up.</param>
/// <param name="ClientReferenceId">Tollgate's id of the buyer (the company id).</param>
/// <param name="Metadata">Session metadata.</param>
/// <param name="TrialPeriodDays">A trial before the first charge (<c>subscription_data[trial_period_days]</c>); null for none.</param>
/// <param name="AllowPromotionCodes">Whether the buyer may enter a promotion code.</param>
public sealed record NewCheckoutSession(
    string CustomerId, IReadOnlyList<CheckoutLine> Lines, string SuccessUrl, string CancelUrl, string? ClientReferenceId,
    IReadOnlyDictionary<string, string> Metadata, long? TrialPeriodDays, bool AllowPromotionCodes);

/// <summary>A Checkout session Stripe made: send the buyer to <see cref="Url"/>.</summary>
public sealed record CheckoutSessionInfo(string Id, string? Url, string? Status, string? CustomerId, DateTimeOffset? ExpiresAt);

/// <summary>A Billing Portal session to create.</summary>
/// <param name="CustomerId">The customer whose portal opens.</param>
/// <param name="ReturnUrl">Where the portal's back link goes.</param>
/// <param name="Flow">A flow to start in (<see cref="PortalFlows"/>); null for the portal's home page.</param>
/// <param name="SubscriptionId">The subscription the flow acts on (required with a flow).</param>
public sealed record NewPortalSession(string CustomerId, string? ReturnUrl, string? Flow, string? SubscriptionId);

/// <summary>A Billing Portal session Stripe made: send the customer to <see cref="Url"/> (short-lived).</summary>
public sealed record PortalSessionInfo(string Id, string Url);

/// <summary>The portal flows Tollgate starts (<c>flow_data[type]</c>).</summary>
public static class PortalFlows
{
    /// <summary>Choose another plan or quantity.</summary>
    public const string SubscriptionUpdate = "subscription_update";

    /// <summary>Cancel the subscription.</summary>
    public const string SubscriptionCancel = "subscription_cancel";
}
