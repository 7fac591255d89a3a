using Stripe;

namespace Tollgate.Stripe;

/// <summary>
/// Writes Tollgate's catalog into a Stripe account: products and recurring prices (licensed or metered), product
/// updates and price archiving (Stripe never deletes a price). Every creating call carries an idempotency key derived
/// from what it creates (<see cref="IdempotencyKeys"/>), so a retried push answers the objects already made.
/// </summary>
public sealed class StripeCatalogWriter(StripeAccount account)
{
    private readonly StripeClient _client = (account ?? throw new ArgumentNullException(nameof(account))).Client;

    /// <summary>Creates a product.</summary>
    public Task<StripeProductData> CreateProductAsync(NewStripeProduct product, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(product);
        var options = new ProductCreateOptions { Name = product.Name, Metadata = IdempotencyKeys.Ordered(product.Metadata) };
        var request = new RequestOptions { IdempotencyKey = IdempotencyKeys.For("product", product.Name, product.Metadata) };
        return StripeCallException.Wrap(async () => StripeMapping.Product(await _client.V1.Products.CreateAsync(options, request, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Renames a product and/or merges metadata into it (an empty value removes a key, as at Stripe).</summary>
    public Task<StripeProductData> UpdateProductAsync(string productId, string? name, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(productId);
        var options = new ProductUpdateOptions { Name = name, Metadata = metadata is null ? null : IdempotencyKeys.Ordered(metadata) };
        return StripeCallException.Wrap(async () => StripeMapping.Product(await _client.V1.Products.UpdateAsync(productId, options, cancellationToken: cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Creates a recurring price.</summary>
    public Task<StripePriceData> CreatePriceAsync(NewStripePrice price, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(price);
        var options = new PriceCreateOptions
        {
            Product = price.ProductId,
            UnitAmount = price.UnitAmount,
            Currency = price.Currency,
            Recurring = new PriceRecurringOptions { Interval = price.Interval, UsageType = price.UsageType, Meter = price.MeterId },
            Metadata = IdempotencyKeys.Ordered(price.Metadata),
            LookupKey = price.LookupKey,
            TransferLookupKey = price.LookupKey is null ? null : true,
        };
        var request = new RequestOptions
        {
            IdempotencyKey = IdempotencyKeys.For(
                "price", price.ProductId, price.UnitAmount, price.Currency, price.Interval, price.UsageType, price.MeterId, price.Metadata, price.LookupKey),
        };
        return StripeCallException.Wrap(async () => StripeMapping.Price(await _client.V1.Prices.CreateAsync(options, request, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Archives a price (<c>active=false</c>): existing subscriptions keep it, new ones cannot use it.</summary>
    public Task<StripePriceData> ArchivePriceAsync(string priceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(priceId);
        var options = new PriceUpdateOptions { Active = false };
        return StripeCallException.Wrap(async () => StripeMapping.Price(await _client.V1.Prices.UpdateAsync(priceId, options, cancellationToken: cancellationToken).ConfigureAwait(false)));
    }
}
