using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Catalogs;

/// <summary>
/// A plan of a catalog's configuration in the shape of <c>PlanGroupPlanDetailResponseData</c>, with the fields
/// Tollgate has: its versions, company count and the catalogs it is in. Billing and price fields are those of a plan
/// without a billing product (<c>no_billing</c>, charge type <c>none</c>, no prices); <c>icon</c> is Schematic's
/// default colour since Tollgate keeps none.
/// </summary>
public sealed record CatalogPlanDetail(
    string Id,
    string Name,
    string Description,
    string Icon,
    PlanType PlanType,
    IReadOnlyList<string> AvailablePeriods,
    string BillingStrategy,
    string ChargeType,
    long CompanyCount,
    IReadOnlyList<string> CompatiblePlanIds,
    string ControlledBy,
    IReadOnlyList<object> Credits,
    IReadOnlyList<object> CurrencyPrices,
    IReadOnlyList<object> Features,
    IReadOnlyList<CatalogMembership> Catalogs,
    bool IsCustom,
    bool IsDefault,
    bool IsTrialable,
    CatalogPlanVersion? ActiveVersion,
    CatalogPlanVersion? DraftVersion,
    IReadOnlyList<CatalogPlanVersion> Versions,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    private const string DefaultIcon = "blue";

    internal static CatalogPlanDetail From(PlanRecord plan, CatalogSnapshot snapshot, long companyCount, IReadOnlyList<CatalogMembership> catalogs)
    {
        var versions = (snapshot.VersionsByPlan.GetValueOrDefault(plan.Id) ?? [PlanVersions.Implicit(plan)])
            .Select(v => new CatalogPlanVersion(
                v.Id, snapshot.EnvironmentId, plan.Name, plan.Description ?? string.Empty, DefaultIcon, plan.PlanType, v.Status, v.Version, v.CreatedAt, v.UpdatedAt))
            .ToList();
        return new CatalogPlanDetail(
            plan.Id, plan.Name, plan.Description ?? string.Empty, DefaultIcon, plan.PlanType, [], "no_billing", "none", companyCount, [], "schematic", [], [], [], catalogs, false, false, false,
            versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Published), versions.FirstOrDefault(v => v.Status == PlanVersionStatus.Draft), versions, plan.CreatedAt,
            plan.UpdatedAt);
    }
}

/// <summary>A plan version (<c>PlanVersionResponseData</c>).</summary>
public sealed record CatalogPlanVersion(
    string Id, string EnvironmentId, string Name, string Description, string Icon, PlanType PlanType, PlanVersionStatus Status, int Version, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A catalog a plan is in (<c>PlanCatalogMembershipResponseData</c>).</summary>
public sealed record CatalogMembership(string Id, string Name);
