using Tollgate.Server.Audit;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing;

/// <summary>
/// Billing products and prices in the resource store (id and key = Stripe's id, a price's parent = its product), each
/// write committed with its audit record — whoever writes them: the sync, a push, or a mapping by hand. A write built
/// on a version another writer changed meanwhile is refused (<see cref="ConcurrentChangeException"/>: a sync is retried
/// and reads again, a mapping by hand answers 409), so a sync never overwrites a hand mapping it did not see.
/// </summary>
internal sealed class BillingCatalogStore(ResourceStore store, AuditLog audit)
{
    public Task<BillingProductRecord?> ProductAsync(string environmentId, string productId, CancellationToken cancellationToken) =>
        store.GetAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, productId, cancellationToken);

    public Task<BillingPriceRecord?> PriceAsync(string environmentId, string priceId, CancellationToken cancellationToken) =>
        store.GetAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, priceId, cancellationToken);

    /// <summary>Writes a product; <paramref name="idField"/> names the request field its id came from (400 when that id is another kind's).</summary>
    public Task<BillingProductRecord> SaveAsync(RequestScope scope, BillingProductRecord? before, BillingProductRecord after, CancellationToken cancellationToken, string idField = "id") =>
        SaveAsync(scope, ResourceKinds.BillingProduct, after.Id, null, before, after, idField, cancellationToken);

    /// <summary>Writes a price; <paramref name="idField"/> names the request field its id came from (400 when that id is another kind's).</summary>
    public Task<BillingPriceRecord> SaveAsync(RequestScope scope, BillingPriceRecord? before, BillingPriceRecord after, CancellationToken cancellationToken, string idField = "id") =>
        SaveAsync(scope, ResourceKinds.BillingPrice, after.Id, after.ProductId, before, after, idField, cancellationToken);

    /// <summary>
    /// Deletes a product (when given) and the prices given, each with its audit record, in one transaction. The caller
    /// checked that nothing points at them any more.
    /// </summary>
    public Task DeleteAsync(RequestScope scope, BillingProductRecord? product, IReadOnlyList<BillingPriceRecord> prices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prices);
        return store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                foreach (var price in prices)
                {
                    await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.BillingPrice, price.Id).ConfigureAwait(false);
                    await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", ResourceKinds.BillingPrice, price.Id, null, price, (BillingPriceRecord?)null).ConfigureAwait(false);
                }

                if (product is not null)
                {
                    await ResourceStore.DeleteAsync(connection, transaction, scope.EnvironmentId, ResourceKinds.BillingProduct, product.Id).ConfigureAwait(false);
                    await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, "delete", ResourceKinds.BillingProduct, product.Id, null, product, (BillingProductRecord?)null).ConfigureAwait(false);
                }

                return 0;
            },
            cancellationToken);
    }

    private Task<T> SaveAsync<T>(RequestScope scope, string kind, string id, string? parentId, T? before, T after, string idField, CancellationToken cancellationToken)
        where T : class =>
        store.Database.WriteAsync(
            async (connection, transaction) =>
            {
                // Stripe's ids are prefixed by type; a pushed external id may be any string, and must not replace a document of another kind.
                if (await ResourceStore.KindOfAsync(connection, transaction, scope.EnvironmentId, id).ConfigureAwait(false) is { } taken && taken != kind)
                {
                    Errors.BadRequest(idField, $"'{id}' is already the id of a {taken}");
                }

                await store.PutIfUnchangedAsync(connection, transaction, scope.EnvironmentId, kind, id, id, parentId, before, after).ConfigureAwait(false);
                await audit.RecordAsync(connection, transaction, scope, scope.EnvironmentId, before is null ? "create" : "update", kind, id, null, before, after).ConfigureAwait(false);
                return after;
            },
            cancellationToken);
}

/// <summary>Billing records made from what Stripe answered.</summary>
internal static class BillingRecords
{
    /// <summary>The product as Stripe has it, selling <paramref name="planId"/>.</summary>
    public static BillingProductRecord Product(StripeProductData product, string? planId, DateTimeOffset updatedAt) => new()
    {
        Id = product.Id,
        Name = product.Name,
        Active = product.Active,
        PlanId = planId,
        Metadata = product.Metadata,
        StripeCreatedAt = product.Created,
        UpdatedAt = updatedAt,
    };

    /// <summary>The price as Stripe has it, in <paramref name="planVersionId"/>.</summary>
    public static BillingPriceRecord Price(StripePriceData price, string? planVersionId, DateTimeOffset updatedAt) => new()
    {
        Id = price.Id,
        ProductId = price.ProductId,
        Active = price.Active,
        Currency = price.Currency,
        UnitAmount = price.UnitAmount,
        Interval = price.Interval,
        IntervalCount = price.IntervalCount,
        UsageType = price.UsageType,
        MeterId = price.MeterId,
        LookupKey = price.LookupKey,
        PlanVersionId = planVersionId,
        Metadata = price.Metadata,
        UpdatedAt = updatedAt,
    };
}
