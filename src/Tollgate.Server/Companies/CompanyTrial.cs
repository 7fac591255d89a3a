namespace Tollgate.Server.Companies;

/// <summary>
/// A trial Tollgate runs itself (no Stripe subscription behind it): the company is on <see cref="PlanId"/> until
/// <see cref="EndsAt"/>, when it moves to <see cref="ExpiryPlanId"/> unless converted first. Kept after it ends, with its
/// status, so answers can say how the last trial ended.
/// </summary>
public sealed record CompanyTrial
{
    /// <summary>The trial's subscription id (<c>bilsub_…</c>), which <c>/subscription/{id}/edit-trial-end</c> names.</summary>
    public required string SubscriptionId { get; init; }

    /// <summary>The plan being tried.</summary>
    public required string PlanId { get; init; }

    /// <summary>The plan the company was on before the trial.</summary>
    public string? PreviousPlanId { get; init; }

    /// <summary>The plan the company moves to when the trial expires (null: no base plan), fixed when the trial started.</summary>
    public string? ExpiryPlanId { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ends (or ended).</summary>
    public required DateTimeOffset EndsAt { get; init; }

    /// <summary><c>active</c>, <c>converted</c> or <c>expired</c> (Schematic's <c>TrialStatus</c>).</summary>
    public required string Status { get; init; }

    /// <summary>The payment method the trial started with, if any.</summary>
    public string? PaymentMethodExternalId { get; init; }

    /// <summary>When it was converted or expired.</summary>
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>Values of a trial's status (Schematic's <c>TrialStatus</c>).</summary>
public static class TrialStatuses
{
    /// <summary>Running.</summary>
    public const string Active = "active";

    /// <summary>Ended by converting to paid; the company kept the plan.</summary>
    public const string Converted = "converted";

    /// <summary>Ended at its end instant without converting; the company moved to the expiry plan.</summary>
    public const string Expired = "expired";
}
