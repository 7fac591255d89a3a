namespace Tollgate.Server.Billing.Push;

/// <summary>Body of <c>POST /billing/coupons</c> (Schematic's <c>CreateCouponRequestBody</c>).</summary>
public sealed record UpsertBillingCouponRequest(
    long? AmountOff, string? Currency, string? Duration, long? DurationInMonths, string? ExternalId, long? MaxRedemptions, string? Name, double? PercentOff, long? TimesRedeemed);

/// <summary>Body of <c>POST /billing/invoices</c> (Schematic's <c>CreateInvoiceRequestBody</c>).</summary>
public sealed record UpsertInvoiceRequest(
    long? AmountDue,
    long? AmountPaid,
    long? AmountRemaining,
    string? CollectionMethod,
    string? Currency,
    string? CustomerExternalId,
    DateTimeOffset? DueDate,
    long? EndingBalance,
    string? ExternalId,
    string? PaymentMethodExternalId,
    long? StartingBalance,
    string? Status,
    string? SubscriptionExternalId,
    long? Subtotal,
    string? Url);

/// <summary>Body of <c>POST /billing/payment-methods</c> (Schematic's <c>CreatePaymentMethodRequestBody</c>).</summary>
public sealed record UpsertPaymentMethodRequest(
    string? AccountLast4,
    string? AccountName,
    string? BankName,
    string? BillingEmail,
    string? BillingName,
    string? CardBrand,
    long? CardExpMonth,
    long? CardExpYear,
    string? CardLast4,
    string? CustomerExternalId,
    string? ExternalId,
    string? PaymentMethodType);
