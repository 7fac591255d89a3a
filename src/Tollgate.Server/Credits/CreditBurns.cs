using Tollgate.Engine.Model;
using Tollgate.Server.Catalog;
using Tollgate.Server.Evaluation;

namespace Tollgate.Server.Credits;

/// <summary>What a tracked event costs in credits: one burn per credit-based entitlement of the company that counts the event's subtype.</summary>
internal static class CreditBurns
{
    /// <summary>
    /// The most credits one event may burn: 2⁵³, the largest whole number a double (the balances' type) holds exactly.
    /// Beyond it sums lose whole credits, and a rate × quantity can reach infinity, which no balance can take.
    /// </summary>
    public const double MaxAmount = 9_007_199_254_740_992;

    /// <summary>True when a burn can be recorded: a finite number from 0 to <see cref="MaxAmount"/>.</summary>
    public static bool IsPayable(double amount) => amount is >= 0 and <= MaxAmount;

    /// <summary>
    /// The burns for <paramref name="quantity"/> uses of <paramref name="eventSubtype"/> by a company with these
    /// entitlements: each entitlement with a credit whose feature counts the subtype costs quantity × consumption rate.
    /// </summary>
    public static List<CreditBurn> For(CatalogSnapshot catalog, IReadOnlyList<FeatureEntitlement> entitlements, string eventSubtype, long quantity)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(entitlements);
        var burns = new List<CreditBurn>();
        foreach (var entitlement in entitlements)
        {
            if (entitlement is { ValueType: EntitlementValueType.Credit, CreditId: { } creditId }
                && catalog.Features.TryGetValue(entitlement.FeatureId, out var feature)
                && feature.FeatureType == FeatureType.Event
                && string.Equals(feature.EventSubtype, eventSubtype, StringComparison.Ordinal)
                && quantity > 0)
            {
                var rate = entitlement.ConsumptionRate ?? 1;
                burns.Add(new CreditBurn(feature.Id, creditId, quantity * rate, rate));
            }
        }

        return burns;
    }

    /// <summary>The burns for a company as checks see it at <paramref name="now"/> (its plans and unexpired overrides).</summary>
    public static List<CreditBurn> For(CatalogSnapshot catalog, CompanyView company, string eventSubtype, long quantity, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(company);
        var active = company.Overrides.Where(o => o.ExpirationDate is not { } at || at > now).ToList();
        var planIds = CompanyPlanVersions.PlanIdsOf(company.Record);
        var versionIds = CompanyPlanVersions.VersionIds(catalog, CompanyPlanVersions.Settle(company.Record, now), planIds);
        return For(catalog, Entitlements.For(catalog, company.Record, versionIds, active, company.Usage, now), eventSubtype, quantity);
    }
}
