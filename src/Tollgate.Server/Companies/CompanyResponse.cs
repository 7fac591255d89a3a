using System.Text.Json;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Companies;

/// <summary>
/// A company in Schematic's shape (<c>CompanyDetailResponseData</c>, the fields Tollgate has), with Tollgate's own
/// (<c>base_plan_id</c>, <c>add_on_ids</c>, <c>plan_version_ids</c>, <c>scheduled_plan_versions</c>,
/// <c>subscription</c>; <c>billing_subscription</c> is its Stripe subscription, as Schematic names it). The name is empty, not null, when none was given (a string in Schematic). Lists Tollgate does not fill yet (<c>metrics</c>, billing) are empty, never null. Built by
/// <see cref="EntityDescriber"/>.
/// </summary>
public sealed record CompanyResponse(
    string Id,
    string Name,
    string EnvironmentId,
    IReadOnlyList<EntityKeyResponse> Keys,
    IReadOnlyDictionary<string, JsonElement> Traits,
    IReadOnlyList<EntityTraitResponse> EntityTraits,
    CompanyPlanResponse? Plan,
    IReadOnlyList<PreviewResponse> Plans,
    IReadOnlyList<CompanyPlanResponse> AddOns,
    IReadOnlyList<EntitlementResponse> Entitlements,
    IReadOnlyList<RuleResponse> Rules,
    IReadOnlyList<Usage.MetricResponse> Metrics,
    long UserCount,
    string? LogoUrl,
    IReadOnlyList<object> BillingSubscriptions,
    CompanyBillingSubscriptionResponse? BillingSubscription,
    IReadOnlyList<object> PaymentMethods,
    IReadOnlyList<object> CustomPlanBillings,
    string? BasePlanId,
    IReadOnlyList<string> AddOnIds,
    IReadOnlyList<string> PlanVersionIds,
    IReadOnlyList<ScheduledPlanVersion> ScheduledPlanVersions,
    SubscriptionPeriod? Subscription,
    ScheduledDowngradeResponse? ScheduledDowngrade,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSeenAt);
