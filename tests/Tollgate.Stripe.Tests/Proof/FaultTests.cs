using Stripe;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>Injected 429/5xx/latency, and how Stripe.net's retry policy meets them.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task AnInjected500IsRetriedByStripeNetWithTheSameIdempotencyKeyAndSucceeds()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient(maxNetworkRetries: 1);
        fake.Faults.Enqueue(Fault.ServerError(), "/v1/customers", method: "POST");

        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "retry@acme.test" });

        Assert.StartsWith("cus_", customer.Id, StringComparison.Ordinal);
        var attempts = await fake.RequestsToAsync("/v1/customers", "POST", count: 2);
        Assert.Equal([500, 200], attempts.Select(r => r.Status));
        Assert.True(attempts[0].Faulted);
        Assert.Equal(attempts[0].IdempotencyKey, attempts[1].IdempotencyKey);
        Assert.Single((await client.V1.Customers.ListAsync()).Data);
    }

    [Fact]
    public async Task A429IsNotRetriedByStripeNetUnlessStripeShouldRetrySaysSo()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient(maxNetworkRetries: 1);

        fake.Faults.Enqueue(Fault.TooManyRequests(retryAfterSeconds: 2), "/v1/billing/meter_events");
        var e = await StripeAssert.ThrowsAsync(() => client.V1.Billing.MeterEvents.CreateAsync(
            new global::Stripe.Billing.MeterEventCreateOptions { EventName = "x", Payload = new() { ["stripe_customer_id"] = "cus_x" } }),
            429, "invalid_request_error", "rate_limit");
        Assert.Equal("2", e.StripeResponse.Headers.GetValues("Retry-After").Single());
        Assert.Single(fake.RequestsTo("/v1/billing/meter_events"));

        fake.Faults.Enqueue(Fault.TooManyRequests(shouldRetry: true), "/v1/products", method: "GET");
        var products = await client.V1.Products.ListAsync();
        Assert.Empty(products.Data);
        Assert.Equal([429, 200], fake.RequestsTo("/v1/products").Select(r => r.Status));
    }

    [Fact]
    public async Task WithoutRetriesA503SurfacesAsAnApiError()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        fake.Faults.Enqueue(Fault.ServerError(503), "/v1/*", times: 2);

        await StripeAssert.ThrowsAsync(() => client.V1.Products.ListAsync(), 503, "api_error");
        await StripeAssert.ThrowsAsync(() => client.V1.Prices.ListAsync(), 503, "api_error");
        Assert.Empty((await client.V1.Prices.ListAsync()).Data);
        Assert.Equal(0, fake.Faults.Pending);
    }

    [Fact]
    public async Task InjectedLatencyOutlastsAClientDeadlineThenTheNextCallIsServed()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        fake.Faults.Enqueue(Fault.Latency(TimeSpan.FromSeconds(5)), "/v1/customers");

        // No wall-clock assertion: the delayed call must lose to a much shorter deadline, the next one is not delayed.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.V1.Customers.ListAsync(cancellationToken: deadline.Token));
        var list = await client.V1.Customers.ListAsync();

        Assert.Empty(list.Data);
        Assert.Equal(0, fake.Faults.Pending);
    }
}
