namespace Tollgate.Server.Catalogs;

/// <summary>
/// A catalog (Schematic's <c>/catalogs</c>): a named selection of plans, add-ons and credit bundles offered together,
/// with its display configuration. At most one catalog of an environment is the default.
/// </summary>
public sealed record CatalogRecord
{
    /// <summary>The id (<c>ctlg_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Description.</summary>
    public string? Description { get; init; }

    /// <summary>Whether it is the environment's default catalog.</summary>
    public bool IsDefault { get; init; }

    /// <summary>Plans and add-ons in the catalog, in the order they were added.</summary>
    public IReadOnlyList<string> PlanIds { get; init; } = [];

    /// <summary>Credit bundles in the catalog.</summary>
    public IReadOnlyList<string> CreditBundleIds { get; init; } = [];

    /// <summary>The order of plans shown, with the order and visibility of their entitlements.</summary>
    public IReadOnlyList<CatalogOrderedPlan> OrderedPlans { get; init; } = [];

    /// <summary>The order of add-ons shown.</summary>
    public IReadOnlyList<CatalogOrderedPlan> OrderedAddOns { get; init; } = [];

    /// <summary>The order of credit bundles shown.</summary>
    public IReadOnlyList<CatalogOrderedBundle> OrderedBundles { get; init; } = [];

    /// <summary>Text of the custom plan's call to action.</summary>
    public string? CustomPlanCtaText { get; init; }

    /// <summary>Link of the custom plan's call to action.</summary>
    public string? CustomPlanCtaUrl { get; init; }

    /// <summary>Price text of the custom plan.</summary>
    public string? CustomPlanPriceText { get; init; }

    /// <summary>Whether a custom plan is shown.</summary>
    public bool CustomPlansVisible { get; init; }

    /// <summary>Free text naming the pricing model.</summary>
    public string? PricingModel { get; init; }

    /// <summary>Link to the public pricing page.</summary>
    public string? PricingUrl { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A plan's place in the catalog's display (<c>CatalogConfigOrderedPlanResponseData</c>).</summary>
public sealed record CatalogOrderedPlan(string PlanId, IReadOnlyList<CatalogOrderedEntitlement> Entitlements);

/// <summary>An entitlement's place and visibility (<c>CatalogConfigOrderedEntitlementResponseData</c>).</summary>
public sealed record CatalogOrderedEntitlement(string FeatureId, bool Visible);

/// <summary>A credit bundle's place (<c>CatalogConfigOrderedBundleResponseData</c>).</summary>
public sealed record CatalogOrderedBundle(string BundleId);
