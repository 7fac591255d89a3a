namespace Tollgate.Server.Catalogs;

/// <summary>
/// A catalog in Schematic's shape (<c>CatalogResponseData</c>). Tollgate has no accounts above environments, so
/// <c>account_id</c> is the environment's id.
/// </summary>
public sealed record CatalogResponse(
    string Id,
    string AccountId,
    string Name,
    string? Description,
    bool IsDefault,
    string? CustomPlanCtaText,
    string? CustomPlanCtaUrl,
    string? CustomPlanPriceText,
    bool CustomPlansVisible,
    string? PricingModel,
    string? PricingUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    internal static CatalogResponse From(CatalogRecord catalog, string environmentId) =>
        new(catalog.Id, environmentId, catalog.Name, catalog.Description, catalog.IsDefault, catalog.CustomPlanCtaText, catalog.CustomPlanCtaUrl, catalog.CustomPlanPriceText,
            catalog.CustomPlansVisible, catalog.PricingModel, catalog.PricingUrl, catalog.CreatedAt, catalog.UpdatedAt);
}

/// <summary>A catalog's display configuration (<c>CatalogConfigurationResponseData</c>): its plans and add-ons in detail, and their order.</summary>
public sealed record CatalogConfigurationResponse(
    IReadOnlyList<CatalogPlanDetail> Plans,
    IReadOnlyList<CatalogPlanDetail> AddOns,
    IReadOnlyList<CatalogOrderedPlan> OrderedPlans,
    IReadOnlyList<CatalogOrderedPlan> OrderedAddOns,
    IReadOnlyList<CatalogOrderedBundle> OrderedBundles,
    string? CustomPlanCtaText,
    string? CustomPlanCtaUrl,
    string? CustomPlanPriceText,
    bool CustomPlansVisible,
    string? PricingModel,
    string? PricingUrl);

/// <summary>The plans of a catalog (<c>CatalogPlanIDsResponseData</c>).</summary>
public sealed record CatalogPlanIds(IReadOnlyList<string> PlanIds);

/// <summary>The credit bundles of a catalog (<c>CatalogCreditBundleIDsResponseData</c>).</summary>
public sealed record CatalogCreditBundleIds(IReadOnlyList<string> CreditBundleIds);

/// <summary>The features a catalog's plans entitle (<c>CatalogDerivedFeaturesResponseData</c>).</summary>
public sealed record CatalogDerivedFeatures(IReadOnlyList<CatalogDerivedFeature> Features);

/// <summary>One feature (<c>CatalogDerivedFeatureResponseData</c>); Tollgate keeps no feature icons, so <c>icon</c> is empty.</summary>
public sealed record CatalogDerivedFeature(string Id, string Name, string Icon);
