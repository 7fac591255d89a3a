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
    /// Schematic's <c>billing_mode</c>: <c>granted</c> (the plan gives the credits) or <c>billed</c>. Tollgate's plan
    /// grants are given, never billed; grants stored before this field meant prepaid or postpaid here, which
    /// <see cref="PostpaidEnabled"/> holds, so anything but <c>billed</c> reads as <c>granted</c>.
    /// </summary>
    public string BillingMode
    {
        get => _billingMode == "billed" ? "billed" : "granted";
        init => _billingMode = value;
    }

    private readonly string? _billingMode;

    /// <summary>Automatic top-up is not offered on plan grants: <c>off</c>.</summary>
    public string AutoTopupAvailability { get; init; } = "off";

    /// <summary>No automatic top-up.</summary>
    public bool AutoTopupEnabled { get; init; }

    /// <summary>Companies cannot set up a top-up themselves.</summary>
    public bool AutoTopupSelfService { get; init; }

    /// <summary>No credit bundles to buy from the plan.</summary>
    public bool CanBuyBundles { get; init; }

    /// <summary>Price tiers of a billed grant: none, grants are not billed.</summary>
    public IReadOnlyList<object> PriceTiers { get; init; } = [];

    /// <summary>Schematic's <c>scaling</c>: the amount is fixed per company, not per license.</summary>
    public string Scaling { get; init; } = "fixed";

    /// <summary>Share of unused credits carried to the next period (not applied yet: always 0).</summary>
    public double RolloverPercentage { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
