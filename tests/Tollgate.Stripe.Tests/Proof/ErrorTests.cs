using Stripe;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>Errors arrive in Stripe's envelope and surface as <see cref="StripeException"/> with type, code and param.</summary>
public sealed class ErrorTests
{
    [Fact]
    public async Task AnUnknownIdIs404ResourceMissingNamingTheId()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();

        var e = await StripeAssert.ThrowsAsync(() => client.V1.Subscriptions.GetAsync("sub_nope"), 404, "invalid_request_error", "resource_missing");

        Assert.Equal("id", e.StripeError.Param);
        Assert.Contains("sub_nope", e.StripeError.Message, StringComparison.Ordinal);
        Assert.StartsWith("req_", e.StripeResponse.RequestId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingAndInvalidParametersAre400NamingTheParameter()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions());

        var missing = await StripeAssert.ThrowsAsync(() => client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions { Customer = customer.Id }),
            400, "invalid_request_error", "parameter_missing");
        var unknownPrice = await StripeAssert.ThrowsAsync(() => client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id, Items = [new() { Price = "price_nope" }],
        }), 404, "invalid_request_error", "resource_missing");
        var badInterval = await StripeAssert.ThrowsAsync(() => client.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            ProductData = new PriceProductDataOptions { Name = "X" }, Currency = "usd", UnitAmount = 1, Recurring = new PriceRecurringOptions { Interval = "fortnight" },
        }), 400, "invalid_request_error", "parameter_invalid_string");

        Assert.Equal("items", missing.StripeError.Param);
        Assert.Equal("items[0][price]", unknownPrice.StripeError.Param);
        Assert.Equal("recurring[interval]", badInterval.StripeError.Param);
    }

    [Fact]
    public async Task AWrongApiKeyIs401AndAnUnknownRouteIs404()
    {
        await using var fake = await FakeStripeServer.StartAsync();

        await StripeAssert.ThrowsAsync(() => fake.CreateClient(apiKey: "sk_test_other").V1.Customers.ListAsync(), 401, "invalid_request_error");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(fake.BaseUrl + "/v1/nothing_here"));
        request.Headers.Authorization = new("Bearer", fake.ApiKey);
        var response = await http.SendAsync(request);
        Assert.Equal(404, (int)response.StatusCode);
        Assert.Contains("Unrecognized request URL", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
