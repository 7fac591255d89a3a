namespace Tollgate.Server.Catalog;

/// <summary>
/// The fields <c>PlanDetailResponseData</c> requires that Tollgate's plans do not hold yet, answered as Schematic
/// answers them for a plan without billing, icon, credits or default-plan settings. Whoever gives plans these settings
/// (plan groups, trials, billing) replaces the matching property here.
/// </summary>
public sealed partial record PlanResponse
{
    /// <summary>No billing provider decides this plan's price.</summary>
    public string BillingStrategy { get; init; } = "no_billing";

    /// <summary>No charge is attached.</summary>
    public string ChargeType { get; init; } = "none";

    /// <summary>Tollgate (as Schematic) controls the plan.</summary>
    public string ControlledBy { get; init; } = "schematic";

    /// <summary>The plan's icon (Schematic's default).</summary>
    public string Icon { get; init; } = "gray";

    /// <summary>Credits the plan sells: none.</summary>
    public IReadOnlyList<object> Credits { get; init; } = [];

    /// <summary>Prices per currency: none.</summary>
    public IReadOnlyList<object> CurrencyPrices { get; init; } = [];

    /// <summary>Features as Schematic lists them on a plan: not listed (see <c>/plan-entitlements?plan_id=</c>).</summary>
    public IReadOnlyList<object> Features { get; init; } = [];

    /// <summary>Whether new companies get it: set by plan groups.</summary>
    public bool IsDefault { get; init; }

    /// <summary>Whether it can be trialled: set by plan groups.</summary>
    public bool IsTrialable { get; init; }
}

/// <summary>The plan's icon on each of its versions, as <c>PlanVersionResponseData</c> requires.</summary>
public sealed partial record PlanVersionResponse
{
    /// <summary>The plan's icon (Schematic's default).</summary>
    public string Icon { get; init; } = "gray";
}
