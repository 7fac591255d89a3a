using System.Text.Json;
using Tollgate.Server.Billing.Meters;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Billing.Push;

/// <summary>A pushed subscription as Schematic's <c>BillingSubscriptionResponseData</c> (times in Unix seconds; 0 when unknown).</summary>
public sealed record BillingSubscriptionResponse(
    string Id,
    string SubscriptionExternalId,
    string CustomerExternalId,
    string? CompanyId,
    string? ApplicationId,
    long? CancelAt,
    bool CancelAtPeriodEnd,
    DateTimeOffset CreatedAt,
    string Currency,
    string? DefaultPaymentMethodId,
    DateTimeOffset? ExpiredAt,
    string Interval,
    IReadOnlyDictionary<string, JsonElement>? Metadata,
    long PeriodEnd,
    long PeriodStart,
    string ProviderType,
    string Status,
    long TotalPrice,
    long? TrialEnd,
    string? TrialEndSetting)
{
    /// <summary>Describes a record.</summary>
    public static BillingSubscriptionResponse From(BillingSubscriptionRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(
            r.Id, r.ExternalId, r.CustomerExternalId, r.CompanyId, r.ApplicationId, r.CancelAt?.ToUnixTimeSeconds(), r.CancelAtPeriodEnd, r.CreatedAt, r.Currency,
            r.DefaultPaymentMethodId, r.ExpiredAt, r.Interval, r.Metadata, r.PeriodEnd?.ToUnixTimeSeconds() ?? 0, r.PeriodStart?.ToUnixTimeSeconds() ?? 0, r.ProviderType,
            r.Status, r.TotalPrice, r.TrialEnd?.ToUnixTimeSeconds(), r.TrialEndSetting);
    }
}

/// <summary>A billing customer as Schematic's <c>BillingCustomerResponseData</c> (and, listed, with its subscriptions).</summary>
public sealed record BillingCustomerResponse(
    string Id,
    string ExternalId,
    string? CompanyId,
    string Name,
    string Email,
    string ProviderType,
    IReadOnlyDictionary<string, string> Meta,
    DateTimeOffset? DeletedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<BillingCustomerSubscriptionResponse>? Subscriptions)
{
    /// <summary>Describes a pushed customer.</summary>
    public static BillingCustomerResponse From(BillingCustomerRecord r, IReadOnlyList<BillingCustomerSubscriptionResponse>? subscriptions = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Id, r.ExternalId, r.CompanyId, r.Name, r.Email, r.ProviderType, r.Meta, r.DeletedAt, r.UpdatedAt, subscriptions);
    }
}

/// <summary>One subscription of a listed customer (Schematic's <c>BillingCustomerSubscription</c>).</summary>
public sealed record BillingCustomerSubscriptionResponse(
    string SubscriptionExternalId, string Status, string Currency, string Interval, bool MeteredUsage, long PerUnitPrice, long TotalPrice, DateTimeOffset? ExpiredAt);

/// <summary>A meter as Schematic's <c>BillingMeterResponseData</c>; Schematic spells the display name <c>dispaly_name</c>, so both are written.</summary>
public sealed record BillingMeterResponse(
    string Id,
    string ExternalId,
    [property: System.Text.Json.Serialization.JsonPropertyName("dispaly_name")] string DispalyName,
    string DisplayName,
    string EventName,
    string EventPayloadKey,
    string ExternalPriceId,
    string ProviderType)
{
    /// <summary>Describes a meter; <paramref name="priceId"/> is the price billed through it (empty when none).</summary>
    public static BillingMeterResponse From(BillingMeterRecord r, string? priceId)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Id, r.Id, r.DisplayName, r.DisplayName, r.EventName, r.ValuePayloadKey, priceId ?? "", r.ProviderType);
    }
}

/// <summary>A coupon as Schematic's <c>BillingCouponResponseData</c>; active until redeemed as often as it may be.</summary>
public sealed record BillingCouponResponse(
    string Id,
    string ExternalId,
    string AccountId,
    string EnvironmentId,
    string Name,
    long? AmountOff,
    double? PercentOff,
    string? Currency,
    string Duration,
    long? DurationInMonths,
    bool IsActive,
    long? MaxRedemptions,
    long TimesRedeemed,
    IReadOnlyDictionary<string, string> Metadata,
    string ProviderType,
    DateTimeOffset? ValidFrom,
    DateTimeOffset? ValidUntil)
{
    /// <summary>Describes a record.</summary>
    public static BillingCouponResponse From(BillingCouponRecord r, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(
            r.Id, r.ExternalId, EngineIds.Account, environmentId, r.Name, r.AmountOff, r.PercentOff, r.Currency, r.Duration, r.Duration == "repeating" ? r.DurationInMonths : null,
            r.MaxRedemptions == 0 || r.TimesRedeemed < r.MaxRedemptions, r.MaxRedemptions == 0 ? null : r.MaxRedemptions, r.TimesRedeemed, new Dictionary<string, string>(),
            r.ProviderType, null, null);
    }
}

/// <summary>An invoice as Schematic's <c>InvoiceResponseData</c>.</summary>
public sealed record InvoiceResponse(
    string Id,
    string? ExternalId,
    string EnvironmentId,
    string? CompanyId,
    string CustomerExternalId,
    string? SubscriptionExternalId,
    string? PaymentMethodExternalId,
    string CollectionMethod,
    string Currency,
    long AmountDue,
    long AmountPaid,
    long AmountRemaining,
    long Subtotal,
    long StartingBalance,
    long EndingBalance,
    string? Status,
    DateTimeOffset? DueDate,
    string? Url,
    string ProviderType,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Describes a record.</summary>
    public static InvoiceResponse From(BillingInvoiceRecord r, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(
            r.Id, r.ExternalId, environmentId, r.CompanyId, r.CustomerExternalId, r.SubscriptionExternalId, r.PaymentMethodExternalId, r.CollectionMethod, r.Currency,
            r.AmountDue, r.AmountPaid, r.AmountRemaining, r.Subtotal, r.StartingBalance, r.EndingBalance, r.Status, r.DueDate, r.Url, r.ProviderType, r.CreatedAt, r.UpdatedAt);
    }
}

/// <summary>A payment method as Schematic's <c>PaymentMethodResponseData</c>.</summary>
public sealed record PaymentMethodResponse(
    string Id,
    string ExternalId,
    string EnvironmentId,
    string? CompanyId,
    string CustomerExternalId,
    string PaymentMethodType,
    string? CardBrand,
    string? CardLast4,
    long? CardExpMonth,
    long? CardExpYear,
    string? AccountLast4,
    string? AccountName,
    string? BankName,
    string? BillingEmail,
    string? BillingName,
    string ProviderType,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Describes a record.</summary>
    public static PaymentMethodResponse From(BillingPaymentMethodRecord r, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(
            r.Id, r.ExternalId, environmentId, r.CompanyId, r.CustomerExternalId, r.PaymentMethodType, r.CardBrand, r.CardLast4, r.CardExpMonth, r.CardExpYear,
            r.AccountLast4, r.AccountName, r.BankName, r.BillingEmail, r.BillingName, r.ProviderType, r.CreatedAt, r.UpdatedAt);
    }
}
