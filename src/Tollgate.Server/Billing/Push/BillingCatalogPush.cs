using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Requests;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Push;

/// <summary>
/// Products and prices pushed from a billing system other than Stripe (<c>POST /billing/product/upsert</c>,
/// <c>/billing/price/upsert</c>), written as the same billing product and price records the Stripe sync writes (id =
/// the external id), through <see cref="BillingCatalogStore"/>, so plans map to them and subscriptions bill them alike.
/// A product is mapped to a plan as the sync maps one: kept when mapped by hand, else the only plan of its name.
/// </summary>
internal sealed class BillingCatalogPush(BillingCatalogStore billing, ResourceStore store, RuntimeRegistry runtimes, StripeConnections connections, StripeObjectSync sync, TimeProvider time)
{
    public async Task<BillingProductRecord> UpsertProductAsync(RequestScope scope, UpsertBillingProductRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var externalId = Validate.Required(request.ExternalId, "external_id");
        var price = request.Price ?? Fail<long>("price", "is required");
        if (price < 0)
        {
            Errors.BadRequest("price", "must not be negative");
        }

        var provider = BillingProviders.Of(request.ProviderType);
        var before = await billing.ProductAsync(scope.EnvironmentId, externalId, cancellationToken).ConfigureAwait(false);
        PushedProvider.EnsureSame(before?.ProviderType, provider, "billing product");
        var name = Validate.Bounded(request.Name, "name") is { Length: > 0 } given ? given.Trim() : before?.Name ?? externalId;
        var catalog = await runtimes.For(scope.EnvironmentId).CatalogAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var after = new BillingProductRecord
        {
            Id = externalId,
            Name = name,
            Active = request.IsActive ?? before?.Active ?? true,
            PlanId = before is { PlanMappedManually: true } ? before.PlanId : BillingPlanMatch.ByName(catalog, name),
            PlanMappedManually = before?.PlanMappedManually ?? false,
            Metadata = before?.Metadata ?? new Dictionary<string, string>(),
            ProviderType = provider,
            Price = price,
            StripeCreatedAt = before?.StripeCreatedAt ?? now,
            UpdatedAt = now,
        };
        await billing.SaveAsync(scope, before, after, cancellationToken, "external_id").ConfigureAwait(false);
        if (before is not null && before.PlanId != after.PlanId)
        {
            await ReapplyAsync(scope, item => item.ProductId == externalId, cancellationToken).ConfigureAwait(false);
        }

        return after;
    }

    public async Task<BillingPriceRecord> UpsertPriceAsync(RequestScope scope, UpsertBillingPriceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var priceId = Validate.Required(request.PriceExternalId, "price_external_id");
        var productId = Validate.Required(request.ProductExternalId, "product_external_id");
        var provider = BillingProviders.Of(request.ProviderType);
        var scheme = Validate.OneOf(request.BillingScheme, "billing_scheme", ("per_unit", "per_unit"), ("tiered", "tiered"));
        var usageType = Validate.OneOf(request.UsageType, "usage_type", ("licensed", "licensed"), ("metered", "metered"));
        var currency = PushValidation.Currency(request.Currency, "currency");
        var interval = PushValidation.Interval(request.Interval, "interval");
        var intervalCount = request.IntervalCount ?? 1;
        if (intervalCount < 1)
        {
            Errors.BadRequest("interval_count", "must be at least 1");
        }

        var amount = request.Price ?? Fail<long>("price", "is required");
        var active = request.IsActive ?? Fail<bool>("is_active", "is required");
        var tiers = PushValidation.Tiers(request.PriceTiers, "price_tiers");
        var tiersMode = request.TiersMode is null ? null : Validate.OneOf(request.TiersMode, "tiers_mode", ("graduated", "graduated"), ("volume", "volume"));
        if (scheme == "tiered" && tiers.Count == 0)
        {
            Errors.BadRequest("price_tiers", "a tiered price needs at least one tier");
        }

        if (request.PackageSize is < 1)
        {
            Errors.BadRequest("package_size", "must be at least 1");
        }

        var product = await billing.ProductAsync(scope.EnvironmentId, productId, cancellationToken).ConfigureAwait(false);
        if (product is null || product.Deleted)
        {
            Errors.BadRequest("product_external_id", "no billing product has this external id (POST /billing/product/upsert first)");
        }

        var before = await billing.PriceAsync(scope.EnvironmentId, priceId, cancellationToken).ConfigureAwait(false);
        PushedProvider.EnsureSame(before?.ProviderType, provider, "billing price");
        var now = time.GetUtcNow();
        var after = new BillingPriceRecord
        {
            Id = priceId,
            ProductId = productId,
            Active = active,
            Currency = currency,
            UnitAmount = amount,
            Interval = interval,
            IntervalCount = intervalCount,
            UsageType = usageType,
            MeterId = Validate.Bounded(request.MeterId, "meter_id") is { Length: > 0 } meter ? meter : null,
            LookupKey = before?.LookupKey,
            PlanVersionId = before is { PlanVersionMappedManually: true } ? before.PlanVersionId : null,
            PlanVersionMappedManually = before?.PlanVersionMappedManually ?? false,
            Metadata = before?.Metadata ?? new Dictionary<string, string>(),
            ProviderType = provider,
            BillingScheme = scheme,
            TiersMode = tiersMode,
            Tiers = tiers,
            PackageSize = request.PackageSize ?? 1,
            Nickname = Validate.Bounded(request.Nickname, "nickname"),
            PriceDecimal = Validate.Bounded(request.PriceDecimal, "price_decimal"),
            CreatedAt = before?.CreatedAt ?? now,
            UpdatedAt = now,
        };
        await billing.SaveAsync(scope, before, after, cancellationToken, "price_external_id").ConfigureAwait(false);
        if (before is not null && (before.PlanVersionId != after.PlanVersionId || before.ProductId != after.ProductId))
        {
            await ReapplyAsync(scope, item => item.PriceId == priceId, cancellationToken).ConfigureAwait(false);
        }

        return after;
    }

