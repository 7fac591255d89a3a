using Tollgate.Server.Companies;

namespace Tollgate.Server.Subscriptions;

/// <summary>Schematic's <c>PlanChangeResponseData</c>: a plan change, with the company it changed.</summary>
public sealed record PlanChangeResponse(
    string Id,
    string EnvironmentId,
    string CompanyId,
    CompanySummary? Company,
    string Action,
    string ActorType,
    string? BasePlanAction,
    string? SubscriptionChangeAction,
    PlanSnapshotResponse? BasePlan,
    PlanVersionSnapshot? BasePlanVersion,
    PlanSnapshotResponse? PreviousBasePlan,
    PlanVersionSnapshot? PreviousBasePlanVersion,
    IReadOnlyList<PlanSnapshotResponse> AddOnsAdded,
    IReadOnlyList<PlanSnapshotResponse> AddOnsRemoved,
    bool IsVersionUpgrade,
    IReadOnlyList<object> TraitsUpdated,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static PlanChangeResponse From(PlanChangeRecord change, string environmentId, CompanyRecord? company) => new(
        change.Id,
        environmentId,
        change.CompanyId,
        company is null ? null : new CompanySummary(company.Id, environmentId, company.Name ?? string.Empty, company.CreatedAt, company.UpdatedAt, company.LastSeenAt, null),
        change.Action,
        change.ActorType,
        change.BasePlanAction,
        change.SubscriptionChangeAction,
        PlanSnapshotResponse.Of(change.BasePlan, company),
        change.BasePlanVersion,
        PlanSnapshotResponse.Of(change.PreviousBasePlan, company),
        change.PreviousBasePlanVersion,
        [.. change.AddOnsAdded.Select(p => PlanSnapshotResponse.Of(p, company)!)],
        [.. change.AddOnsRemoved.Select(p => PlanSnapshotResponse.Of(p, company)!)],
        change.BasePlan is not null && change.BasePlan.Id == change.PreviousBasePlan?.Id && change.BasePlanVersion?.Id != change.PreviousBasePlanVersion?.Id,
        [],
        change.CreatedAt,
        change.CreatedAt);
}

/// <summary>Schematic's <c>CompanyResponseData</c>.</summary>
public sealed record CompanySummary(string Id, string EnvironmentId, string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastSeenAt, string? LogoUrl);

/// <summary>Schematic's <c>PlanSnapshotView</c>; <c>deleted</c> is not tracked (false).</summary>
public sealed record PlanSnapshotResponse(string Id, string Name, string Description, string Icon, bool Deleted)
{
    internal static PlanSnapshotResponse? Of(PlanSnapshot? plan, CompanyRecord? company) =>
        plan is null ? null : new(plan.Id, plan.Name, plan.Description, string.Empty, false);
}

/// <summary>Schematic's <c>CustomPlanBillingResponseData</c>.</summary>
public sealed record CustomPlanBillingResponse(
    string Id,
    string CompanyId,
    string PlanId,
    string ActivationStrategy,
    string PlanBillingSource,
    string Status,
    long DaysUntilDue,
    bool SendInvoice,
    DateTimeOffset? BillingCycleAnchor,
    bool? ProrateFirstPeriod,
    string? ExternalInvoiceId,
    string? StripeInvoiceUrl,
    DateTimeOffset? PaidAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static CustomPlanBillingResponse From(CustomPlanBillingRecord b) => new(
        b.Id, b.CompanyId, b.PlanId, b.ActivationStrategy, b.PlanBillingSource, b.Status, b.DaysUntilDue, b.SendInvoice, b.BillingCycleAnchor, b.ProrateFirstPeriod, null, null,
        b.PaidAt, b.PublishedAt, b.CreatedAt, b.UpdatedAt);
}

/// <summary>Schematic's <c>PlanTraitResponseData</c>.</summary>
public sealed record PlanTraitResponse(
    string Id, string AccountId, string EnvironmentId, string PlanId, string PlanType, string TraitId, string TraitValue, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Schematic's <c>BillingProductPlanResponseData</c>.</summary>
public sealed record BillingProductPlanResponse(
    string AccountId,
    string EnvironmentId,
    string PlanId,
    string BillingProductId,
    string BillingStrategy,
    string ChargeType,
    string ControlledBy,
    bool IsTrialable,
    long? TrialDays,
    string? MonthlyPriceId,
    string? YearlyPriceId,
    string? OneTimePriceId)
{
    internal static BillingProductPlanResponse From(PlanBillingRecord b, string environmentId) => new(
        environmentId, environmentId, b.PlanId, b.BillingProductId, b.BillingStrategy, b.ChargeType, "schematic", b.IsTrialable, b.TrialDays, b.MonthlyPriceId, b.YearlyPriceId, b.OneTimePriceId);
}

/// <summary>Schematic's <c>ManagePlanResponseResponseData</c>.</summary>
public sealed record ManagePlanResponse(CompanyResponse? Company, bool Success);

/// <summary>Schematic's <c>ManagePlanPreviewResponseResponseData</c>.</summary>
public sealed record ManagePlanPreviewResponse(SubscriptionChangePreview? SubscriptionChangePreview);

/// <summary>
/// Schematic's <c>PreviewSubscriptionChangeResponseData</c>. Tollgate charges nothing itself, so nothing is due now and
/// no proration is computed; <c>new_charges</c> is the new plan's monthly price when the change is made at once.
/// </summary>
public sealed record SubscriptionChangePreview(
    long AmountOff,
    long DueNow,
    bool IsScheduledDowngrade,
    long NewCharges,
    bool OptInRequired,
    bool PaymentMethodRequired,
    long PercentOff,
    DateTimeOffset PeriodStart,
    bool PromoCodeApplied,
    long Proration,
    DateTimeOffset? ScheduledChangeTime,
    DateTimeOffset? TrialEnd,
    IReadOnlyList<object> UsageViolations);

/// <summary>Schematic's <c>DuplicatePlanEntitlementsResponseResponseData</c>.</summary>
public sealed record DuplicateEntitlementsResponse(IReadOnlyList<Catalog.PlanEntitlementResponse> Data, IReadOnlyList<PlanIssueResponse> Issues, IReadOnlyList<SkippedEntitlementResponse> Skipped);

/// <summary>Schematic's <c>PlanIssueResponseData</c>.</summary>
public sealed record PlanIssueResponse(string Code, string Description, string? Detail, string? Id);

/// <summary>Schematic's <c>SkippedEntitlementResponseData</c>.</summary>
public sealed record SkippedEntitlementResponse(string EntitlementId, string FeatureId, string FeatureName, IReadOnlyList<SkippedEntitlementError> Errors);

/// <summary>Schematic's <c>SkippedEntitlementErrorResponseData</c>.</summary>
public sealed record SkippedEntitlementError(string Message);
