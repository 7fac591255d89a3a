namespace Tollgate.Server.Billing;

/// <summary>
/// A Stripe product as Tollgate knows it (imported, followed by webhooks, or pushed from a plan), and the Tollgate plan
/// it sells. A subscription item's product decides the company's plan when its price names no plan version.
/// </summary>
public sealed record BillingProductRecord
{
    /// <summary>Stripe's product id (<c>prod_…</c>); also the resource id.</summary>
    public required string Id { get; init; }

    /// <summary>The product's name in Stripe.</summary>
    public required string Name { get; init; }

    /// <summary>False when archived in Stripe, or deleted there (<see cref="Deleted"/>).</summary>
    public bool Active { get; init; } = true;

    /// <summary>True when Stripe deleted it.</summary>
    public bool Deleted { get; init; }

    /// <summary>The Tollgate plan (or add-on) this product sells; null when not mapped yet.</summary>
    public string? PlanId { get; init; }

    /// <summary>True when <see cref="PlanId"/> was set by hand (<c>PUT /billing/products/{id}</c>): a sync never changes it then.</summary>
    public bool PlanMappedManually { get; init; }

    /// <summary>The product's metadata in Stripe.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The billing system it comes from: <c>stripe</c> (the sync), or the provider that pushed it.</summary>
    public string ProviderType { get; init; } = BillingProviders.Stripe;

    /// <summary>The price a push gave the product (smallest currency unit); 0 for Stripe's (prices are separate there).</summary>
    public long Price { get; init; }

    /// <summary>When Stripe created it.</summary>
    public DateTimeOffset? StripeCreatedAt { get; init; }

    /// <summary>When Tollgate last wrote it.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
