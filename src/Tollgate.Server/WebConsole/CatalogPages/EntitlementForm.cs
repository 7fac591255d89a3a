using Tollgate.Server.Catalog;
using Tollgate.Server.Credits;

namespace Tollgate.Server.WebConsole.CatalogPages;

/// <summary>
/// What the shared entitlement fields need: the form, the feature (null when the person picks one from
/// <see cref="Choosable"/>), the traits and credit types a value may name, and a prefix that keeps element ids unique
/// when several forms share a page.
/// </summary>
public sealed record EntitlementForm(
    EntitlementInput Input,
    FeatureRecord? Feature,
    IReadOnlyList<FeatureRecord> Choosable,
    IReadOnlyList<TraitDefinitionRecord> Traits,
    IReadOnlyList<CreditTypeRecord> Credits,
    string IdPrefix);
