using System.Net;
using System.Text.Json.Nodes;
using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// The webhook endpoint: only genuine, fresh deliveries signed with the environment's secret are accepted, each event
/// once; what is acknowledged is in the inbox.
/// </summary>
public abstract class WebhookReceiverTests(StripeTollgateFactory server)
{
    [Theory]
    [InlineData(WebhookSignature.WrongSecret)]
    [InlineData(WebhookSignature.Stale)]
    [InlineData(WebhookSignature.FromTheFuture)]
    [InlineData(WebhookSignature.TamperedBody)]
    [InlineData(WebhookSignature.Malformed)]
    [InlineData(WebhookSignature.Missing)]
    public async Task ADeliveryThatIsNotGenuineAndFreshIsRefusedAndKeptNowhere(WebhookSignature signature)
    {
        var world = await StripeWorld.CreateAsync(server);

        var delivery = await world.Webhooks.SendAsync(world.WebhookUri, ProductEvent(world), signature);

        Assert.Equal(400, delivery.Status);
        Assert.Contains("Stripe-Signature", delivery.ResponseBody, StringComparison.Ordinal);
        Assert.Equal(0, (await EventsAsync(world)).GetArrayLength());
    }

    [Fact]
    public async Task AGenuineDeliveryIsAcknowledgedOnceAndRedeliveriesAreDuplicates()
    {
        var world = await StripeWorld.CreateAsync(server);
        var payload = ProductEvent(world);

        var first = await world.Webhooks.SendAsync(world.WebhookUri, payload);
        var again = await world.Webhooks.SendAsync(world.WebhookUri, payload);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, again.Status);
        Assert.False(JsonNode.Parse(first.ResponseBody)!["duplicate"]!.GetValue<bool>());
        Assert.True(JsonNode.Parse(again.ResponseBody)!["duplicate"]!.GetValue<bool>());
        var events = await EventsAsync(world);
        Assert.Equal(1, events.GetArrayLength());
        Assert.Equal("product.created", events[0].GetProperty("type").GetString());
        Assert.Equal("product", events[0].GetProperty("object_type").GetString());
    }

    [Fact]
    public async Task EventsTollgateDoesNotFollowAreRecordedAsIgnored()
    {
        var world = await StripeWorld.CreateAsync(server);
        var payload = WebhookSender.BuildEvent("charge.succeeded", new JsonObject { ["id"] = "ch_1", ["object"] = "charge" }, created: server.Time.GetUtcNow());

        var delivery = await world.Webhooks.SendAsync(world.WebhookUri, payload);

        Assert.Equal(200, delivery.Status);
        Assert.True(JsonNode.Parse(delivery.ResponseBody)!["ignored"]!.GetValue<bool>());
        var events = await EventsAsync(world, "?status=ignored");
        Assert.Equal("charge.succeeded", events[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task AnEnvironmentWithoutAConnectionHasNoEndpoint()
    {
        var world = await StripeWorld.CreateAsync(server, connect: false);

        var delivery = await world.Webhooks.SendAsync(world.WebhookUri, ProductEvent(world));

        Assert.Equal(404, delivery.Status);
    }

    [Fact]
    public async Task ADeliverySignedForAnotherEnvironmentIsRefused()
    {
        var world = await StripeWorld.CreateAsync(server);
        var other = await StripeWorld.CreateAsync(server);

        var delivery = await world.Webhooks.SendAsync(other.WebhookUri, ProductEvent(world));

        Assert.Equal(400, delivery.Status);
        Assert.Equal(0, (await EventsAsync(other)).GetArrayLength());
    }

    [Fact]
    public async Task ThinEventsAndNonEventsAreRefusedNamingTheBody()
    {
        var world = await StripeWorld.CreateAsync(server);

        var thin = await PostSignedAsync(world, """{"id":"evt_1","object":"v2.core.event","type":"v1.billing.meter.no_meter_found","created":"2025-06-11T12:00:00Z"}""");
        var notAnEvent = await PostSignedAsync(world, """{"id":"cus_1","object":"customer"}""");
        var notJson = await PostSignedAsync(world, "not json");

        foreach (var (status, body) in new[] { thin, notAnEvent, notJson })
        {
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("body", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheEventListRefusesAnUnknownStatus()
    {
        var world = await StripeWorld.CreateAsync(server);

        (await world.Api.GetAsync("/billing/stripe/webhook-events?status=lost")).ShouldFail(HttpStatusCode.BadRequest, "status");
        (await world.Api.PostAsync("/billing/stripe/webhook-events/evt_missing/retry", null)).ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>POSTs any body with a valid signature (the sender itself only sends events).</summary>
    private async Task<(HttpStatusCode Status, string Body)> PostSignedAsync(StripeWorld world, string body)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, world.WebhookUri) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", world.Webhooks.Sign(body, server.Time.GetUtcNow().ToUnixTimeSeconds()));
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private string ProductEvent(StripeWorld world) =>
        WebhookSender.BuildEvent("product.created", new JsonObject { ["id"] = $"prod_{Guid.NewGuid():N}", ["object"] = "product", ["name"] = world.Api.EnvironmentId }, created: server.Time.GetUtcNow());

    private static async Task<System.Text.Json.JsonElement> EventsAsync(StripeWorld world, string query = "") =>
        (await world.Api.GetAsync("/billing/stripe/webhook-events" + query)).ShouldBe(HttpStatusCode.OK).Data;
}

public sealed class WebhookReceiverTestsOnSqlite(StripeSqliteServer server) : WebhookReceiverTests(server), IClassFixture<StripeSqliteServer>;

public sealed class WebhookReceiverTestsOnPostgres(StripePostgresServer server) : WebhookReceiverTests(server), IClassFixture<StripePostgresServer>;
