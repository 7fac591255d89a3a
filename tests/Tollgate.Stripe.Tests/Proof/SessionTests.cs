using Stripe;
using Tollgate.FakeStripe;
using CheckoutSession = Stripe.Checkout.Session;
using CheckoutSessionCreateOptions = Stripe.Checkout.SessionCreateOptions;
using CheckoutLineItem = Stripe.Checkout.SessionLineItemOptions;
using PortalSessionCreateOptions = Stripe.BillingPortal.SessionCreateOptions;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>Checkout and billing portal sessions: create returns an object with a url; completing checkout starts the subscription.</summary>
public sealed class SessionTests
{
    [Fact]
    public async Task ACheckoutSessionHasAUrlAndCompletingItCreatesTheSubscription()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (customer, seat, _) = await SubscriptionTests.CatalogAsync(client);

        var session = await client.V1.Checkout.Sessions.CreateAsync(new CheckoutSessionCreateOptions
        {
            Mode = "subscription", Customer = customer.Id, ClientReferenceId = "company_42",
            LineItems = [new CheckoutLineItem { Price = seat.Id, Quantity = 3 }],
            SuccessUrl = "https://app.test/done?session={CHECKOUT_SESSION_ID}", CancelUrl = "https://app.test/cancel",
        });
        Assert.StartsWith("cs_test_", session.Id, StringComparison.Ordinal);
        Assert.StartsWith(fake.BaseUrl, session.Url, StringComparison.Ordinal);
        Assert.Equal("open", session.Status);

        fake.Simulate.CompleteCheckout(session.Id);
        CheckoutSession done = await client.V1.Checkout.Sessions.GetAsync(session.Id, new() { Expand = ["subscription"] });

        Assert.Equal("complete", done.Status);
        Assert.Equal("paid", done.PaymentStatus);
        Assert.Equal("company_42", done.ClientReferenceId);
        Assert.Equal(3, done.Subscription.Items.Data[0].Quantity);
        var completed = fake.Store.Events.Last(e => (string?)e["type"] == "checkout.session.completed");
        var parsed = EventUtility.ParseEvent(completed.ToJsonString());
        Assert.Equal(done.SubscriptionId, Assert.IsType<CheckoutSession>(parsed.Data.Object).SubscriptionId);
    }

    [Fact]
    public async Task APortalSessionHasAUrlForItsCustomer()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions());

        var portal = await client.V1.BillingPortal.Sessions.CreateAsync(new PortalSessionCreateOptions { Customer = customer.Id, ReturnUrl = "https://app.test/billing" });

        Assert.StartsWith("bps_", portal.Id, StringComparison.Ordinal);
        Assert.Equal(customer.Id, portal.Customer);
        Assert.Equal("https://app.test/billing", portal.ReturnUrl);
        Assert.StartsWith(fake.BaseUrl, portal.Url, StringComparison.Ordinal);
        await StripeAssert.ThrowsAsync(() => client.V1.BillingPortal.Sessions.CreateAsync(new PortalSessionCreateOptions { Customer = "cus_nope" }),
            404, "invalid_request_error", "resource_missing");
    }
}
