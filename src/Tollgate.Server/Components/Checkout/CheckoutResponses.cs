namespace Tollgate.Server.Components.Checkout;

/// <summary>
/// Answer of <c>POST /checkout</c> (the components' <c>CheckoutResponseData</c>): the subscription as Stripe answered.
/// Periods and trial end are Unix seconds, as Schematic sends them.
/// </summary>
public sealed record CheckoutResponseData(
    string? ApplicationId,
    long? CancelAt,
    bool CancelAtPeriodEnd,
    string CompanyId,
    string? ConfirmPaymentIntentClientSecret,
    string? ConfirmPaymentIntentId,
    DateTimeOffset CreatedAt,
    string Currency,
    string CustomerExternalId,
    string? DefaultPaymentMethodId,
    DateTimeOffset? ExpiredAt,
    string Id,
    string Interval,
    IReadOnlyDictionary<string, string>? Metadata,
    long PeriodEnd,
    long PeriodStart,
    string ProviderType,
    DateTimeOffset? ScheduledChangeTime,
    string? ScheduledDowngradeBehavior,
    string Status,
    string SubscriptionExternalId,
    long TotalPrice,
    long? TrialEnd,
    string? TrialEndSetting);

/// <summary>Answer of <c>POST /checkout/preview</c> (<c>PreviewSubscriptionChangeResponseData</c>): amounts from Stripe's invoice preview.</summary>
public sealed record PreviewSubscriptionChangeResponseData(
    long AmountOff,
    long DueNow,
    PreviewSubscriptionFinanceResponseData Finance,
    bool IsScheduledDowngrade,
    long NewCharges,
    bool OptInRequired,
    string? OptInText,
    string? OptInTitle,
    bool PaymentMethodRequired,
    double PercentOff,
    DateTimeOffset PeriodStart,
    bool PromoCodeApplied,
    long Proration,
    DateTimeOffset? ScheduledChangeTime,
    DateTimeOffset? TrialEnd,
    IReadOnlyList<System.Text.Json.JsonElement> UsageViolations);

/// <summary>The money side of a preview (<c>PreviewSubscriptionFinanceResponseData</c>).</summary>
public sealed record PreviewSubscriptionFinanceResponseData(
    long AmountOff,
    IReadOnlyList<System.Text.Json.JsonElement> Discounts,
    long DueNow,
    long NewCharges,
    double PercentOff,
    DateTimeOffset PeriodEnd,
    DateTimeOffset PeriodStart,
    bool PromoCodeApplied,
    long Proration,
    long? TaxAmount,
    string? TaxDisplayName,
    bool TaxRequireBillingDetails,
    long TotalPerBillingPeriod,
    DateTimeOffset? TrialEnd,
    IReadOnlyList<PreviewSubscriptionUpcomingInvoiceLineItems> UpcomingInvoiceLineItems);

/// <summary>A line of Stripe's previewed invoice.</summary>
public sealed record PreviewSubscriptionUpcomingInvoiceLineItems(long Amount, string Description, string PriceId, bool Proration, long Quantity);

/// <summary>Answer of the setup-intent routes (<c>SetupIntentResponseData</c>).</summary>
public sealed record SetupIntentResponseData(string? AccountId, string? PublishableKey, string SchematicPublishableKey, string? SetupIntentClientSecret);

/// <summary>Answer of <c>GET /checkout/balance</c> (<c>CompanyCustomerBalance</c>).</summary>
public sealed record CompanyCustomerBalance(IReadOnlyList<CurrencyBalance> Balances);

/// <summary>A balance in one currency (negative: credit the customer holds), in the currency's smallest unit.</summary>
public sealed record CurrencyBalance(long Balance, string Currency);

/// <summary>A payment method (<c>PaymentMethodResponseData</c>).</summary>
public sealed record PaymentMethodResponseData(
    string? AccountLast4,
    string? AccountName,
    string? BankName,
    string? BillingEmail,
    string? BillingName,
    string? CardBrand,
    long? CardExpMonth,
    long? CardExpYear,
    string? CardLast4,
    string? CompanyId,
    DateTimeOffset CreatedAt,
    string CustomerExternalId,
    string EnvironmentId,
    string ExternalId,
    string Id,
    string PaymentMethodType,
    string ProviderType,
    DateTimeOffset UpdatedAt);

/// <summary>Answer of <c>POST /checkout/custom-field-values</c>: <c>company</c> is left out (optional in the model).</summary>
public sealed record UpdateCheckoutFieldValuesResponseData(object? Company);
