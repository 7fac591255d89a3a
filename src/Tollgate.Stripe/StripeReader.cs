using Stripe;

namespace Tollgate.Stripe;

/// <summary>
/// Reads products, prices, customers, subscriptions, invoices and Checkout sessions of one Stripe account into plain
/// records. A get answers null when Stripe no longer has the object (404, or a customer read as <c>deleted</c>): for a
/// sync that is a deletion, not a failure. Lists page by <see cref="PageSize"/> with a <c>starting_after</c> cursor
/// the caller keeps, so an import can resume after the last object it finished. Other failures throw
/// <see cref="StripeCallException"/>.
/// </summary>
public sealed class StripeReader(StripeAccount account)
{
    /// <summary>Objects per list page (Stripe's maximum).</summary>
    public const int PageSize = 100;

    private StripeClient Client => account.Client;

    /// <summary>A product, or null when Stripe has none with the id (deleted).</summary>
    public Task<StripeProductData?> GetProductAsync(string id, CancellationToken cancellationToken) =>
        GetOrNullAsync(async () =>
        {
            var product = await Client.V1.Products.GetAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
            return product.Deleted == true ? null : StripeMapping.Product(product);
        });

    /// <summary>A price, or null when Stripe has none with the id.</summary>
    public Task<StripePriceData?> GetPriceAsync(string id, CancellationToken cancellationToken) =>
        GetOrNullAsync(async () =>
        {
            var price = await Client.V1.Prices.GetAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
            return price.Deleted == true ? null : StripeMapping.Price(price);
        });

    /// <summary>A customer, or null when it was deleted.</summary>
    public Task<StripeCustomerData?> GetCustomerAsync(string id, CancellationToken cancellationToken) =>
        GetOrNullAsync(async () =>
        {
            var customer = await Client.V1.Customers.GetAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
            return customer.Deleted == true ? null : StripeMapping.Customer(customer);
        });

    /// <summary>A subscription (whatever its status), or null when Stripe has none with the id.</summary>
    public Task<StripeSubscriptionData?> GetSubscriptionAsync(string id, CancellationToken cancellationToken) =>
        GetOrNullAsync(async () =>
        {
            var subscription = await Client.V1.Subscriptions.GetAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await WithAllItemsAsync(subscription, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>An invoice, or null when Stripe has none with the id.</summary>
    public Task<StripeInvoiceData?> GetInvoiceAsync(string id, CancellationToken cancellationToken) =>
        GetOrNullAsync(async () =>
        {
            var invoice = await Client.V1.Invoices.GetAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (StripeInvoiceData?)new StripeInvoiceData(
                invoice.Id, invoice.CustomerId, invoice.Parent?.SubscriptionDetails?.SubscriptionId, invoice.Status, invoice.BillingReason);
        });

    /// <summary>A Checkout session, or null when Stripe has none with the id.</summary>
    public Task<StripeCheckoutSessionData?> GetCheckoutSessionAsync(string id, CancellationToken cancellationToken) =>
        GetOrNullAsync(async () =>
        {
            var session = await Client.V1.Checkout.Sessions.GetAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (StripeCheckoutSessionData?)new StripeCheckoutSessionData(
                session.Id, session.CustomerId, session.SubscriptionId, session.ClientReferenceId, session.Mode, session.Status, StripeMapping.Metadata(session.Metadata));
        });

    /// <summary>One page of every product (active and archived), newest first, after <paramref name="startingAfter"/>.</summary>
    public Task<StripePage<StripeProductData>> ListProductsAsync(string? startingAfter, CancellationToken cancellationToken) =>
        StripeCallException.Wrap(async () =>
        {
            var page = await Client.V1.Products.ListAsync(new ProductListOptions { Limit = PageSize, StartingAfter = startingAfter }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Page(page, StripeMapping.Product);
        });

    /// <summary>One page of every price (active and archived), newest first, after <paramref name="startingAfter"/>.</summary>
    public Task<StripePage<StripePriceData>> ListPricesAsync(string? startingAfter, CancellationToken cancellationToken) =>
        StripeCallException.Wrap(async () =>
        {
            var page = await Client.V1.Prices.ListAsync(new PriceListOptions { Limit = PageSize, StartingAfter = startingAfter }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Page(page, StripeMapping.Price);
        });

    /// <summary>One page of customers, newest first, after <paramref name="startingAfter"/> (deleted ones are not listed).</summary>
    public Task<StripePage<StripeCustomerData>> ListCustomersAsync(string? startingAfter, CancellationToken cancellationToken) =>
        StripeCallException.Wrap(async () =>
        {
            var page = await Client.V1.Customers.ListAsync(new CustomerListOptions { Limit = PageSize, StartingAfter = startingAfter }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Page(page, StripeMapping.Customer);
        });

    /// <summary>
    /// One page of subscriptions of every status (<c>status=all</c>: without it Stripe leaves canceled ones out), newest
    /// first, after <paramref name="startingAfter"/>; only <paramref name="customerId"/>'s when given.
    /// </summary>
    public Task<StripePage<StripeSubscriptionData>> ListSubscriptionsAsync(string? startingAfter, CancellationToken cancellationToken, string? customerId = null) =>
        StripeCallException.Wrap(async () =>
        {
            // Items embed their price (with its product id) unasked, so no expand is needed to map items to plans.
            var options = new SubscriptionListOptions { Limit = PageSize, StartingAfter = startingAfter, Status = "all", Customer = customerId };
            var page = await Client.V1.Subscriptions.ListAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            var items = new List<StripeSubscriptionData>(page.Data.Count);
            foreach (var subscription in page.Data)
            {
                items.Add(await WithAllItemsAsync(subscription, cancellationToken).ConfigureAwait(false));
            }

            return new StripePage<StripeSubscriptionData>(items, page.HasMore && items.Count > 0 ? items[^1].Id : null);
        });

    /// <summary>Every subscription of a customer, of every status, newest first.</summary>
    public async Task<IReadOnlyList<StripeSubscriptionData>> ListCustomerSubscriptionsAsync(string customerId, CancellationToken cancellationToken)
    {
        var all = new List<StripeSubscriptionData>();
        string? cursor = null;
        do
        {
            var page = await ListSubscriptionsAsync(cursor, cancellationToken, customerId).ConfigureAwait(false);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return all;
    }

    private static StripePage<TData> Page<TStripe, TData>(StripeList<TStripe> page, Func<TStripe, TData> map)
        where TStripe : IHasId
    {
        var items = page.Data.Select(map).ToList();
        return new StripePage<TData>(items, page.HasMore && page.Data.Count > 0 ? page.Data[^1].Id : null);
    }

    /// <summary>The subscription with every item: a subscription embeds only its first items, the rest are listed.</summary>
    private async Task<StripeSubscriptionData> WithAllItemsAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var items = subscription.Items?.Data ?? [];
        if (subscription.Items?.HasMore == true)
        {
            items = [];
            var options = new SubscriptionItemListOptions { Subscription = subscription.Id, Limit = PageSize };
            await foreach (var item in Client.V1.SubscriptionItems.ListAutoPagingAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                items.Add(item);
            }
        }

        return StripeMapping.Subscription(subscription, items);
    }

    private static Task<T?> GetOrNullAsync<T>(Func<Task<T?>> get)
        where T : class =>
        StripeCallException.Wrap(async () =>
        {
            try
            {
                return await get().ConfigureAwait(false);
            }
            catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }
        });
}
