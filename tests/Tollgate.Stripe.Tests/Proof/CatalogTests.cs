using Stripe;
using Tollgate.FakeStripe;
using BillingMeter = Stripe.Billing.Meter;
using MeterCreateOptions = Stripe.Billing.MeterCreateOptions;
using MeterDefaultAggregationOptions = Stripe.Billing.MeterDefaultAggregationOptions;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>Products, prices and customers created through Stripe.net come back as its own model types, fields set.</summary>
public sealed class CatalogTests
{
    [Fact]
    public async Task ProductsAndMonthlyYearlyAndMeteredPricesRoundTripThroughStripeNetModels()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();

        var product = await client.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Pro", Metadata = new() { ["plan"] = "pro" } });
        var monthly = await client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = product.Id, Currency = "usd", UnitAmount = 2_000, LookupKey = "pro_monthly",
            Recurring = new PriceRecurringOptions { Interval = "month" },
        });
        var yearly = await client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = product.Id, Currency = "usd", UnitAmount = 20_000, Recurring = new PriceRecurringOptions { Interval = "year" },
        });
        BillingMeter meter = await client.V1.Billing.Meters.CreateAsync(new MeterCreateOptions
        {
            DisplayName = "API calls", EventName = "api_calls", DefaultAggregation = new MeterDefaultAggregationOptions { Formula = "sum" },
        });
        var metered = await client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = product.Id, Currency = "usd", UnitAmount = 1,
            Recurring = new PriceRecurringOptions { Interval = "month", UsageType = "metered", Meter = meter.Id },
        });

        Assert.StartsWith("prod_", product.Id, StringComparison.Ordinal);
        Assert.Equal("Pro", product.Name);
        Assert.True(product.Active);
        Assert.Equal("pro", product.Metadata["plan"]);
        Assert.StartsWith("price_", monthly.Id, StringComparison.Ordinal);
        Assert.Equal(product.Id, monthly.ProductId);
        Assert.Equal(2_000, monthly.UnitAmount);
        Assert.Equal("recurring", monthly.Type);
        Assert.Equal("month", monthly.Recurring.Interval);
        Assert.Equal("licensed", monthly.Recurring.UsageType);
        Assert.Equal("pro_monthly", monthly.LookupKey);
        Assert.Equal("year", yearly.Recurring.Interval);
        Assert.StartsWith("mtr_", meter.Id, StringComparison.Ordinal);
        Assert.Equal("sum", meter.DefaultAggregation.Formula);
        Assert.Equal("stripe_customer_id", meter.CustomerMapping.EventPayloadKey);
        Assert.Equal("metered", metered.Recurring.UsageType);
        Assert.Equal(meter.Id, metered.Recurring.Meter);

        var fetched = await client.V1.Prices.GetAsync(monthly.Id, new PriceGetOptions { Expand = ["product"] });
        Assert.Equal("Pro", fetched.Product.Name);
        Assert.Equal(product.Id, fetched.ProductId);
    }

    [Fact]
    public async Task FormBodiesAreParsedFromBracketNotationAndTheApiVersionHeaderIsRecorded()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();

        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions
        {
            Email = "a@acme.test", Name = "Acme", Metadata = new() { ["tenant_id"] = "t1", ["region"] = "eu" },
        });

        Assert.StartsWith("cus_", customer.Id, StringComparison.Ordinal);
        Assert.Equal("t1", customer.Metadata["tenant_id"]);
        var request = Assert.Single(fake.RequestsTo("/v1/customers", "POST"));
        Assert.Contains("metadata[tenant_id]=t1", Uri.UnescapeDataString(request.Body), StringComparison.Ordinal);
        Assert.Equal("eu", (string?)request.Params["metadata"]!["region"]);
        Assert.Equal(StripeConfiguration.ApiVersion, request.StripeVersion);
        Assert.NotNull(request.IdempotencyKey);

        var created = EventUtility.ParseEvent(Assert.Single(fake.Store.Events).ToJsonString());
        Assert.Equal(EventTypes.CustomerCreated, created.Type);
        Assert.Equal(request.IdempotencyKey, created.Request.IdempotencyKey);
        Assert.StartsWith("req_", created.Request.Id, StringComparison.Ordinal);

        var updated = await client.V1.Customers.UpdateAsync(customer.Id, new CustomerUpdateOptions { Metadata = new() { ["region"] = "us" } });
        Assert.Equal("us", updated.Metadata["region"]);
        Assert.Equal("t1", updated.Metadata["tenant_id"]);

        var deleted = await client.V1.Customers.DeleteAsync(customer.Id);
        Assert.True(deleted.Deleted);
        await StripeAssert.ThrowsAsync(() => client.V1.Customers.GetAsync(customer.Id), 404, "invalid_request_error", "resource_missing");
    }

    [Fact]
    public async Task ArchivedPricesAreFilteredByActive()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var product = await client.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Team" });
        var old = await client.V1.Prices.CreateAsync(new PriceCreateOptions { Product = product.Id, Currency = "usd", UnitAmount = 5 });
        var current = await client.V1.Prices.CreateAsync(new PriceCreateOptions { Product = product.Id, Currency = "usd", UnitAmount = 7 });

        await client.V1.Prices.UpdateAsync(old.Id, new PriceUpdateOptions { Active = false });
        var active = await client.V1.Prices.ListAsync(new PriceListOptions { Active = true, Product = product.Id });

        Assert.Equal([current.Id], active.Data.Select(p => p.Id));
        Assert.Equal("one_time", current.Type);
    }
}
