namespace Tollgate.Server.Catalogs;

/// <summary>Body of create and update of a catalog (<c>CreateCatalogRequestBody</c>, <c>UpdateCatalogRequestBody</c>).</summary>
public sealed record CatalogRequest(string? Name, string? Description, bool? IsDefault);

/// <summary>Body of <c>PUT /catalogs/{id}/configuration</c> (<c>UpdateCatalogConfigurationRequestBody</c>); a field left out keeps its value.</summary>
public sealed record CatalogConfigurationRequest(
    string? CustomPlanCtaText,
    string? CustomPlanCtaUrl,
    string? CustomPlanPriceText,
    bool? CustomPlansVisible,
    IReadOnlyList<CatalogOrderedPlanRequest>? OrderedAddOns,
    IReadOnlyList<CatalogOrderedBundleRequest>? OrderedBundles,
    IReadOnlyList<CatalogOrderedPlanRequest>? OrderedPlans,
    string? PricingModel,
    string? PricingUrl);

/// <summary>A plan's place (<c>CatalogConfigOrderedPlan</c>).</summary>
public sealed record CatalogOrderedPlanRequest(string? PlanId, IReadOnlyList<CatalogOrderedEntitlementRequest>? Entitlements);

/// <summary>An entitlement's place (<c>CatalogConfigOrderedEntitlement</c>); visible unless said otherwise.</summary>
public sealed record CatalogOrderedEntitlementRequest(string? FeatureId, bool? Visible);

/// <summary>A bundle's place (<c>CatalogConfigOrderedBundle</c>).</summary>
public sealed record CatalogOrderedBundleRequest(string? BundleId);
