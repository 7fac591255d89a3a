using System.Net;

namespace Tollgate.Stripe.Tests.Outbound;

/// <summary>Direct subscription changes: items replaced, quantity, proration behaviour and cancel at period end reach Stripe.</summary>
public sealed class StripeSubscriptionChangesTests
{
    [Fact]
    public async Task ReplacingTheItemsPriceAndQuantitySendsTheProrationBehaviour()
    {
        await using var fake = await OutboundFake.StartAsync();
        var writer = new StripeCatalogWriter(fake.Account);
        var product = await writer.CreateProductAsync(new NewStripeProduct("Plans", new Dictionary<string, string>()), CancellationToken.None);
        var team = await writer.CreatePriceAsync(new NewStripePrice(product.Id, 1000, "usd", "month", StripeUsageTypes.Licensed, null, new Dictionary<string, string>(), null), CancellationToken.None);
        var business = await writer.CreatePriceAsync(new NewStripePrice(product.Id, 3000, "usd", "month", StripeUsageTypes.Licensed, null, new Dictionary<string, string>(), null), CancellationToken.None);
        var subscription = await fake.SubscriptionAsync(team.Id, 2);
        var item = subscription.Items.Data[0].Id;

        var changed = await new StripeSubscriptionChanges(fake.Account).UpdateAsync(
            new SubscriptionChange(subscription.Id, [new SubscriptionItemChange(item, business.Id, 5)], ProrationBehaviors.AlwaysInvoice, CancelAtPeriodEnd: false),
            CancellationToken.None);

        var request = Assert.Single(fake.Stripe.RequestsTo($"/v1/subscriptions/{subscription.Id}", "POST"));
        Assert.Equal((item, business.Id, "5"), ((string?)request.Params["items"]![0]!["id"], (string?)request.Params["items"]![0]!["price"], (string?)request.Params["items"]![0]!["quantity"]));
        Assert.Equal("always_invoice", (string?)request.Params["proration_behavior"]);
        Assert.Equal("false", (string?)request.Params["cancel_at_period_end"]);
        var only = Assert.Single(changed.Items);
        Assert.Equal((item, business.Id, product.Id, 5L), (only.Id, only.PriceId, only.ProductId, only.Quantity));
        Assert.Equal(business.Id, (string?)fake.Stripe.Store.Snapshot(subscription.Id)!["items"]!["data"]![0]!["price"]!["id"]);
    }

    [Fact]
    public async Task CancelAtPeriodEndAloneSendsNoItemsAndAnUnknownSubscriptionIsNotFound()
    {
        await using var fake = await OutboundFake.StartAsync();
        var writer = new StripeCatalogWriter(fake.Account);
        var product = await writer.CreateProductAsync(new NewStripeProduct("Plans", new Dictionary<string, string>()), CancellationToken.None);
        var team = await writer.CreatePriceAsync(new NewStripePrice(product.Id, 1000, "usd", "month", StripeUsageTypes.Licensed, null, new Dictionary<string, string>(), null), CancellationToken.None);
        var subscription = await fake.SubscriptionAsync(team.Id, 1);
        var changes = new StripeSubscriptionChanges(fake.Account);

        var changed = await changes.UpdateAsync(new SubscriptionChange(subscription.Id, [], null, CancelAtPeriodEnd: true), CancellationToken.None);
        var missing = await Assert.ThrowsAsync<StripeCallException>(() => changes.UpdateAsync(new SubscriptionChange("sub_missing", [], ProrationBehaviors.None, true), CancellationToken.None));

        var request = Assert.Single(fake.Stripe.RequestsTo($"/v1/subscriptions/{subscription.Id}", "POST"));
        Assert.Null(request.Params["items"]);
        Assert.Null(request.Params["proration_behavior"]);
        Assert.True(changed.CancelAtPeriodEnd);
        Assert.NotNull(changed.CancelAt);
        Assert.True(missing.IsNotFound);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
    }
}
