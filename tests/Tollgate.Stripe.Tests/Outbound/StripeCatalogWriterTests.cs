using System.Net;

namespace Tollgate.Stripe.Tests.Outbound;

/// <summary>Products and prices written through the adapter: the parameters Stripe receives, and keys that make retries harmless.</summary>
public sealed class StripeCatalogWriterTests
{
    private static readonly Dictionary<string, string> PlanMetadata = new() { ["tollgate_plan_id"] = "plan_pro", ["tollgate_environment_id"] = "env_1" };

    [Fact]
    public async Task AProductIsCreatedWithItsNameMetadataAndAnIdempotencyKey()
    {
        await using var fake = await OutboundFake.StartAsync();
        var writer = new StripeCatalogWriter(fake.Account);

        var product = await writer.CreateProductAsync(new NewStripeProduct("Pro", PlanMetadata), CancellationToken.None);

        var request = Assert.Single(fake.Stripe.RequestsTo("/v1/products", "POST"));
        Assert.Equal("Pro", (string?)request.Params["name"]);
        Assert.Equal("plan_pro", (string?)request.Params["metadata"]!["tollgate_plan_id"]);
        Assert.StartsWith("tollgate-product-", request.IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal("plan_pro", product.Metadata["tollgate_plan_id"]);
        Assert.Equal("Pro", (string?)fake.Stripe.Store.Snapshot(product.Id)!["name"]);
    }

    [Fact]
    public async Task CreatingTheSameProductTwiceAnswersTheFirstAndCreatesNothingNew()
    {
        await using var fake = await OutboundFake.StartAsync();
        var writer = new StripeCatalogWriter(fake.Account);

        var first = await writer.CreateProductAsync(new NewStripeProduct("Pro", PlanMetadata), CancellationToken.None);
        var again = await writer.CreateProductAsync(new NewStripeProduct("Pro", new Dictionary<string, string>(PlanMetadata.Reverse())), CancellationToken.None);
        var other = await writer.CreateProductAsync(new NewStripeProduct("Team", PlanMetadata), CancellationToken.None);

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, other.Id);
        var requests = fake.Stripe.RequestsTo("/v1/products", "POST");
        Assert.Equal([false, true, false], requests.Select(r => r.Replayed));
        Assert.Equal(requests[0].IdempotencyKey, requests[1].IdempotencyKey);
        Assert.NotEqual(requests[0].IdempotencyKey, requests[2].IdempotencyKey);
    }

    [Fact]
    public async Task ALicensedPriceCarriesAmountCurrencyIntervalUsageMetadataAndLookupKey()
    {
        await using var fake = await OutboundFake.StartAsync();
        var writer = new StripeCatalogWriter(fake.Account);
        var product = await writer.CreateProductAsync(new NewStripeProduct("Pro", PlanMetadata), CancellationToken.None);

        var price = await writer.CreatePriceAsync(
            new NewStripePrice(product.Id, 1200, "eur", "year", StripeUsageTypes.Licensed, null, new Dictionary<string, string> { ["tollgate_plan_version_id"] = "plvr_1" }, "pro_yearly"),
            CancellationToken.None);

        var request = Assert.Single(fake.Stripe.RequestsTo("/v1/prices", "POST"));
        Assert.Equal(product.Id, (string?)request.Params["product"]);
        Assert.Equal("1200", (string?)request.Params["unit_amount"]);
        Assert.Equal("eur", (string?)request.Params["currency"]);
        Assert.Equal("year", (string?)request.Params["recurring"]!["interval"]);
        Assert.Equal("licensed", (string?)request.Params["recurring"]!["usage_type"]);
        Assert.Null(request.Params["recurring"]!["meter"]);
        Assert.Equal("plvr_1", (string?)request.Params["metadata"]!["tollgate_plan_version_id"]);
        Assert.Equal("pro_yearly", (string?)request.Params["lookup_key"]);
        Assert.Equal("true", (string?)request.Params["transfer_lookup_key"]);
        Assert.StartsWith("tollgate-price-", request.IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal(("year", 1200L, "licensed", "plvr_1"), (price.Interval, price.UnitAmount!.Value, price.UsageType, price.Metadata["tollgate_plan_version_id"]));
    }

    [Fact]
    public async Task AMeteredPriceNamesItsMeterAndAnUnknownMeterIsRefusedByStripe()
    {
        await using var fake = await OutboundFake.StartAsync();
        var writer = new StripeCatalogWriter(fake.Account);
        var product = await writer.CreateProductAsync(new NewStripeProduct("Pro", PlanMetadata), CancellationToken.None);
        var meter = await fake.MeterAsync("api_calls");

        var price = await writer.CreatePriceAsync(new NewStripePrice(product.Id, 2, "usd", "month", StripeUsageTypes.Metered, meter, PlanMetadata, null), CancellationToken.None);
        var refused = await Assert.ThrowsAsync<StripeCallException>(() =>
            writer.CreatePriceAsync(new NewStripePrice(product.Id, 2, "usd", "month", StripeUsageTypes.Metered, "mtr_missing", PlanMetadata, null), CancellationToken.None));

        Assert.Equal(("metered", meter), (price.UsageType, price.MeterId));
        Assert.Equal(meter, (string?)fake.Stripe.RequestsTo("/v1/prices", "POST")[0].Params["recurring"]!["meter"]);
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        Assert.Equal("recurring[meter]", refused.Param);
        Assert.False(refused.Retryable);
    }

    [Fact]
    public async Task ArchivingAPriceSetsActiveFalseAndUpdatingAProductRenamesIt()
    {
        await using var fake = await OutboundFake.StartAsync();
        var writer = new StripeCatalogWriter(fake.Account);
        var product = await writer.CreateProductAsync(new NewStripeProduct("Pro", PlanMetadata), CancellationToken.None);
        var price = await writer.CreatePriceAsync(new NewStripePrice(product.Id, 900, "usd", "month", StripeUsageTypes.Licensed, null, PlanMetadata, null), CancellationToken.None);

        var archived = await writer.ArchivePriceAsync(price.Id, CancellationToken.None);
        var renamed = await writer.UpdateProductAsync(product.Id, "Pro 2", new Dictionary<string, string> { ["tier"] = "2" }, CancellationToken.None);

        Assert.False(archived.Active);
        Assert.Equal("false", (string?)fake.Stripe.RequestsTo($"/v1/prices/{price.Id}", "POST").Single().Params["active"]);
        Assert.False((bool)fake.Stripe.Store.Snapshot(price.Id)!["active"]!);
        Assert.Equal(("Pro 2", "2", "plan_pro"), (renamed.Name, renamed.Metadata["tier"], renamed.Metadata["tollgate_plan_id"]));
    }
}
