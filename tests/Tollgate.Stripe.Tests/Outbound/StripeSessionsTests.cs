namespace Tollgate.Stripe.Tests.Outbound;

/// <summary>Customers, Checkout and Billing Portal sessions through the adapter: what Stripe receives and answers.</summary>
public sealed class StripeSessionsTests
{
    [Fact]
    public async Task ACustomerIsCreatedOnceForTheSameRequest()
    {
        await using var fake = await OutboundFake.StartAsync();
        var sessions = new StripeSessions(fake.Account);
        var metadata = new Dictionary<string, string> { ["tollgate_company_id"] = "comp_1", ["id"] = "acme" };

        var first = await sessions.CreateCustomerAsync(new NewStripeCustomer("billing@acme.test", "Acme", metadata), CancellationToken.None);
        var again = await sessions.CreateCustomerAsync(new NewStripeCustomer("billing@acme.test", "Acme", metadata), CancellationToken.None);

        Assert.Equal(first.Id, again.Id);
        var requests = fake.Stripe.RequestsTo("/v1/customers", "POST");
        Assert.Equal([false, true], requests.Select(r => r.Replayed));
        Assert.StartsWith("tollgate-customer-", requests[0].IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal(("billing@acme.test", "Acme", "comp_1", "acme"),
            ((string?)requests[0].Params["email"], (string?)requests[0].Params["name"], (string?)requests[0].Params["metadata"]!["tollgate_company_id"], (string?)requests[0].Params["metadata"]!["id"]));
    }

    [Fact]
    public async Task ACheckoutSessionSendsEveryParameterAndCompletingItSubscribes()
    {
        await using var fake = await OutboundFake.StartAsync();
        var sessions = new StripeSessions(fake.Account);
        var writer = new StripeCatalogWriter(fake.Account);
        var product = await writer.CreateProductAsync(new NewStripeProduct("Pro", new Dictionary<string, string>()), CancellationToken.None);
        var seat = await writer.CreatePriceAsync(new NewStripePrice(product.Id, 1500, "usd", "month", StripeUsageTypes.Licensed, null, new Dictionary<string, string>(), null), CancellationToken.None);
        var customer = await sessions.CreateCustomerAsync(new NewStripeCustomer(null, "Acme", new Dictionary<string, string>()), CancellationToken.None);

        var session = await sessions.CreateCheckoutSessionAsync(
            new NewCheckoutSession(customer.Id, [new CheckoutLine(seat.Id, 4)], "https://app.test/ok?s={CHECKOUT_SESSION_ID}", "https://app.test/no", "comp_1",
                new Dictionary<string, string> { ["tollgate_company_id"] = "comp_1" }, TrialPeriodDays: 14, AllowPromotionCodes: true),
            CancellationToken.None);

        var request = Assert.Single(fake.Stripe.RequestsTo("/v1/checkout/sessions", "POST")).Params;
        Assert.Equal("subscription", (string?)request["mode"]);
        Assert.Equal(customer.Id, (string?)request["customer"]);
        Assert.Equal((seat.Id, "4"), ((string?)request["line_items"]![0]!["price"], (string?)request["line_items"]![0]!["quantity"]));
        Assert.Equal("https://app.test/ok?s={CHECKOUT_SESSION_ID}", (string?)request["success_url"]);
        Assert.Equal("https://app.test/no", (string?)request["cancel_url"]);
        Assert.Equal("comp_1", (string?)request["client_reference_id"]);
        Assert.Equal("comp_1", (string?)request["metadata"]!["tollgate_company_id"]);
        Assert.Equal("14", (string?)request["subscription_data"]!["trial_period_days"]);
        Assert.Equal("true", (string?)request["allow_promotion_codes"]);
        Assert.StartsWith("tollgate-checkout-", fake.Stripe.RequestsTo("/v1/checkout/sessions", "POST")[0].IdempotencyKey, StringComparison.Ordinal);
        Assert.StartsWith(fake.Server.BaseUrl, session.Url, StringComparison.Ordinal);
        Assert.Equal(("open", customer.Id), (session.Status, session.CustomerId));

        var completed = fake.Stripe.Simulate.CompleteCheckout(session.Id);
        var subscription = fake.Stripe.Store.Snapshot((string)completed["subscription"]!)!;
        Assert.Equal(customer.Id, (string?)subscription["customer"]);
        Assert.Equal(4, (long)subscription["items"]!["data"]![0]!["quantity"]!);
    }

    [Fact]
    public async Task APortalSessionCanStartInAnUpdateOrCancelFlowAndIsNeverReplayed()
    {
        await using var fake = await OutboundFake.StartAsync();
        var sessions = new StripeSessions(fake.Account);
        var writer = new StripeCatalogWriter(fake.Account);
        var product = await writer.CreateProductAsync(new NewStripeProduct("Pro", new Dictionary<string, string>()), CancellationToken.None);
        var price = await writer.CreatePriceAsync(new NewStripePrice(product.Id, 1500, "usd", "month", StripeUsageTypes.Licensed, null, new Dictionary<string, string>(), null), CancellationToken.None);
        var subscription = await fake.SubscriptionAsync(price.Id, 1);

        var home = await sessions.CreatePortalSessionAsync(new NewPortalSession(subscription.CustomerId, "https://app.test/billing", null, null), CancellationToken.None);
        var update = await sessions.CreatePortalSessionAsync(new NewPortalSession(subscription.CustomerId, "https://app.test/billing", PortalFlows.SubscriptionUpdate, subscription.Id), CancellationToken.None);
        var cancel = await sessions.CreatePortalSessionAsync(new NewPortalSession(subscription.CustomerId, "https://app.test/billing", PortalFlows.SubscriptionCancel, subscription.Id), CancellationToken.None);
        var homeAgain = await sessions.CreatePortalSessionAsync(new NewPortalSession(subscription.CustomerId, "https://app.test/billing", null, null), CancellationToken.None);

        var requests = fake.Stripe.RequestsTo("/v1/billing_portal/sessions", "POST");
        Assert.Null(requests[0].Params["flow_data"]);
        Assert.Equal(("subscription_update", subscription.Id), ((string?)requests[1].Params["flow_data"]!["type"], (string?)requests[1].Params["flow_data"]!["subscription_update"]!["subscription"]));
        Assert.Equal(("subscription_cancel", subscription.Id), ((string?)requests[2].Params["flow_data"]!["type"], (string?)requests[2].Params["flow_data"]!["subscription_cancel"]!["subscription"]));
        Assert.Equal("https://app.test/billing", (string?)requests[0].Params["return_url"]);
        Assert.All(requests, r => Assert.False(r.Replayed));
        Assert.Equal(4, new[] { home.Id, update.Id, cancel.Id, homeAgain.Id }.Distinct().Count());
        Assert.StartsWith(fake.Server.BaseUrl, update.Url, StringComparison.Ordinal);
    }
}
