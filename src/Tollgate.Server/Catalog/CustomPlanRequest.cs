namespace Tollgate.Server.Catalog;

/// <summary>
/// Body of <c>POST /custom-plans</c> (Schematic's <c>CreateCustomPlanRequestBody</c>): a plan for one company, its
/// entitlements copied from <c>copied_from_plan_id</c>'s published version when given.
/// </summary>
public sealed record CustomPlanRequest(string? CompanyId, string? CopiedFromPlanId, string? CopiedPriceId, string? Name, string? Description, string? Icon);

/// <summary>Body of <c>POST /plan-entitlements/duplicate</c>.</summary>
public sealed record DuplicateEntitlementsRequest(string? SourcePlanId, string? TargetPlanId);
