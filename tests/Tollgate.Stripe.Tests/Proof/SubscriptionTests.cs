using Stripe;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>Subscriptions and their items, in the 2026-10-28.endive shape (billing period on the items).</summary>
public sealed class SubscriptionTests
{
    internal static async Task<(Customer Customer, Price Seat, Price Addon)> CatalogAsync(StripeClient client)
    {
        var product = await client.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Team" });
        var seat = await client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = product.Id, Currency = "usd", UnitAmount = 1_000, Recurring = new PriceRecurringOptions { Interval = "month" },
        });
        var addonProduct = await client.V1.Products.CreateAsync(new ProductCreateOptions { Name = "SSO" });
        var addon = await client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = addonProduct.Id, Currency = "usd", UnitAmount = 500, Recurring = new PriceRecurringOptions { Interval = "year" },
        });
        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "ops@acme.test" });
        return (customer, seat, addon);
    }

    [Fact]
    public async Task CreatedSubscriptionCarriesItemsWithQuantityPriceAndPeriods()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (customer, seat, addon) = await CatalogAsync(client);

        var sub = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id,
            Items = [new() { Price = seat.Id, Quantity = 5 }, new() { Price = addon.Id }],
            Metadata = new() { ["tenant"] = "acme" },
        });

        Assert.StartsWith("sub_", sub.Id, StringComparison.Ordinal);
        Assert.Equal("active", sub.Status);
        Assert.Equal(customer.Id, sub.CustomerId);
        Assert.False(sub.CancelAtPeriodEnd);
        Assert.Equal("acme", sub.Metadata["tenant"]);
        Assert.Equal(2, sub.Items.Data.Count);
        var seats = sub.Items.Data[0];
        Assert.StartsWith("si_", seats.Id, StringComparison.Ordinal);
        Assert.Equal(5, seats.Quantity);
        Assert.Equal(seat.Id, seats.Price.Id);
        Assert.Equal(seat.ProductId, seats.Price.ProductId);
        Assert.Equal(seats.CurrentPeriodStart.AddMonths(1), seats.CurrentPeriodEnd);
        Assert.Equal(sub.Items.Data[1].CurrentPeriodStart.AddYears(1), sub.Items.Data[1].CurrentPeriodEnd);
        Assert.NotNull(sub.LatestInvoiceId);

        var invoice = await client.V1.Invoices.GetAsync(sub.LatestInvoiceId);
        Assert.Equal("paid", invoice.Status);
        Assert.Equal(sub.Id, invoice.Parent.SubscriptionDetails.SubscriptionId);
        Assert.Equal(5_500, invoice.AmountDue);
        Assert.Equal(seat.Id, invoice.Lines.Data[0].Pricing.PriceDetails.PriceId);
    }

    [Fact]
    public async Task QuantityUpdateCancelAtPeriodEndAndCancelAreReflected()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (customer, seat, _) = await CatalogAsync(client);
        var sub = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id, Items = [new() { Price = seat.Id, Quantity = 2 }],
        });

        var updated = await client.V1.Subscriptions.UpdateAsync(sub.Id, new SubscriptionUpdateOptions
        {
            Items = [new() { Id = sub.Items.Data[0].Id, Quantity = 10 }], ProrationBehavior = "always_invoice",
        });
        Assert.Equal(10, updated.Items.Data[0].Quantity);
        Assert.Equal("always_invoice", (string?)Assert.Single(fake.RequestsTo($"/v1/subscriptions/{sub.Id}", "POST")).Params["proration_behavior"]);

        var ending = await client.V1.Subscriptions.UpdateAsync(sub.Id, new SubscriptionUpdateOptions { CancelAtPeriodEnd = true });
        Assert.True(ending.CancelAtPeriodEnd);
        Assert.Equal(ending.Items.Data[0].CurrentPeriodEnd, ending.CancelAt);

        var canceled = await client.V1.Subscriptions.CancelAsync(sub.Id);
        Assert.Equal("canceled", canceled.Status);
        Assert.NotNull(canceled.EndedAt);
        await StripeAssert.ThrowsAsync(
            () => client.V1.Subscriptions.UpdateAsync(sub.Id, new SubscriptionUpdateOptions { Items = [new() { Id = sub.Items.Data[0].Id, Quantity = 1 }] }),
            400, "invalid_request_error");

        var types = fake.Store.Events.Select(e => (string)e["type"]!).ToList();
        Assert.Contains("customer.subscription.created", types);
        Assert.Equal(2, types.Count(t => t == "customer.subscription.updated"));
        Assert.Contains("customer.subscription.deleted", types);
    }

    [Fact]
    public async Task ListingWithoutStatusOmitsCanceledAndStatusAllIncludesThem()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (customer, seat, _) = await CatalogAsync(client);
        var live = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions { Customer = customer.Id, Items = [new() { Price = seat.Id }] });
        var gone = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions { Customer = customer.Id, Items = [new() { Price = seat.Id }] });
        await client.V1.Subscriptions.CancelAsync(gone.Id);

        var defaults = await client.V1.Subscriptions.ListAsync(new SubscriptionListOptions());
        var all = await client.V1.Subscriptions.ListAsync(new SubscriptionListOptions { Status = "all" });
        var canceled = await client.V1.Subscriptions.ListAsync(new SubscriptionListOptions { Status = "canceled" });

        Assert.Equal([live.Id], defaults.Data.Select(s => s.Id));
        Assert.Equal([gone.Id, live.Id], all.Data.Select(s => s.Id));
        Assert.Equal([gone.Id], canceled.Data.Select(s => s.Id));
    }

    [Fact]
    public async Task ExpandFillsCustomerAndItemPriceProductOnLists()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (customer, seat, _) = await CatalogAsync(client);
        await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions { Customer = customer.Id, Items = [new() { Price = seat.Id }] });

        var list = await client.V1.Subscriptions.ListAsync(new SubscriptionListOptions
        {
            Status = "all", Expand = ["data.customer", "data.items.data.price.product"],
        });

        var sub = Assert.Single(list.Data);
        Assert.Equal("ops@acme.test", sub.Customer.Email);
        Assert.Equal(customer.Id, sub.CustomerId);
        Assert.Equal("Team", sub.Items.Data[0].Price.Product.Name);
        Assert.Contains("expand[1]=data.items.data.price.product", Uri.UnescapeDataString(fake.Requests[^1].Query), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubscriptionItemsCanBeListedAddedUpdatedAndDeleted()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (customer, seat, addon) = await CatalogAsync(client);
        var sub = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions { Customer = customer.Id, Items = [new() { Price = seat.Id, Quantity = 3 }] });

        var added = await client.V1.SubscriptionItems.CreateAsync(new SubscriptionItemCreateOptions { Subscription = sub.Id, Price = addon.Id, Quantity = 1 });
        var changed = await client.V1.SubscriptionItems.UpdateAsync(sub.Items.Data[0].Id, new SubscriptionItemUpdateOptions { Quantity = 4 });
        var items = await client.V1.SubscriptionItems.ListAsync(new SubscriptionItemListOptions { Subscription = sub.Id });
        var deleted = await client.V1.SubscriptionItems.DeleteAsync(added.Id);
        var after = await client.V1.Subscriptions.GetAsync(sub.Id);

        Assert.Equal(sub.Id, added.Subscription);
        Assert.Equal(4, changed.Quantity);
        Assert.Equal(2, items.Data.Count);
        Assert.True(deleted.Deleted);
        Assert.Equal([sub.Items.Data[0].Id], after.Items.Data.Select(i => i.Id));
    }

    [Fact]
    public async Task TrialPeriodDaysStartATrialThatEndsOnTheItemPeriodEnd()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (customer, seat, _) = await CatalogAsync(client);

        var sub = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id, Items = [new() { Price = seat.Id }], TrialPeriodDays = 14,
        });

        Assert.Equal("trialing", sub.Status);
        Assert.Equal(sub.TrialStart!.Value.AddDays(14), sub.TrialEnd);
        Assert.Equal(sub.TrialEnd, sub.Items.Data[0].CurrentPeriodEnd);
        var ended = await client.V1.Subscriptions.UpdateAsync(sub.Id, new SubscriptionUpdateOptions { TrialEnd = SubscriptionTrialEnd.Now });
        Assert.Equal("active", ended.Status);
    }
}