    /// <summary>
    /// Deletes a product and its prices. Refused (400, as Schematic's client expects of this operation) while anything
    /// still points at it: a plan it sells, a plan version one of its prices belongs to, a company subscribed to it. A
    /// delete never leaves such a reference dangling: unlink first (<c>PUT /billing/products/{id}</c>).
    /// </summary>
    public async Task DeleteProductAsync(RequestScope scope, string productId, CancellationToken cancellationToken)
    {
        var product = await billing.ProductAsync(scope.EnvironmentId, productId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "billing product not found");
        if (product.PlanId is { } planId)
        {
            Errors.BadRequest("billing_id", $"the billing product sells plan {planId}: unlink it first (PUT /billing/products/{productId} with plan_id null)");
        }

        var prices = await store.ListAsync<BillingPriceRecord>(scope.EnvironmentId, ResourceKinds.BillingPrice, productId, int.MaxValue, 0, cancellationToken).ConfigureAwait(false);
        if (prices.FirstOrDefault(p => p.PlanVersionId is not null) is { } mapped)
        {
            Errors.BadRequest("billing_id", $"its price {mapped.Id} belongs to plan version {mapped.PlanVersionId}: unlink it first (PUT /billing/prices/{mapped.Id} with plan_version_id null)");
        }

        await RefuseWhileSubscribedAsync(scope.EnvironmentId, item => item.ProductId == productId, "billing product", cancellationToken).ConfigureAwait(false);
        await billing.DeleteAsync(scope, product, prices, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a price; refused (400) while a plan version or a company's subscription names it.</summary>
    public async Task DeletePriceAsync(RequestScope scope, string priceId, CancellationToken cancellationToken)
    {
        var price = await billing.PriceAsync(scope.EnvironmentId, priceId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestException(StatusCodes.Status404NotFound, "billing price not found");
        if (price.PlanVersionId is { } versionId)
        {
            Errors.BadRequest("billing_id", $"the price belongs to plan version {versionId}: unlink it first (PUT /billing/prices/{priceId} with plan_version_id null)");
        }

        await RefuseWhileSubscribedAsync(scope.EnvironmentId, item => item.PriceId == priceId, "billing price", cancellationToken).ConfigureAwait(false);
        await billing.DeleteAsync(scope, null, [price], cancellationToken).ConfigureAwait(false);
    }

    private async Task RefuseWhileSubscribedAsync(string environmentId, Func<CompanyBillingItem, bool> names, string what, CancellationToken cancellationToken)
    {
        var companies = await store.ListAllAsync<CompanyRecord>(environmentId, ResourceKinds.Company, cancellationToken).ConfigureAwait(false);
        var subscribed = companies.Where(c => c.Billing?.SubscriptionId is not null && c.Billing.Items.Any(names)).Select(c => c.Id).ToList();
        if (subscribed.Count > 0)
        {
            Errors.BadRequest("billing_id", $"{subscribed.Count} compan{(subscribed.Count == 1 ? "y is" : "ies are")} subscribed to the {what} (first: {subscribed[0]})");
        }
    }

    private async Task ReapplyAsync(RequestScope scope, Func<CompanyBillingItem, bool> affected, CancellationToken cancellationToken)
    {
        var settings = (await connections.GetAsync(scope.EnvironmentId, cancellationToken).ConfigureAwait(false))?.Settings ?? new StripeSettings();
        await sync.ReapplyAsync(settings, scope, affected, cancellationToken).ConfigureAwait(false);
    }

    private static T Fail<T>(string field, string problem)
    {
        Errors.BadRequest(field, problem);
        return default!;
    }
}
