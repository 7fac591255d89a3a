using Tollgate.Server.Billing;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Companies;

/// <summary>
/// The prices and products the subscription items of some companies name, as the billing catalog holds them: one read
/// of each for a whole page of companies, to describe their subscriptions (<see cref="CompanyBillingSubscriptionResponse"/>).
/// </summary>
internal sealed record CompanyBillingPrices(IReadOnlyDictionary<string, BillingPriceRecord> Prices, IReadOnlyDictionary<string, BillingProductRecord> Products)
{
    private static readonly CompanyBillingPrices None = new(new Dictionary<string, BillingPriceRecord>(), new Dictionary<string, BillingProductRecord>());

    public static async Task<CompanyBillingPrices> ReadAsync(ResourceStore store, string environmentId, IEnumerable<CompanyRecord> companies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var items = companies.SelectMany(c => c.Billing?.Items ?? []).ToList();
        if (items.Count == 0)
        {
            return None;
        }

        var prices = await store.GetManyAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, items.Select(i => i.PriceId).ToHashSet(StringComparer.Ordinal), cancellationToken)
            .ConfigureAwait(false);
        var products = await store.GetManyAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, items.Select(i => i.ProductId).ToHashSet(StringComparer.Ordinal), cancellationToken)
            .ConfigureAwait(false);
        return new(prices.ToDictionary(p => p.Id, StringComparer.Ordinal), products.ToDictionary(p => p.Id, StringComparer.Ordinal));
    }

    /// <summary>
    /// The price the company's subscription bills <paramref name="planId"/> at: its licensed (not metered) item whose
    /// product is linked to the plan; null when no item bills the plan (a trial Tollgate runs, a plan not sold through
    /// the billing system, an item whose price was never synced).
    /// </summary>
    public BillingPriceRecord? PlanPriceOf(CompanyRecord company, string planId)
    {
        ArgumentNullException.ThrowIfNull(company);
        foreach (var item in company.Billing?.Items ?? [])
        {
            if (Prices.GetValueOrDefault(item.PriceId) is { UsageType: not "metered" } price && Products.GetValueOrDefault(price.ProductId)?.PlanId == planId)
            {
                return price;
            }
        }

        return null;
    }

    /// <summary>The company's subscription described with these prices.</summary>
    public CompanyBillingSubscriptionResponse? Describe(CompanyRecord company, string environmentId) =>
        CompanyBillingSubscriptionResponse.From(company, Prices, Products, environmentId);
}
