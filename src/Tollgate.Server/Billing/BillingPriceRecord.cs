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

    /// <summary>When Tollgate last wrote it.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
