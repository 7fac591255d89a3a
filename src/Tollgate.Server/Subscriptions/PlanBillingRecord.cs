namespace Tollgate.Server.Subscriptions;

/// <summary>
/// How a plan is sold when no billing provider decides it (Schematic's <c>PUT /plans/{id}/billing_products</c>): its
/// prices in the currency's smallest unit. Stored as <c>plan_billing</c> with id <c>pbil_{plan id}</c> and the plan id as key.
/// These prices tell an upgrade from a downgrade in manage-plan.
/// </summary>
public sealed record PlanBillingRecord
{
    /// <summary><c>pbil_</c> and the plan id.</summary>
    public required string Id { get; init; }

    /// <summary>The plan priced.</summary>
    public required string PlanId { get; init; }

    /// <summary>The billing product named by the request, or the record's own id.</summary>
    public required string BillingProductId { get; init; }

    /// <summary><c>schematic_managed</c>, <c>provider_managed</c> or <c>no_billing</c>.</summary>
    public string BillingStrategy { get; init; } = "schematic_managed";

    /// <summary><c>free</c>, <c>none</c>, <c>one_time</c> or <c>recurring</c>.</summary>
    public string ChargeType { get; init; } = "recurring";

    /// <summary>Lowercase ISO currency.</summary>
    public string Currency { get; init; } = "usd";

    /// <summary>Monthly price.</summary>
    public long? MonthlyPrice { get; init; }

    /// <summary>Yearly price.</summary>
    public long? YearlyPrice { get; init; }

    /// <summary>One-time price.</summary>
    public long? OneTimePrice { get; init; }

    /// <summary>The provider's price ids, when given.</summary>
    public string? MonthlyPriceId { get; init; }

    /// <summary>The provider's yearly price id, when given.</summary>
    public string? YearlyPriceId { get; init; }

    /// <summary>The provider's one-time price id, when given.</summary>
    public string? OneTimePriceId { get; init; }

    /// <summary>As sent; trials themselves are run by the plan-group settings.</summary>
    public bool IsTrialable { get; init; }

    /// <summary>As sent.</summary>
    public long? TrialDays { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The monthly equivalent (a yearly price over 12), or null when the plan has no recurring price.</summary>
    public long? MonthlyEquivalent => ChargeType == "free" ? 0 : MonthlyPrice ?? (YearlyPrice is { } yearly ? yearly / 12 : null);
}
