using Stripe;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>Idempotency-Key: same key and body replay the first answer; same key, other body is an idempotency_error.</summary>
public sealed class IdempotencyTests
{
    [Fact]
    public async Task RetryingWithTheSameKeyReturnsTheSameObjectAndCreatesNothingNew()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var options = new CustomerCreateOptions { Email = "once@acme.test" };
        var requestOptions = new RequestOptions { IdempotencyKey = "create-acme-1" };

        var first = await client.V1.Customers.CreateAsync(options, requestOptions);
        var again = await client.V1.Customers.CreateAsync(options, requestOptions);

        Assert.Equal(first.Id, again.Id);
        Assert.Equal("true", again.StripeResponse.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single((await client.V1.Customers.ListAsync()).Data);
        Assert.Equal([false, true], fake.RequestsTo("/v1/customers", "POST").Select(r => r.Replayed));
    }

    [Fact]
    public async Task ReusingAKeyWithOtherParametersIsAnIdempotencyError()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var requestOptions = new RequestOptions { IdempotencyKey = "k-2" };
        await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "a@acme.test" }, requestOptions);

        var e = await StripeAssert.ThrowsAsync(
            () => client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "b@acme.test" }, requestOptions), 400, "idempotency_error");
        Assert.Contains("k-2", e.StripeError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestThatFailedValidationLeavesItsKeyFree()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var requestOptions = new RequestOptions { IdempotencyKey = "k-3" };

        await StripeAssert.ThrowsAsync(() => client.V1.Products.CreateAsync(new ProductCreateOptions(), requestOptions), 400, "invalid_request_error", "parameter_missing");
        var product = await client.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Fixed" }, requestOptions);

        Assert.Equal("Fixed", product.Name);
        Assert.All(fake.RequestsTo("/v1/products", "POST"), r => Assert.False(r.Replayed));
    }

    [Fact]
    public async Task EveryPostGetsAKeyFromStripeNetAndDistinctCallsDoNotCollide()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();

        var a = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "same@acme.test" });
        var b = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "same@acme.test" });

        Assert.NotEqual(a.Id, b.Id);
        var keys = fake.RequestsTo("/v1/customers", "POST").Select(r => r.IdempotencyKey).ToList();
        Assert.All(keys, Assert.NotNull);
        Assert.NotEqual(keys[0], keys[1]);
    }
}
