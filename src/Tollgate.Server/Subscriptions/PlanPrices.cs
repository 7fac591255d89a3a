using Tollgate.Server.Storage;

namespace Tollgate.Server.Subscriptions;

/// <summary>Plan prices as set through <c>PUT /plans/{id}/billing_products</c> (<see cref="PlanBillingRecord"/>).</summary>
internal sealed class PlanPrices(ResourceStore store)
{
    public Task<PlanBillingRecord?> OfAsync(string environmentId, string? planId, CancellationToken cancellationToken) =>
        planId is null ? Task.FromResult<PlanBillingRecord?>(null) : store.GetByKeyAsync<PlanBillingRecord>(environmentId, SubscriptionKinds.PlanBilling, planId, cancellationToken);

    /// <summary>
    /// Whether moving from one plan to another is a downgrade: the new monthly price is lower. A plan without a price
    /// counts as free when the other has one; when neither has a price, no move is a downgrade.
    /// </summary>
    public static bool IsDowngrade(long? fromMonthly, long? toMonthly) =>
        (fromMonthly, toMonthly) switch
        {
            (null, null) => false,
            var (from, to) => (to ?? 0) < (from ?? 0),
        };
}
