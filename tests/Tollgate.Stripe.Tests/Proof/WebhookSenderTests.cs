using System.Text.Json.Nodes;
using Stripe;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Proof;

/// <summary>The webhook sender signs exactly like Stripe: Stripe.net's EventUtility accepts its good signatures and rejects the bad.</summary>
public sealed class WebhookSenderTests
{
    private const string Secret = "whsec_test_tollgate";

    private static string SubscriptionEvent() => WebhookSender.BuildEvent("customer.subscription.updated", new JsonObject
    {
        ["id"] = "sub_123", ["object"] = "subscription", ["customer"] = "cus_1", ["status"] = "past_due",
        ["items"] = new JsonObject { ["object"] = "list", ["data"] = new JsonArray(), ["has_more"] = false, ["url"] = "/v1/subscription_items?subscription=sub_123" },
    }, new JsonObject { ["status"] = "active" });

    [Fact]
    public void AGoodSignatureIsAcceptedAndTheEventIsTyped()
    {
        var sender = new WebhookSender(Secret);
        var payload = SubscriptionEvent();
        var (body, header) = sender.Prepare(payload);

        var evt = EventUtility.ConstructEvent(body, header, Secret);

        Assert.StartsWith("evt_", evt.Id, StringComparison.Ordinal);
        Assert.Equal(EventTypes.CustomerSubscriptionUpdated, evt.Type);
        Assert.Equal(StripeConfiguration.ApiVersion, evt.ApiVersion);
        var sub = Assert.IsType<Subscription>(evt.Data.Object);
        Assert.Equal("past_due", sub.Status);
        Assert.Equal("active", (string)evt.Data.PreviousAttributes.status);
    }

    [Fact]
    public void TheSignatureMatchesStripeNetsOwnGenerator()
    {
        var payload = SubscriptionEvent();
        var sender = new WebhookSender(Secret);

        Assert.Equal(EventUtility.GenerateSignatureHeader(payload, Secret, 1_764_000_000), sender.Sign(payload, 1_764_000_000));
    }

    [Theory]
    [InlineData(WebhookSignature.WrongSecret)]
    [InlineData(WebhookSignature.TamperedBody)]
    [InlineData(WebhookSignature.Stale)]
    [InlineData(WebhookSignature.FromTheFuture)]
    [InlineData(WebhookSignature.Malformed)]
    public void BadSignaturesAndStaleTimestampsAreRejected(WebhookSignature signature)
    {
        var (body, header) = new WebhookSender(Secret).Prepare(SubscriptionEvent(), signature);

        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(body, header, Secret));
    }

    [Fact]
    public async Task DeliveriesCanBeDuplicatedReorderedAndSignedBadly()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var sender = new WebhookSender(Secret);
        string[] payloads = [WebhookSender.BuildEvent("customer.created", new JsonObject { ["id"] = "cus_1", ["object"] = "customer" }), SubscriptionEvent()];
        var ids = payloads.Select(p => (string)JsonNode.Parse(p)!["id"]!).ToArray();

        var twice = await sender.SendAllAsync(receiver.Endpoint, payloads, new WebhookDeliveryPlan(Copies: 2, Order: WebhookOrder.Reversed, DelayBetween: TimeSpan.FromMilliseconds(10)));
        var stale = await sender.SendAsync(receiver.Endpoint, payloads[0], WebhookSignature.Stale);
        var unsigned = await sender.SendAsync(receiver.Endpoint, payloads[0], WebhookSignature.Missing);

        Assert.All(twice, d => Assert.Equal(200, d.Status));
        Assert.Equal([ids[1], ids[1], ids[0], ids[0]], receiver.Accepted.Select(e => e.Id));
        Assert.Equal(400, stale.Status);
        Assert.Equal(400, unsigned.Status);
        Assert.Equal(4, receiver.Accepted.Count);
    }

    [Fact]
    public void ShuffledOrderIsASeededPermutationOfEveryCopy()
    {
        string[] payloads = ["a", "b", "c", "d"];

        var once = WebhookSender.Arrange(payloads, new WebhookDeliveryPlan(Copies: 2, Order: WebhookOrder.Shuffled, Seed: 7));
        var again = WebhookSender.Arrange(payloads, new WebhookDeliveryPlan(Copies: 2, Order: WebhookOrder.Shuffled, Seed: 7));

        Assert.Equal(once, again);
        Assert.Equal(["a", "a", "b", "b", "c", "c", "d", "d"], once.Order(StringComparer.Ordinal));
        Assert.NotEqual(["a", "a", "b", "b", "c", "c", "d", "d"], once);
    }

    [Fact]
    public void AnEventFromAnotherMajorApiVersionIsRefusedByTheDefaultParser()
    {
        var payload = WebhookSender.BuildEvent("customer.created", new JsonObject { ["id"] = "cus_1", ["object"] = "customer" }, apiVersion: "2025-09-30.clover");
        var (body, header) = new WebhookSender(Secret).Prepare(payload);

        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(body, header, Secret));
        Assert.Equal("cus_1", ((Customer)EventUtility.ConstructEvent(body, header, Secret, throwOnApiVersionMismatch: false).Data.Object).Id);
    }

    [Fact]
    public async Task AFailedDeliveryIsRetriedWithTheSameEventId()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        receiver.FailNext = 2;
        var sender = new WebhookSender(Secret);
        var payload = SubscriptionEvent();

        var deliveries = await sender.SendAllAsync(receiver.Endpoint, [payload], new WebhookDeliveryPlan(Attempts: 3));

        Assert.Equal([503, 503, 200], deliveries.Select(d => d.Status));
        Assert.Single(deliveries.Select(d => d.EventId).Distinct());
        Assert.Equal(deliveries[0].EventId, Assert.Single(receiver.Accepted).Id);
    }
}
