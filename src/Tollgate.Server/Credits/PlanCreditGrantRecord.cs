namespace Tollgate.Server.Credits;

/// <summary>
/// A plan's credit grant (Schematic's <c>BillingPlanCreditGrantResponseData</c>): every company on the plan receives
/// <see cref="CreditAmount"/> credits at the start of each period; with <c>reset_type</c> <c>plan_period</c> (the
/// default) they expire when the period ends.
/// </summary>
public sealed record PlanCreditGrantRecord
{
    /// <summary>The id (<c>bcpg_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The plan.</summary>
    public required string PlanId { get; init; }

    /// <summary>The plan's name when the grant was written.</summary>
    public string PlanName { get; init; } = string.Empty;

    /// <summary>The plan version, if the grant was made for one (informational).</summary>
    public string? PlanVersionId { get; init; }

    /// <summary>The credit type.</summary>
    public required string CreditId { get; init; }

    /// <summary>The credit type's name when the grant was written.</summary>
    public string CreditName { get; init; } = string.Empty;

    /// <summary>Credits per period.</summary>
    public double CreditAmount { get; init; }

    /// <summary>Credits per period for each company (the same as <see cref="CreditAmount"/>).</summary>
    public double CompanyCreditAmount { get; init; }

    /// <summary><c>daily</c>, <c>weekly</c>, <c>monthly</c>, <c>quarterly</c>, <c>every_6_months</c> or <c>yearly</c>.</summary>
    public string ResetCadence { get; init; } = "monthly";

    /// <summary><c>first_of_month</c> (calendar periods) or <c>billing_period</c> (anchored on the company's subscription).</summary>
    public string ResetStart { get; init; } = "first_of_month";

    /// <summary><c>plan_period</c> (credits expire when the period ends) or <c>no_reset</c> (they do not expire).</summary>
    public string ResetType { get; init; } = "plan_period";

    /// <summary>Whether the balance may go below zero.</summary>
    public bool PostpaidEnabled { get; init; }

    /// <summary>How far below zero, when postpaid; null: without limit.</summary>
    public double? OverdraftLimit { get; init; }

    /// <summary>
    /// <c>granted</c> (given with the plan), or <c>billed</c> when postpaid (usage past the balance is billed). Derived,
    /// so grants stored by earlier versions (which wrote <c>prepaid</c>/<c>postpaid</c>) answer Schematic's values.
    /// </summary>
    public string BillingMode => PostpaidEnabled ? "billed" : "granted";

    /// <summary>
    /// Percentage (0–100) of the credits this grant gave in a period (and carried into it) that are unused when the
    /// period ends and carry over into the next one as a <c>rollover</c> grant expiring with that period. Only with
    /// <c>reset_type</c> <c>plan_period</c>.
    /// </summary>
    public double RolloverPercentage { get; init; }

    /// <summary><c>off</c>, <c>automatic</c> (every company on the plan is topped up) or <c>user_controlled</c> (stored; not applied).</summary>
    public string AutoTopupAvailability { get; init; } = "off";

    /// <summary>Whether companies on the plan are topped up (<c>auto_topup_availability</c> <c>automatic</c>).</summary>
    public bool AutoTopupEnabled { get; init; }

    /// <summary>Whether the company decides (<c>auto_topup_availability</c> <c>user_controlled</c>).</summary>
    public bool AutoTopupSelfService { get; init; }

    /// <summary>Credits added by one top-up.</summary>
    public double? AutoTopupAmount { get; init; }

    /// <summary>Always <c>credit</c>: the amount counts credits.</summary>
    public string? AutoTopupAmountType { get; init; }

    /// <summary>A top-up is due when the balance falls below this many credits.</summary>
    public double? AutoTopupThresholdCredits { get; init; }

    /// <summary>…or below this percentage of <see cref="CreditAmount"/>.</summary>
    public double? AutoTopupThresholdPercent { get; init; }

    /// <summary>How top-up credits expire (<c>no_expiry</c> when null).</summary>
    public string? AutoTopupExpiryType { get; init; }

    /// <summary><c>days</c> or <c>billing_periods</c>.</summary>
    public string? AutoTopupExpiryUnit { get; init; }

    /// <summary>How many expiry units, for <c>duration</c>.</summary>
    public int? AutoTopupExpiryUnitCount { get; init; }

    /// <summary>Whether companies on the plan may buy credit bundles (stored for the components).</summary>
    public bool CanBuyBundles { get; init; }

    /// <summary>Tollgate keeps no price tiers on a plan grant.</summary>
    public IReadOnlyList<object> PriceTiers { get; init; } = [];

    /// <summary>Always <c>fixed</c>: the same credits for every company.</summary>
    public string Scaling { get; init; } = "fixed";

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
