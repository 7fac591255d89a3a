using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Companies;

/// <summary>
/// The plan filters of a company or user list as conditions on one company (<see cref="EntitySql"/>): on one of
/// <see cref="PlanId"/>, on one of <see cref="PlanIds"/>, on one of <see cref="VersionPlanIds"/> (the plans of the
/// versions asked for), without a base plan of the catalog, and on a plan granting <see cref="Feature"/> or with an
/// override of it. Null where the filter is not given.
/// </summary>
internal sealed record CompanyPlanConditions(
    CatalogSnapshot Catalog,
    IReadOnlyList<string>? PlanId,
    IReadOnlyList<string>? PlanIds,
    IReadOnlyList<string>? VersionPlanIds,
    bool WithoutPlan,
    (string FeatureId, IReadOnlyList<string> GrantingPlanIds)? Feature);
