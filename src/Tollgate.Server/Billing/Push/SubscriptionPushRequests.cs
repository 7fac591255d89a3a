using System.Text.Json;

namespace Tollgate.Server.Billing.Push;

/// <summary>Body of <c>POST /billing/customer/upsert</c> (Schematic's <c>CreateBillingCustomerRequestBody</c>).</summary>
public sealed record UpsertBillingCustomerRequest(
    string? CompanyId,
    string? DefaultPaymentMethodId,
    string? Email,
    string? ExternalId,
    IReadOnlyDictionary<string, string>? Meta,
    string? Name,
    string? ProviderType);

/// <summary>Body of <c>POST /billing/subscription/upsert</c> (Schematic's <c>CreateBillingSubscriptionRequestBody</c>).</summary>
public sealed record UpsertBillingSubscriptionRequest(
    string? ApplicationId,
    long? CancelAt,
    bool? CancelAtPeriodEnd,
    string? CompanyId,
    string? Currency,
    string? CustomerExternalId,
    string? DefaultPaymentMethodExternalId,
    string? DefaultPaymentMethodId,
    IReadOnlyList<BillingSubscriptionDiscountRequest?>? Discounts,
    DateTimeOffset? ExpiredAt,
    string? Interval,
    IReadOnlyDictionary<string, JsonElement>? Metadata,
    long? PeriodEnd,
    long? PeriodStart,
    IReadOnlyList<BillingProductPricingRequest?>? ProductExternalIds,
    string? ProviderType,
    DateTimeOffset? StartedAt,
    string? Status,
    string? SubscriptionExternalId,
    long? TotalPrice,
    long? TrialEnd,
    string? TrialEndSetting);

/// <summary>One subscribed price of a pushed subscription (Schematic's <c>BillingProductPricing</c>).</summary>
public sealed record BillingProductPricingRequest(
    long? BillingThreshold,
    string? Currency,
    string? Interval,
    string? MeterId,
    long? PackageSize,
    long? Price,
    string? PriceDecimal,
    string? PriceExternalId,
    string? ProductExternalId,
    long? Quantity,
    string? SubscriptionItemExternalId,
    string? UsageType);

/// <summary>A discount of a pushed subscription (Schematic's <c>BillingSubscriptionDiscount</c>).</summary>
public sealed record BillingSubscriptionDiscountRequest(
    string? CouponExternalId,
    string? CustomerFacingCode,
    DateTimeOffset? EndedAt,
    string? ExternalId,
    bool? IsActive,
    string? PromoCodeExternalId,
    DateTimeOffset? StartedAt);
