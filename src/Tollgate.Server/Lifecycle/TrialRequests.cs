namespace Tollgate.Server.Lifecycle;

/// <summary>
/// Body of <c>POST /companies/{company_id}/trial</c> (Tollgate's; Schematic starts trials through checkout): the plan to
/// try, and either <c>trial_end</c> or <c>trial_days</c> (default: the plan group's <c>trial_days</c>).
/// </summary>
internal sealed record StartTrialRequest(string? PlanId, DateTimeOffset? TrialEnd, int? TrialDays, string? PaymentMethodExternalId);

/// <summary>Body of <c>PUT /subscription/{subscription_id}/edit-trial-end</c> (Schematic's <c>UpdateTrialEndRequestBody</c>).</summary>
internal sealed record UpdateTrialEndRequest(string? TrialEnd);
