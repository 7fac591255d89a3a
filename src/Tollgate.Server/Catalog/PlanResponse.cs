namespace Tollgate.Server.Catalog;

/// <summary>
/// A plan in Schematic's shape (<c>PlanDetailResponseData</c>, the fields Tollgate has): <c>description</c> is a string,
/// and the plan carries its versions, oldest first, with the published one as <c>active_version</c> and the draft, if
/// any, as <c>draft_version</c>; a custom plan names its company (<c>company_id</c>) and the plan it was copied from; <c>company_count</c> counts the companies holding it as base plan or add-on.
/// </summary>
public sealed partial record PlanResponse(
    string Id,
    string EnvironmentId,
    string Name,
    string Description,
    PlanType PlanType,
    IReadOnlyList<PlanVersionResponse> Versions,
    PlanVersionResponse? ActiveVersion,
    PlanVersionResponse? DraftVersion,
    long CompanyCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? CompanyId = null,
    string? CopiedFromPlanId = null)
{
    internal static PlanResponse From(PlanRecord plan, Evaluation.CatalogSnapshot catalog, long companyCount)
    {
        List<PlanVersionResponse> versions =
            [.. (catalog.VersionsByPlan.GetValueOrDefault(plan.Id) ?? [PlanVersions.Implicit(plan)]).Select(v => PlanVersionResponse.From(v, plan, catalog.EnvironmentId))];
        return new(
            plan.Id, catalog.EnvironmentId, plan.Name, plan.Description ?? string.Empty, plan.PlanType, versions,
            versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Published), versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Draft),
            companyCount, plan.CreatedAt, plan.UpdatedAt, plan.CompanyId, plan.CopiedFromPlanId);
    }
}
