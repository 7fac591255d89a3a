namespace Tollgate.Stripe;

/// <summary>What to preview: a change to <see cref="SubscriptionId"/>, or a new subscription of <see cref="CustomerId"/> when it is null.</summary>
public sealed record InvoicePreviewRequest(string CustomerId, string? SubscriptionId, IReadOnlyList<SubscriptionItemChange> Items, string? ProrationBehavior, DateTimeOffset? ProrationDate);

/// <summary>The invoice Stripe would make: amounts in the currency's smallest unit.</summary>
public sealed record StripeInvoicePreview(string Currency, long AmountDue, long Total, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, IReadOnlyList<StripeInvoicePreviewLine> Lines);

/// <summary>One line of a previewed invoice; <see cref="Proration"/> when it is a prorated credit or charge.</summary>
public sealed record StripeInvoicePreviewLine(long Amount, string? Description, string? PriceId, bool Proration, long Quantity);

/// <summary>A new subscription: its items, the payment method charged, trial days and metadata.</summary>
public sealed record NewStripeSubscription(
    string CustomerId, IReadOnlyList<CheckoutLine> Items, string? PaymentMethodId, long? TrialDays, IReadOnlyDictionary<string, string> Metadata);

/// <summary>A setup intent: the client secret is what Stripe.js confirms the card with.</summary>
public sealed record StripeSetupIntentInfo(string Id, string ClientSecret, string Status);

/// <summary>A payment method as the components show it.</summary>
public sealed record StripePaymentMethodInfo(
    string Id, string? CustomerId, string Type, string? CardBrand, string? CardLast4, long? CardExpMonth, long? CardExpYear, string? BillingName, string? BillingEmail,
    DateTimeOffset Created);

/// <summary>A customer's balance (negative: a credit) in <see cref="Currency"/> (null until the customer is first billed).</summary>
public sealed record StripeCustomerBalance(long Balance, string? Currency, string? DefaultPaymentMethodId);

/// <summary>
/// An invoice as the components show it: amounts in the currency's smallest unit; balances as Stripe keeps them
/// (negative: a credit the customer holds); <see cref="EndingBalance"/> null until the invoice is finalized.
/// </summary>
public sealed record StripeInvoiceInfo(
    string? Id,
    string CustomerId,
    string? SubscriptionId,
    string? PaymentMethodId,
    string? CollectionMethod,
    string Currency,
    long AmountDue,
    long AmountPaid,
    long AmountRemaining,
    long Subtotal,
    long Total,
    long StartingBalance,
    long? EndingBalance,
    string? Status,
    DateTimeOffset? DueDate,
    DateTimeOffset? NextPaymentAttempt,
    string? HostedInvoiceUrl,
    DateTimeOffset Created);
