namespace Tollgate.Server.Subscriptions;

/// <summary>
/// Body of <c>POST /manage-plan</c> and <c>/manage-plan/preview</c> (Schematic's <c>ManagePlanRequest</c>; the fields
/// Tollgate acts on). Without <c>base_plan_id</c> the company keeps its base plan; <c>add_on_selections</c> is the whole
/// list of add-ons it will have.
/// </summary>
public sealed record ManagePlanRequest(
    string? CompanyId,
    string? BasePlanId,
    string? BasePlanVersionId,
    IReadOnlyList<PlanSelectionRequest?>? AddOnSelections,
    bool? SendInvoice,
    bool? ActivateOnPayment,
    long? DaysUntilDue,
    DateTimeOffset? BillingCycleAnchor,
    bool? ProrateFirstPeriod);

/// <summary>One add-on of <see cref="ManagePlanRequest"/>.</summary>
public sealed record PlanSelectionRequest(string? PlanId, string? VersionId, string? PriceId);

/// <summary>Body of <c>POST /manage-plan/subscription/cancel</c>.</summary>
public sealed record CancelSubscriptionRequest(string? CompanyId, bool? CancelImmediately, bool? Prorate);

/// <summary>Body of <c>PUT /custom-plan-billings/{id}/retry</c>.</summary>
public sealed record RetryCustomPlanBillingRequest(
    string? CustomerEmail, string? ActivationStrategy, long? DaysUntilDue, bool? SendInvoice, DateTimeOffset? BillingCycleAnchor, bool? ProrateFirstPeriod);
