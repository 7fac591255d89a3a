using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Billing;

/// <summary>The plan a billing product sells when nothing maps it by hand: the only plan with the product's name.</summary>
internal static class BillingPlanMatch
{
    /// <summary>The only plan whose name is <paramref name="productName"/> (ignoring case and surrounding spaces), else null.</summary>
    public static string? ByName(CatalogSnapshot catalog, string productName)
    {
        var named = catalog.Plans.Values.Where(p => string.Equals(p.Name.Trim(), productName.Trim(), StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return named.Count == 1 ? named[0].Id : null;
    }
}
