using System.Text.Json;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// A subscription pushed through <c>POST /billing/subscription/upsert</c> as its billing system described it (resource
/// kind <c>billing_subscription</c>, key = the external id, parent = the company). What decides the company's plans is
/// the company's billing state, written from it through the same path as a Stripe subscription; this record keeps the
/// fields that state has no place for (totals, discounts, metadata) so the answers can show them.
/// </summary>
public sealed record BillingSubscriptionRecord
{
    /// <summary>Tollgate's id (<c>bsub_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The subscription's id in its billing system.</summary>
    public required string ExternalId { get; init; }

    /// <summary>The company it bills.</summary>
    public required string CompanyId { get; init; }

    /// <summary>The customer's id in the billing system.</summary>
    public required string CustomerExternalId { get; init; }

    /// <summary>The billing system.</summary>
    public string ProviderType { get; init; } = BillingProviders.Pushed;

    /// <summary>Stripe's status vocabulary (active, trialing, past_due, canceled…).</summary>
    public string Status { get; init; } = "active";

    /// <summary>Three-letter currency, lowercase.</summary>
    public string Currency { get; init; } = "usd";

    /// <summary>The billing interval as pushed (empty when none).</summary>
    public string Interval { get; init; } = "";

    /// <summary>The total per period, smallest currency unit.</summary>
    public long TotalPrice { get; init; }

    /// <summary>The current period.</summary>
    public DateTimeOffset? PeriodStart { get; init; }

    /// <summary>The current period's end.</summary>
    public DateTimeOffset? PeriodEnd { get; init; }

    /// <summary>When the trial ends.</summary>
    public DateTimeOffset? TrialEnd { get; init; }

    /// <summary><c>cancel</c> or <c>subscribe</c> at the trial's end.</summary>
    public string? TrialEndSetting { get; init; }

    /// <summary>When it is set to end.</summary>
    public DateTimeOffset? CancelAt { get; init; }

    /// <summary>True when it ends at the period's end.</summary>
    public bool CancelAtPeriodEnd { get; init; }

    /// <summary>When it expired (or expires), as pushed.</summary>
    public DateTimeOffset? ExpiredAt { get; init; }

    /// <summary>When it started, as pushed.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The application id the billing system gave.</summary>
    public string? ApplicationId { get; init; }

    /// <summary>The default payment method.</summary>
    public string? DefaultPaymentMethodId { get; init; }

    /// <summary>The subscription's metadata.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Metadata { get; init; }

    /// <summary>Its discounts.</summary>
    public IReadOnlyList<BillingSubscriptionDiscountRecord> Discounts { get; init; } = [];

    /// <summary>When Tollgate first stored it.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When Tollgate last wrote it.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A discount on a pushed subscription.</summary>
public sealed record BillingSubscriptionDiscountRecord(
    string ExternalId, string CouponExternalId, string? CustomerFacingCode, string? PromoCodeExternalId, bool IsActive, DateTimeOffset StartedAt, DateTimeOffset? EndedAt);
