namespace Tollgate.Server.Billing.Push;

/// <summary>A coupon of a billing system (kind <c>billing_coupon</c>, key = the external id).</summary>
public sealed record BillingCouponRecord
{
    /// <summary>Tollgate's id (<c>bcpn_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The coupon's id in its billing system.</summary>
    public required string ExternalId { get; init; }

    /// <summary>The coupon's name.</summary>
    public required string Name { get; init; }

    /// <summary>The amount off (smallest currency unit); 0 for a percentage coupon.</summary>
    public long AmountOff { get; init; }

    /// <summary>The percentage off; 0 for an amount coupon.</summary>
    public double PercentOff { get; init; }

    /// <summary>The currency of <see cref="AmountOff"/>.</summary>
    public string? Currency { get; init; }

    /// <summary><c>once</c>, <c>repeating</c> or <c>forever</c>.</summary>
    public required string Duration { get; init; }

    /// <summary>Months a repeating coupon lasts.</summary>
    public long DurationInMonths { get; init; }

    /// <summary>How many times it may be redeemed (0: no limit).</summary>
    public long MaxRedemptions { get; init; }

    /// <summary>How many times it was redeemed.</summary>
    public long TimesRedeemed { get; init; }

    /// <summary>The billing system.</summary>
    public string ProviderType { get; init; } = BillingProviders.Pushed;

    /// <summary>When Tollgate first stored it.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When Tollgate last wrote it.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>An invoice of a billing system (kind <c>billing_invoice</c>, key = the external id when it has one, parent = the company).</summary>
public sealed record BillingInvoiceRecord
{
    /// <summary>Tollgate's id (<c>binv_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The invoice's id in its billing system, when given.</summary>
    public string? ExternalId { get; init; }

    /// <summary>The company billed, when its customer is linked to one.</summary>
    public string? CompanyId { get; init; }

    /// <summary>The customer billed.</summary>
    public required string CustomerExternalId { get; init; }

    /// <summary>The subscription invoiced.</summary>
    public string? SubscriptionExternalId { get; init; }

    /// <summary>The payment method charged.</summary>
    public string? PaymentMethodExternalId { get; init; }

    /// <summary><c>charge_automatically</c> or <c>send_invoice</c> (as pushed).</summary>
    public required string CollectionMethod { get; init; }

    /// <summary>Currency, lowercase.</summary>
    public required string Currency { get; init; }

    /// <summary>Amounts in the smallest currency unit.</summary>
    public long AmountDue { get; init; }

    /// <summary>Amount paid.</summary>
    public long AmountPaid { get; init; }

    /// <summary>Amount remaining.</summary>
    public long AmountRemaining { get; init; }

    /// <summary>Subtotal.</summary>
    public long Subtotal { get; init; }

    /// <summary>Customer balance before.</summary>
    public long StartingBalance { get; init; }

    /// <summary>Customer balance after.</summary>
    public long EndingBalance { get; init; }

    /// <summary>draft, open, paid, uncollectible or void.</summary>
    public string? Status { get; init; }

    /// <summary>When it is due.</summary>
    public DateTimeOffset? DueDate { get; init; }

    /// <summary>Where the customer sees it.</summary>
    public string? Url { get; init; }

    /// <summary>The billing system.</summary>
    public string ProviderType { get; init; } = BillingProviders.Pushed;

    /// <summary>When Tollgate first stored it.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When Tollgate last wrote it.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A payment method of a billing customer (kind <c>billing_payment_method</c>, key = the external id, parent = the company).</summary>
public sealed record BillingPaymentMethodRecord
{
    /// <summary>Tollgate's id (<c>bpm_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The method's id in its billing system.</summary>
    public required string ExternalId { get; init; }

    /// <summary>The customer it belongs to.</summary>
    public required string CustomerExternalId { get; init; }

    /// <summary>The company of that customer, when linked.</summary>
    public string? CompanyId { get; init; }

    /// <summary>card, us_bank_account, sepa_debit… (as pushed).</summary>
    public required string PaymentMethodType { get; init; }

    /// <summary>Card brand.</summary>
    public string? CardBrand { get; init; }

    /// <summary>Card's last four digits.</summary>
    public string? CardLast4 { get; init; }

    /// <summary>Card expiry month.</summary>
    public long? CardExpMonth { get; init; }

    /// <summary>Card expiry year.</summary>
    public long? CardExpYear { get; init; }

    /// <summary>Bank account's last four digits.</summary>
    public string? AccountLast4 { get; init; }

    /// <summary>Bank account holder.</summary>
    public string? AccountName { get; init; }

    /// <summary>Bank.</summary>
    public string? BankName { get; init; }

    /// <summary>Billing email.</summary>
    public string? BillingEmail { get; init; }

    /// <summary>Billing name.</summary>
    public string? BillingName { get; init; }

    /// <summary>The billing system.</summary>
    public string ProviderType { get; init; } = BillingProviders.Pushed;

    /// <summary>When Tollgate first stored it.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When Tollgate last wrote it.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
