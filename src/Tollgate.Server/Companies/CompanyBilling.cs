namespace Tollgate.Server.Companies;

/// <summary>
/// A company's billing state as Stripe last showed it: the customer, the subscription followed (the newest one that is
/// not ended), its status, items, trial and cancellation. Written by the Stripe sync or a push from another billing system; its plans, seats and
/// period are derived from it into the company's plan fields.
/// </summary>
public sealed record CompanyBilling
{
    /// <summary>The Stripe customer (<c>cus_…</c>).</summary>
    public required string CustomerId { get; init; }

    /// <summary>
    /// The billing system of the customer and subscription: null for Stripe (the sync's), else the provider that pushed
    /// them through <c>/billing/*/upsert</c> (<c>orb</c>, <c>metronome</c>, <c>schematic</c>); the Stripe connector
    /// leaves those alone.
    /// </summary>
    public string? Provider { get; init; }

    /// <summary>The subscription followed, if any (<c>sub_…</c>).</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>Stripe's subscription status: trialing, active, past_due, canceled, unpaid, incomplete, incomplete_expired, paused.</summary>
    public string? Status { get; init; }

    /// <summary>The subscription's items.</summary>
    public IReadOnlyList<CompanyBillingItem> Items { get; init; } = [];

    /// <summary>When the trial ends (while <c>trialing</c>).</summary>
    public DateTimeOffset? TrialEnd { get; init; }

    /// <summary>True when the subscription ends at the end of the current period.</summary>
    public bool CancelAtPeriodEnd { get; init; }

    /// <summary>When the subscription is set to end.</summary>
    public DateTimeOffset? CancelAt { get; init; }

    /// <summary>When it was canceled.</summary>
    public DateTimeOffset? CanceledAt { get; init; }

    /// <summary>The base plan item's quantity.</summary>
    public long? Seats { get; init; }

    /// <summary>The current billing period's start (from the items).</summary>
    public DateTimeOffset? PeriodStart { get; init; }

    /// <summary>The current billing period's end (from the items).</summary>
    public DateTimeOffset? PeriodEnd { get; init; }

    /// <summary>When Tollgate last read this state from Stripe.</summary>
    public DateTimeOffset SyncedAt { get; init; }
}

/// <summary>One item of a subscription: a price (of a product) and its quantity.</summary>
public sealed record CompanyBillingItem(string ItemId, string PriceId, string ProductId, long? Quantity);
