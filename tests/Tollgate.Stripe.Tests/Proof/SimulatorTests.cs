using Stripe;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>State changes Stripe makes on its own, with the events it emits; every event parses into Stripe.net's types.</summary>
public sealed class SimulatorTests
{
    private static async Task<(FakeStripeServer Fake, StripeClient Client, Subscription Sub)> SubscribedAsync(long? trialDays = null)
    {
        var fake = await FakeStripeServer.StartAsync();
        var client = fake.CreateClient();
        var (customer, seat, _) = await SubscriptionTests.CatalogAsync(client);
        var sub = await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id, Items = [new() { Price = seat.Id, Quantity = 2 }], TrialPeriodDays = trialDays,
        });
        return (fake, client, sub);
    }

    [Fact]
    public async Task AdvancingAPeriodMovesItemPeriodsAndInvoicesTheRenewal()
    {
        var (fake, client, sub) = await SubscribedAsync();
        await using var _ = fake;

        fake.Simulate.AdvancePeriod(sub.Id);
        var renewed = await client.V1.Subscriptions.GetAsync(sub.Id, new SubscriptionGetOptions { Expand = ["latest_invoice"] });

        Assert.Equal(sub.Items.Data[0].CurrentPeriodEnd, renewed.Items.Data[0].CurrentPeriodStart);
        Assert.Equal(renewed.Items.Data[0].CurrentPeriodStart.AddMonths(1), renewed.Items.Data[0].CurrentPeriodEnd);
        Assert.Equal("subscription_cycle", renewed.LatestInvoice.BillingReason);
        var updated = EventUtility.ParseEvent(fake.Store.Events.Last(e => (string?)e["type"] == "customer.subscription.updated").ToJsonString());
        Assert.NotNull(updated.Data.PreviousAttributes);
    }

    [Fact]
    public async Task TrialsStartAndEnd()
    {
        var (fake, client, sub) = await SubscribedAsync();
        await using var _ = fake;

        fake.Simulate.StartTrial(sub.Id, days: 7);
        var trialing = await client.V1.Subscriptions.GetAsync(sub.Id);
        fake.Simulate.EndTrial(sub.Id);
        var active = await client.V1.Subscriptions.GetAsync(sub.Id);

        Assert.Equal("trialing", trialing.Status);
        Assert.Equal(trialing.TrialStart!.Value.AddDays(7), trialing.TrialEnd);
        Assert.Equal("active", active.Status);
        Assert.Contains(fake.Store.Events, e => (string?)e["type"] == "customer.subscription.trial_will_end");
    }

    [Fact]
    public async Task AFailedPaymentMakesThePastDueSubscriptionAndRecoveryReactivatesIt()
    {
        var (fake, client, sub) = await SubscribedAsync();
        await using var _ = fake;

        fake.Simulate.FailPayment(sub.Id);
        var pastDue = await client.V1.Subscriptions.GetAsync(sub.Id);
        var failed = await client.V1.Invoices.GetAsync(pastDue.LatestInvoiceId);
        var open = await client.V1.Invoices.ListAsync(new InvoiceListOptions { Subscription = sub.Id, Status = "open" });
        fake.Simulate.RecoverPayment(sub.Id);
        var recovered = await client.V1.Subscriptions.GetAsync(sub.Id);

        Assert.Equal("past_due", pastDue.Status);
        Assert.Equal("open", failed.Status);
        Assert.Equal(sub.Id, failed.Parent.SubscriptionDetails.SubscriptionId);
        Assert.Equal([failed.Id], open.Data.Select(i => i.Id));
        Assert.Equal("active", recovered.Status);
        var failedEvent = EventUtility.ParseEvent(fake.Store.Events.Single(e => (string?)e["type"] == "invoice.payment_failed").ToJsonString());
        Assert.Equal(failed.Id, Assert.IsType<Invoice>(failedEvent.Data.Object).Id);
    }

    [Fact]
    public async Task CancelAtPeriodEndCancelsWhenThePeriodEnds()
    {
        var (fake, client, sub) = await SubscribedAsync();
        await using var _ = fake;
        await client.V1.Subscriptions.UpdateAsync(sub.Id, new SubscriptionUpdateOptions { CancelAtPeriodEnd = true });

        fake.Simulate.AdvancePeriod(sub.Id);

        Assert.Equal("canceled", (await client.V1.Subscriptions.GetAsync(sub.Id)).Status);
        Assert.Equal("customer.subscription.deleted", (string?)fake.Store.Events[^1]["type"]);
    }

    [Fact]
    public async Task EveryEventTheFakeEmitsParsesIntoStripeNetTypesAndIsListedNewestFirst()
    {
        var (fake, client, sub) = await SubscribedAsync(trialDays: 3);
        await using var _ = fake;
        fake.Simulate.EndTrial(sub.Id);
        fake.Simulate.FailPayment(sub.Id);
        fake.Simulate.Cancel(sub.Id);

        foreach (var raw in fake.Store.Events)
        {
            var evt = EventUtility.ParseEvent(raw.ToJsonString());
            Assert.NotNull(evt.Data.Object);
            Assert.Equal((string?)raw["data"]!["object"]!["id"], ((IHasId)evt.Data.Object).Id);
        }
        var listed = new List<string>();
        await foreach (var e in client.V1.Events.ListAutoPagingAsync(new EventListOptions { Limit = 5 })) listed.Add(e.Id);
        Assert.Equal(fake.Store.Events.Select(e => (string)e["id"]!).Reverse(), listed);
        var subscriptionEvents = await client.V1.Events.ListAsync(new EventListOptions { Type = "customer.subscription.*", Limit = 100 });
        Assert.All(subscriptionEvents.Data, e => Assert.StartsWith("customer.subscription.", e.Type, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACollectingSenderDeliversTheFakesEventsSignedToAnEndpoint()
    {
        await using var fake = await FakeStripeServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync("whsec_flush");
        var sender = new WebhookSender("whsec_flush");
        sender.Collect(fake);
        var client = fake.CreateClient();
        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "hook@acme.test" });

        var deliveries = await sender.FlushAsync(receiver.Endpoint);

        var delivered = Assert.Single(deliveries);
        Assert.Equal(200, delivered.Status);
        Assert.Equal(customer.Id, ((Customer)Assert.Single(receiver.Accepted).Data.Object).Id);
        Assert.Empty(sender.Pending);
    }
}
