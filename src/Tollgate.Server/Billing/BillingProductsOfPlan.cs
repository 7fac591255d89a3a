using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing;

/// <summary>The billing products (Stripe's, as imported or mapped) that sell a plan.</summary>
internal static class BillingProductsOfPlan
{
    public static async Task<IReadOnlySet<string>> IdsAsync(ResourceStore store, string environmentId, string planId, CancellationToken cancellationToken) =>
        (await store.ListAllAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, cancellationToken).ConfigureAwait(false))
            .Where(p => p.PlanId == planId).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
}
