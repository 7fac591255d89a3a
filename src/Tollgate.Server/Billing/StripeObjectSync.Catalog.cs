using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Stripe;

namespace Tollgate.Server.Billing;

/// <summary>Products and prices: billing products and prices, and the plans they map to.</summary>
internal sealed partial class StripeObjectSync
{
    /// <summary>
    /// Writes a product as Stripe has it (<paramref name="product"/> null: Stripe deleted it) and answers the stored record
    /// (null when Stripe deleted a product Tollgate never knew). When its plan changes, companies billed for it follow.
    /// </summary>
    public async Task<BillingProductRecord?> ApplyProductAsync(StripeConnection connection, string productId, StripeProductData? product, CancellationToken cancellationToken)
    {
        var environmentId = connection.EnvironmentId;
        var before = await store.GetAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, productId, cancellationToken).ConfigureAwait(false);
        var catalog = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        BillingProductRecord? after;
        if (product is null)
        {
            after = before is null ? null : before with { Active = false, Deleted = true };
        }
        else
        {
            after = BillingRecords.Product(product, before is { PlanMappedManually: true } ? before.PlanId : PlanFor(catalog, product), before?.UpdatedAt ?? default)
                with { PlanMappedManually = before?.PlanMappedManually ?? false };
        }

        if (after is null || (before is not null && SameButForUpdatedAt(before, after, r => r with { UpdatedAt = default })))
        {
            return before;
        }

        after = after with { UpdatedAt = Now };
        await billing.SaveAsync(Scope(connection), before, after, cancellationToken).ConfigureAwait(false);
        if (before is not null && before.PlanId != after.PlanId)
        {
            await ReapplyAsync(connection.Settings, Scope(connection), item => item.ProductId == productId, cancellationToken).ConfigureAwait(false);
        }

        return after;
    }

    /// <summary>
    /// Writes a price as Stripe has it (<paramref name="price"/> null: Stripe no longer has it, so it is archived) and
    /// answers the stored record. Its product is synced first when Tollgate does not know it yet.
    /// </summary>
    public async Task<BillingPriceRecord?> ApplyPriceAsync(StripeConnection connection, string priceId, StripePriceData? price, CancellationToken cancellationToken)
    {
        var environmentId = connection.EnvironmentId;
        var before = await store.GetAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, priceId, cancellationToken).ConfigureAwait(false);
        BillingPriceRecord? after;
        if (price is null)
        {
            after = before is null ? null : before with { Active = false };
        }
        else
        {
            var product = await store.GetAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, price.ProductId, cancellationToken).ConfigureAwait(false)
                ?? await ApplyProductAsync(connection, price.ProductId, await new StripeReader(connection.Account).GetProductAsync(price.ProductId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            var catalog = await runtimes.For(environmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
            after = BillingRecords.Price(price, before is { PlanVersionMappedManually: true } ? before.PlanVersionId : VersionFor(catalog, product?.PlanId, price), before?.UpdatedAt ?? default)
                with { PlanVersionMappedManually = before?.PlanVersionMappedManually ?? false };
        }

        if (after is null || (before is not null && SameButForUpdatedAt(before, after, r => r with { UpdatedAt = default })))
        {
            return before;
        }

        after = after with { UpdatedAt = Now };
        await billing.SaveAsync(Scope(connection), before, after, cancellationToken).ConfigureAwait(false);
        if (before is not null && before.PlanVersionId != after.PlanVersionId)
        {
            await ReapplyAsync(connection.Settings, Scope(connection), item => item.PriceId == priceId, cancellationToken).ConfigureAwait(false);
        }

        return after;
    }

    /// <summary>
    /// Puts again on their plans the companies billed for an item <paramref name="affected"/> selects, from the billing
    /// state they have (no call to Stripe): after a product's or price's mapping changed.
    /// </summary>
    public async Task<int> ReapplyAsync(StripeSettings settings, RequestScope scope, Func<CompanyBillingItem, bool> affected, CancellationToken cancellationToken)
    {
        // Companies are not indexed by product: a mapping change reads the environment's companies once.
        var all = await store.ListAllAsync<CompanyRecord>(scope.EnvironmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false);
        var changed = 0;
        foreach (var company in all.Where(c => c.Billing?.Items.Any(affected) == true))
        {
            var billingCatalog = await BillingCatalogOfAsync(scope.EnvironmentId, company.Billing!.Items, cancellationToken).ConfigureAwait(false);
            var written = await companies.WriteSyncedAsync(
                scope,
                company.Id,
                (catalog, before, now) => before?.Billing is { } billing ? BillingPlans.Apply(catalog, settings, before, billing, null, billingCatalog, now) : null,
                cancellationToken).ConfigureAwait(false);
            changed += written is null ? 0 : 1;
        }

        return changed;
    }

    /// <summary>The stored billing products and prices that <paramref name="items"/> name.</summary>
    private async Task<BillingCatalog> BillingCatalogOfAsync(string environmentId, IReadOnlyList<CompanyBillingItem> items, CancellationToken cancellationToken)
    {
        var products = await store.GetManyAsync<BillingProductRecord>(environmentId, ResourceKinds.BillingProduct, [.. items.Select(i => i.ProductId).Distinct()], cancellationToken).ConfigureAwait(false);
        var prices = await store.GetManyAsync<BillingPriceRecord>(environmentId, ResourceKinds.BillingPrice, [.. items.Select(i => i.PriceId).Distinct()], cancellationToken).ConfigureAwait(false);
        return new BillingCatalog(products.ToDictionary(p => p.Id, StringComparer.Ordinal), prices.ToDictionary(p => p.Id, StringComparer.Ordinal));
    }

    /// <summary>
    /// The plan a product sells: the plan its <c>tollgate_plan_id</c> metadata names, else the only plan whose name is the
    /// product's (ignoring case), else none.
    /// </summary>
    private static string? PlanFor(CatalogSnapshot catalog, StripeProductData product)
    {
        if (product.Metadata.TryGetValue(StripeCompanyKeys.PlanIdMetadata, out var planId) && catalog.Plans.ContainsKey(planId))
        {
            return planId;
        }

        var named = catalog.Plans.Values.Where(p => string.Equals(p.Name.Trim(), product.Name.Trim(), StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return named.Count == 1 ? named[0].Id : null;
    }

    /// <summary>
    /// The plan version a price belongs to: the one its <c>tollgate_plan_version_id</c> metadata names, when that is a
    /// version of the product's plan (or of any plan when the product is mapped to none); else none.
    /// </summary>
    private static string? VersionFor(CatalogSnapshot catalog, string? productPlanId, StripePriceData price) =>
        price.Metadata.TryGetValue(StripeCompanyKeys.PlanVersionIdMetadata, out var versionId)
            && catalog.VersionsById.TryGetValue(versionId, out var version)
            && (productPlanId is null || version.PlanId == productPlanId)
            ? versionId
            : null;

    private static bool SameButForUpdatedAt<T>(T before, T after, Func<T, T> withoutTimes) =>
        StoredJson.Serialize(withoutTimes(before)) == StoredJson.Serialize(withoutTimes(after));
}
