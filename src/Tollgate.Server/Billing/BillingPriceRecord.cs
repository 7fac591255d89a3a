namespace Tollgate.Server.Billing;

/// <summary>
/// A Stripe price as Tollgate knows it and the plan version it belongs to: monthly or yearly, flat or per seat
/// (licensed, quantity = seats), or metered (usage reported through a billing meter).
/// </summary>
public sealed record BillingPriceRecord
{
    /// <summary>Stripe's price id (<c>price_…</c>); also the resource id.</summary>
    public required string Id { get; init; }

    /// <summary>The Stripe product it prices (the resource's parent).</summary>
    public required string ProductId { get; init; }

    /// <summary>False when archived in Stripe.</summary>
    public bool Active { get; init; } = true;

    /// <summary>Three-letter ISO currency, lowercase.</summary>
    public string Currency { get; init; } = "usd";

    /// <summary>Amount per unit in the currency's smallest unit; null for tiered or custom prices.</summary>
    public long? UnitAmount { get; init; }

    /// <summary><c>day</c>, <c>week</c>, <c>month</c> or <c>year</c>; null for a one-time price.</summary>
    public string? Interval { get; init; }

    /// <summary>Intervals between bills (1 = every month for a monthly price).</summary>
    public long IntervalCount { get; init; } = 1;

    /// <summary><c>licensed</c> (quantity billed in advance) or <c>metered</c> (usage reported); null for one-time.</summary>
    public string? UsageType { get; init; }

    /// <summary>The billing meter of a metered price.</summary>
    public string? MeterId { get; init; }

    /// <summary>Stripe's lookup key, when set.</summary>
    public string? LookupKey { get; init; }

    /// <summary>The Tollgate plan version this price belongs to; null: the product's plan decides.</summary>
    public string? PlanVersionId { get; init; }

    /// <summary>True when <see cref="PlanVersionId"/> was set by hand (<c>PUT /billing/prices/{id}</c>): a sync never changes it then.</summary>
    public bool PlanVersionMappedManually { get; init; }

    /// <summary>The price's metadata in Stripe.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The billing system it comes from: <c>stripe</c> (the sync), or the provider that pushed it.</summary>
    public string ProviderType { get; init; } = BillingProviders.Stripe;

    /// <summary><c>per_unit</c> or <c>tiered</c>.</summary>
    public string BillingScheme { get; init; } = "per_unit";

    /// <summary><c>graduated</c> or <c>volume</c> for a tiered price.</summary>
    public string? TiersMode { get; init; }

    /// <summary>The tiers of a tiered price, in order.</summary>
    public IReadOnlyList<BillingPriceTierRecord> Tiers { get; init; } = [];

    /// <summary>Units per package (1 unless the push said otherwise).</summary>
    public long PackageSize { get; init; } = 1;

    /// <summary>The price's nickname.</summary>
    public string? Nickname { get; init; }

    /// <summary>The unit price with decimals, as pushed.</summary>
    public string? PriceDecimal { get; init; }

    /// <summary>When Tollgate first wrote it (null for prices stored before this was recorded).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When Tollgate last wrote it.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One tier of a tiered price: up to <see cref="UpTo"/> units (null: the rest), a flat amount and a unit price.</summary>
public sealed record BillingPriceTierRecord(long? UpTo, long? FlatAmount, long? PerUnitPrice, string? PerUnitDecimal);
