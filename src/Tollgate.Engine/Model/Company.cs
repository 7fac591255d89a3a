namespace Tollgate.Engine.Model;

/// <summary>A company as the engine sees it (spec §3.1).</summary>
public sealed record Company
{
    /// <summary>The company's id (<c>comp_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The account that owns the company.</summary>
    public required string AccountId { get; init; }

    /// <summary>The environment the company lives in.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>The keys that identify the company.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; init; } = EmptyMaps.Strings;

    /// <summary>The company's traits.</summary>
    public IReadOnlyList<Trait> Traits { get; init; } = [];

    /// <summary>The company's base plan.</summary>
    public string? BasePlanId { get; init; }

    /// <summary>The base plan and add-ons.</summary>
    public IReadOnlyList<string> PlanIds { get; init; } = [];

    /// <summary>The versions of those plans.</summary>
    public IReadOnlyList<string> PlanVersionIds { get; init; } = [];

    /// <summary>The billing products the company subscribes to.</summary>
    public IReadOnlyList<string> BillingProductIds { get; init; } = [];

    /// <summary>Credit balances by credit id.</summary>
    public IReadOnlyDictionary<string, double> CreditBalances { get; init; } = EmptyMaps.Doubles;

    /// <summary>Postpaid settings by credit id.</summary>
    public IReadOnlyDictionary<string, CreditPostpaid> CreditPostpaid { get; init; } = EmptyMaps.Postpaid;

    /// <summary>Usage metrics.</summary>
    public IReadOnlyList<CompanyMetric> Metrics { get; init; } = [];

    /// <summary>The current billing period, which anchors billing-cycle resets.</summary>
    public Subscription? Subscription { get; init; }

    /// <summary>Rules delivered with the company (overrides); only those whose flag id is the checked flag's take part.</summary>
    public IReadOnlyList<Rule> Rules { get; init; } = [];

    /// <summary>The company's entitlements, echoed by a check of the matching flag.</summary>
    public IReadOnlyList<FeatureEntitlement> Entitlements { get; init; } = [];
}
