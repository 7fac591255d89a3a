using Stripe;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Adapter;

/// <summary>StripeReader against the fake: records carry what the sync needs; lists page with a resumable cursor; gone objects read as null.</summary>
public sealed class StripeReaderTests : IAsyncLifetime
{
    private FakeStripeServer _fake = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeStripeServer.StartAsync();
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task ListsPageByAHundredAndTheCursorResumesAfterTheLastObject()
    {
        var client = _fake.CreateClient();
        var created = new List<string>();
        for (var i = 0; i < 230; i++)
        {
            created.Add((await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = $"c{i}@acme.test", Metadata = new() { ["n"] = $"{i}" } })).Id);
        }

        var reader = Reader();
        var first = await reader.ListCustomersAsync(null, default);
        var second = await reader.ListCustomersAsync(first.NextCursor, default);
        var third = await reader.ListCustomersAsync(second.NextCursor, default);

        created.Reverse();
        Assert.Equal((100, 100, 30), (first.Items.Count, second.Items.Count, third.Items.Count));
        Assert.Equal(created, [.. first.Items.Concat(second.Items).Concat(third.Items).Select(c => c.Id)]);
        Assert.Equal(first.Items[^1].Id, first.NextCursor);
        Assert.True(first.HasMore);
        Assert.Null(third.NextCursor);
        Assert.Equal("229", first.Items[0].Metadata["n"]);
        Assert.Equal("100", (string?)_fake.RequestsTo("/v1/customers", "GET")[0].Params["limit"]);
    }

    [Fact]
    public async Task SubscriptionListsIncludeCanceledOnesAndCarryItemsWithPeriodsAndQuantities()
    {
        var client = _fake.CreateClient();
        var product = await client.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Team" });
        var seat = await client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = product.Id, Currency = "usd", UnitAmount = 1_000, Recurring = new PriceRecurringOptions { Interval = "month" },
        });
        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "ops@acme.test" });
        var old = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions { Customer = customer.Id, Items = [new() { Price = seat.Id, Quantity = 2 }] });
        await client.V1.Subscriptions.CancelAsync(old.Id);
        var live = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions { Customer = customer.Id, Items = [new() { Price = seat.Id, Quantity = 7 }] });

        var page = await Reader().ListSubscriptionsAsync(null, default);
        var ofCustomer = await Reader().ListCustomerSubscriptionsAsync(customer.Id, default);

        Assert.Equal([live.Id, old.Id], page.Items.Select(s => s.Id));
        Assert.Equal(["active", "canceled"], page.Items.Select(s => s.Status));
        Assert.True(page.Items[1].IsEnded);
        var item = Assert.Single(page.Items[0].Items);
        Assert.Equal((seat.Id, product.Id, 7L), (item.PriceId, item.ProductId, item.Quantity));
        Assert.True(item.CurrentPeriodEnd > item.CurrentPeriodStart);
        Assert.Equal(live.Items.Data[0].CurrentPeriodEnd, item.CurrentPeriodEnd.UtcDateTime);
        Assert.Equal([live.Id, old.Id], ofCustomer.Select(s => s.Id));
        Assert.All(_fake.RequestsTo("/v1/subscriptions", "GET"), r => Assert.Equal("all", (string?)r.Params["status"]));
    }

    [Fact]
    public async Task ADeletedCustomerAndAnUnknownObjectReadAsNullNotAsFailures()
    {
        var client = _fake.CreateClient();
        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Name = "Acme" });
        await client.V1.Customers.DeleteAsync(customer.Id);

        Assert.Null(await Reader().GetCustomerAsync(customer.Id, default));
        Assert.Null(await Reader().GetProductAsync("prod_missing", default));
        Assert.Null(await Reader().GetSubscriptionAsync("sub_missing", default));
        Assert.Null(await Reader().GetInvoiceAsync("in_missing", default));
    }

    [Fact]
    public async Task PricesReadTheirRecurrenceUsageTypeAndMeter()
    {
        var client = _fake.CreateClient();
        var product = await client.V1.Products.CreateAsync(new ProductCreateOptions { Name = "API", Metadata = new() { ["tollgate_plan_id"] = "plan_1" } });
        var meter = await client.V1.Billing.Meters.CreateAsync(new global::Stripe.Billing.MeterCreateOptions
        {
            DisplayName = "API calls", EventName = "api_call", DefaultAggregation = new() { Formula = "sum" },
        });
        var yearly = await client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = product.Id, Currency = "eur", UnitAmount = 12_000, LookupKey = "api-yearly", Recurring = new PriceRecurringOptions { Interval = "year" },
        });
        var metered = await client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = product.Id, Currency = "usd", UnitAmount = 2, Recurring = new PriceRecurringOptions { Interval = "month", UsageType = "metered", Meter = meter.Id },
        });

        var readYearly = await Reader().GetPriceAsync(yearly.Id, default);
        var readMetered = await Reader().GetPriceAsync(metered.Id, default);
        var readProduct = await Reader().GetProductAsync(product.Id, default);

        Assert.Equal((product.Id, "eur", 12_000L, "year", 1L, "licensed", "api-yearly"), (readYearly!.ProductId, readYearly.Currency, readYearly.UnitAmount, readYearly.Interval, readYearly.IntervalCount, readYearly.UsageType, readYearly.LookupKey));
        Assert.Equal(("metered", meter.Id), (readMetered!.UsageType, readMetered.MeterId));
        Assert.Equal(("API", true, "plan_1"), (readProduct!.Name, readProduct.Active, readProduct.Metadata["tollgate_plan_id"]));
    }

    [Fact]
    public async Task InvoicesAndCheckoutSessionsNameTheirSubscriptionAndCustomer()
    {
        var client = _fake.CreateClient();
        var product = await client.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Team" });
        var price = await client.V1.Prices.CreateAsync(new PriceCreateOptions { Product = product.Id, Currency = "usd", UnitAmount = 100, Recurring = new PriceRecurringOptions { Interval = "month" } });
        var session = await client.V1.Checkout.Sessions.CreateAsync(new global::Stripe.Checkout.SessionCreateOptions
        {
            Mode = "subscription", SuccessUrl = "https://app.test/ok", ClientReferenceId = "comp_1", Metadata = new() { ["tollgate_company_id"] = "comp_1" },
            CustomerEmail = "new@acme.test", LineItems = [new() { Price = price.Id, Quantity = 3 }],
        });
        _fake.Simulate.CompleteCheckout(session.Id);

        var read = await Reader().GetCheckoutSessionAsync(session.Id, default);
        var subscription = await Reader().GetSubscriptionAsync(read!.SubscriptionId!, default);
        var invoiceId = (string)_fake.Store.Snapshot(read.SubscriptionId!)!["latest_invoice"]!;
        var invoice = await Reader().GetInvoiceAsync(invoiceId, default);

        Assert.Equal(("comp_1", "comp_1", "subscription"), (read.ClientReferenceId, read.Metadata["tollgate_company_id"], read.Mode));
        Assert.Equal(read.CustomerId, subscription!.CustomerId);
        Assert.Equal(3L, Assert.Single(subscription.Items).Quantity);
        Assert.Equal((read.SubscriptionId, read.CustomerId), (invoice!.SubscriptionId, invoice.CustomerId));
    }

    [Fact]
    public async Task AStripeFailureIsAStripeCallExceptionThatCanBeRetried()
    {
        _fake.Faults.Enqueue(Fault.ServerError(500), "/v1/products", method: "GET");

        var e = await Assert.ThrowsAsync<StripeCallException>(() => Reader().ListProductsAsync(null, default));

        Assert.True(e.Retryable);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, e.Status);
    }

    private StripeReader Reader() => new(new StripeAccount(_fake.ApiKey, StripeEndpoints.At(_fake.BaseUrl), _http, maxNetworkRetries: 0));
}
