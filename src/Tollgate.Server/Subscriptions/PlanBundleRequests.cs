using Tollgate.Server.Catalog;

namespace Tollgate.Server.Subscriptions;

/// <summary>
/// Body of <c>POST /plan-bundles</c>, <c>PUT /plan-bundles/{plan_id}</c> and <c>POST /custom-plan-bundles</c>: a plan,
/// its price and its entitlement changes in one request.
/// </summary>
public sealed record PlanBundleRequest(
    PlanBundlePlanRequest? Plan,
    PlanBillingRequest? BillingProduct,
    IReadOnlyList<PlanBundleEntitlementRequest?>? Entitlements,
    IReadOnlyList<System.Text.Json.JsonElement>? CreditGrants,
    string? PlanVersionId);

/// <summary>The plan of a bundle (<c>company_id</c> only for a custom plan bundle).</summary>
public sealed record PlanBundlePlanRequest(string? Name, string? Description, string? PlanType, string? Icon, string? CompanyId);

/// <summary>One entitlement change: <c>create</c> with <c>req</c>, <c>update</c> with <c>entitlement_id</c> and <c>req</c>, <c>delete</c> with <c>entitlement_id</c>.</summary>
public sealed record PlanBundleEntitlementRequest(string? Action, string? EntitlementId, GrantRequest? Req);
