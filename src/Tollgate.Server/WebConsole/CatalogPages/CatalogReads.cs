using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.WebConsole.CatalogPages;

/// <summary>
/// What the catalog pages read from the environment's catalog snapshot (the same in-memory view checks answer from,
/// <c>RuntimeRegistry.For(environment).CatalogAsync</c>): a catalog is small, and one snapshot gives every feature,
/// plan and entitlement without a query per row.
/// </summary>
internal static class CatalogReads
{
    /// <summary>Catalog plans (a company's custom plan is shown on its company, not here): base plans first, then by name.</summary>
    public static IReadOnlyList<PlanRecord> CatalogPlans(CatalogSnapshot catalog, PlanType? type = null) =>
        [.. catalog.Plans.Values.Where(p => p.CompanyId is null && (type is null || p.PlanType == type))
            .OrderBy(p => p.PlanType).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];

    /// <summary>The entitlements of a plan's published version (what new and current companies on the plan get), by feature.</summary>
    public static IReadOnlyDictionary<string, PlanEntitlementRecord> PublishedEntitlements(CatalogSnapshot catalog, string planId) =>
        catalog.PublishedVersionOf(planId) is { } version && catalog.EntitlementsByVersion.TryGetValue(version.Id, out var list)
            ? list.GroupBy(e => e.FeatureId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal)
            : new Dictionary<string, PlanEntitlementRecord>(StringComparer.Ordinal);

    /// <summary>A trait's display name by id.</summary>
    public static Func<string, string> TraitNames(CatalogSnapshot catalog) =>
        id => catalog.TraitsById.TryGetValue(id, out var trait) ? trait.DisplayName ?? trait.Name : id;
}
