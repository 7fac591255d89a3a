namespace Tollgate.Server.Companies;

/// <summary>A plan or add-on of a company (<c>CompanyPlanWithBillingSubView</c>, the fields Tollgate has), with the version it is on.</summary>
public sealed record CompanyPlanResponse(
    string Id,
    string Name,
    string Description,
    string? ImageUrl,
    string? PlanVersionId,
    IReadOnlyList<object> IncludedCreditGrants);
