using System.Text.Json.Nodes;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Adapter;

/// <summary>The adapter's webhook verification: Stripe.net's signature rules, then only the envelope is read.</summary>
public sealed class StripeWebhooksTests
{
    private const string Secret = "whsec_adapter_tests_0123456789";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AGenuineEventIsReadToItsObject()
    {
        var payload = WebhookSender.BuildEvent("customer.subscription.updated", new JsonObject { ["id"] = "sub_1", ["object"] = "subscription" }, created: Now);

        var notice = StripeWebhooks.Verify(payload, Sign(payload, Now), Secret, 300, Now);

        Assert.StartsWith("evt_", notice.Id, StringComparison.Ordinal);
        Assert.Equal("customer.subscription.updated", notice.Type);
        Assert.Equal(("subscription", "sub_1"), (notice.ObjectType, notice.ObjectId));
        Assert.Equal(Now, notice.Created);
    }

    [Fact]
    public void AnEventOfAnotherApiVersionIsAcceptedBecauseTheObjectIsReadAgainFromStripe()
    {
        var payload = WebhookSender.BuildEvent("product.updated", new JsonObject { ["id"] = "prod_1", ["object"] = "product" }, created: Now, apiVersion: "2025-09-30.clover");

        var notice = StripeWebhooks.Verify(payload, Sign(payload, Now), Secret, 300, Now);

        Assert.Equal("2025-09-30.clover", notice.ApiVersion);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void ATimestampOutsideTheToleranceIsRefused(int offsetSeconds)
    {
        var payload = WebhookSender.BuildEvent("product.updated", new JsonObject { ["id"] = "prod_1", ["object"] = "product" }, created: Now);

        var error = Assert.Throws<StripeWebhookException>(() => StripeWebhooks.Verify(payload, Sign(payload, Now.AddSeconds(offsetSeconds)), Secret, 300, Now));

        Assert.StartsWith("Stripe-Signature", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("t=1,v1=00")]
    public void AMissingOrWrongSignatureIsRefused(string? header)
    {
        var payload = WebhookSender.BuildEvent("product.updated", new JsonObject { ["id"] = "prod_1", ["object"] = "product" }, created: Now);

        Assert.Throws<StripeWebhookException>(() => StripeWebhooks.Verify(payload, header, Secret, 300, Now));
    }

    [Theory]
    [InlineData("""{"id":"evt_1","object":"v2.core.event","type":"v1.billing.meter.no_meter_found"}""", "thin")]
    [InlineData("""{"id":"evt_1","object":"event","created":1}""", "body.type")]
    [InlineData("""{"object":"event","type":"x","created":1}""", "body.id")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""{""", "JSON")]
    public void ASignedBodyThatIsNotASnapshotEventIsRefusedNamingThePart(string payload, string mentions)
    {
        var error = Assert.Throws<StripeWebhookException>(() => StripeWebhooks.Verify(payload, Sign(payload, Now), Secret, 300, Now));

        Assert.Contains(mentions, error.Message, StringComparison.Ordinal);
    }

    private static string Sign(string payload, DateTimeOffset at) => new WebhookSender(Secret).Sign(payload, at.ToUnixTimeSeconds());
}
