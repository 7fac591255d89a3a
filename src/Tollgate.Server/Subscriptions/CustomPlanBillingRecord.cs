namespace Tollgate.Server.Subscriptions;

/// <summary>
/// An invoiced plan assignment (Schematic's custom plan billing): made by <c>POST /manage-plan</c> with
/// <c>send_invoice</c>. With <c>on_payment</c> the plans it carries are given to the company when it is marked paid;
/// with <c>on_publish</c> they were given at once. Stored as <c>custom_plan_billing</c>, parent the company.
/// </summary>
public sealed record CustomPlanBillingRecord
{
    /// <summary><c>cpb_…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The company billed.</summary>
    public required string CompanyId { get; init; }

    /// <summary>The base plan billed.</summary>
    public required string PlanId { get; init; }

    /// <summary>The version of it the company gets.</summary>
    public string? PlanVersionId { get; init; }

    /// <summary>The add-ons the company gets with it.</summary>
    public IReadOnlyList<string> AddOnIds { get; init; } = [];

    /// <summary><c>custom_plan</c> for a custom plan, else <c>manage_plan</c>.</summary>
    public required string PlanBillingSource { get; init; }

    /// <summary><c>on_payment</c> or <c>on_publish</c>.</summary>
    public required string ActivationStrategy { get; init; }

    /// <summary><c>pending</c>, <c>active</c>, <c>paid</c> or <c>expired</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Days the invoice gives to pay.</summary>
    public long DaysUntilDue { get; init; }

    /// <summary>Whether an invoice is sent.</summary>
    public bool SendInvoice { get; init; }

    /// <summary>Where the invoice goes, when given (retry).</summary>
    public string? CustomerEmail { get; init; }

    /// <summary>The renewal date pinned, when given.</summary>
    public DateTimeOffset? BillingCycleAnchor { get; init; }

    /// <summary>Whether the first short period is billed pro rata.</summary>
    public bool? ProrateFirstPeriod { get; init; }

    /// <summary>When the plans were given to the company.</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>When it was marked paid.</summary>
    public DateTimeOffset? PaidAt { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
