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
    (string FeatureId, IReadOnlyList<string> GrantingPlanIds)? Feature)
{
    /// <summary>
    /// The base plans companies still hold that the catalog no longer has (deleted since): with <see cref="WithoutPlan"/>,
    /// their companies count as without a plan. Named, so that the condition is a lookup of the base plan index.
    /// </summary>
    public IReadOnlyList<string> RetiredBasePlanIds { get; init; } = [];

    /// <summary>
    /// The exact condition that the company row (the alias given) holds <see cref="Feature"/>, where SQL decides it
    /// (<see cref="FeatureHolders"/>); null where the plans and overrides only narrow the companies to candidates.
    /// </summary>
    public Func<string, Requests.SqlCondition>? FeatureHeld { get; init; }

    /// <summary>
    /// The companies on a plan with an entitlement of <paramref name="featureId"/> (whatever its value) or with an
    /// override of it: a superset of those the check gives an entitlement of it.
    /// </summary>
    public static CompanyPlanConditions EntitledTo(CatalogSnapshot catalog, string featureId)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new(catalog, null, null, null, false, (featureId, GrantingPlanIds(catalog, featureId)));
    }

    /// <summary>The plans with an entitlement of <paramref name="featureId"/>.</summary>
    public static string[] GrantingPlanIds(CatalogSnapshot catalog, string featureId)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return [.. (catalog.EntitlementsByFeature.GetValueOrDefault(featureId) ?? []).Select(e => e.PlanId).Distinct(StringComparer.Ordinal)];
    }
}
