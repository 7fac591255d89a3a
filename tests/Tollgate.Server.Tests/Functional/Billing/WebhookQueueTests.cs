using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.FakeStripe;
using Tollgate.Server.Billing.Webhooks;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// The webhook queue: every acknowledged event's object is synced, each object once per batch whatever the order and
/// duplicates; failures are retried with backoff from the durable inbox, given up visibly, and retryable by hand.
/// </summary>
public abstract class WebhookQueueTests(ScriptedSyncFactory server)
{
    [Fact]
    public async Task AnAcknowledgedEventsObjectIsSynced()
    {
        var world = await StripeWorld.CreateAsync(server);
        var subscription = NewId("sub");

        var delivery = await world.Webhooks.SendAsync(world.WebhookUri, Event("customer.subscription.updated", "subscription", subscription));

        Assert.Equal(200, delivery.Status);
        await UntilAsync(world, e => e.GetProperty("status").GetString() == "done");
        Assert.Contains($"subscription/{subscription}", server.Sync.Calls);
    }

    [Fact]
    public async Task EventsAboutOneObjectInOneBatchSyncItOnce()
    {
        var world = await StripeWorld.CreateAsync(server);
        var subscription = NewId("sub");
        var blocker = NewId("prod");
        var hold = server.Sync.Hold(blocker);

        // The worker is kept busy with another object while the events arrive, duplicated and shuffled, so that it
        // claims them in one batch afterwards.
        await world.Webhooks.SendAsync(world.WebhookUri, Event("product.updated", "product", blocker));
        await UntilCalledAsync($"product/{blocker}");
        var payloads = new[] { "customer.subscription.created", "customer.subscription.updated", "customer.subscription.updated" }
            .Select(type => Event(type, "subscription", subscription))
            .ToList();
        var deliveries = await world.Webhooks.SendAllAsync(world.WebhookUri, payloads, new WebhookDeliveryPlan(Copies: 2, Order: WebhookOrder.Shuffled, Seed: 7));
        hold.SetResult();

        Assert.All(deliveries, d => Assert.Equal(200, d.Status));
        var events = await UntilAsync(world, e => e.GetProperty("status").GetString() == "done");
        Assert.Equal(4, events.Count);
        Assert.Equal(1, server.Sync.Calls.Count(c => c == $"subscription/{subscription}"));
    }

    [Fact]
    public async Task AFailedSyncIsRetriedWithBackoffUntilItSucceeds()
    {
        var world = await StripeWorld.CreateAsync(server);
        var customer = NewId("cus");
        server.Sync.Fail(customer, times: 3);

        await world.Webhooks.SendAsync(world.WebhookUri, Event("customer.updated", "customer", customer));

        var failing = (await UntilAsync(world, e => e.GetProperty("attempts").GetInt32() == 1 && e.GetProperty("last_error").ValueKind == JsonValueKind.String))[0];
        Assert.Equal("pending", failing.GetProperty("status").GetString());
        Assert.Contains("503", failing.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        var status = await WebhookStatusAsync(world, s => s.GetProperty("pending").GetInt64() == 1);
        Assert.Contains("503", status.GetProperty("last_error").GetString(), StringComparison.Ordinal);

        // Backoff is 1 s, 2 s, 4 s (±25 %) on the server's clock.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(6));
            await server.Services.GetRequiredService<WebhookWorker>().DrainAsync(CancellationToken.None);
        }

        var done = (await UntilAsync(world, e => e.GetProperty("status").GetString() == "done"))[0];
        Assert.Equal(4, done.GetProperty("attempts").GetInt32());
        Assert.Equal(4, server.Sync.Calls.Count(c => c == $"customer/{customer}"));
    }

    [Fact]
    public async Task AnEventThatKeepsFailingIsGivenUpVisiblyAndCanBeRetried()
    {
        var world = await StripeWorld.CreateAsync(server);
        var product = NewId("prod");
        server.Sync.Fail(product, times: WebhookWorker.MaxAttempts);
        var worker = server.Services.GetRequiredService<WebhookWorker>();

        var delivery = await world.Webhooks.SendAsync(world.WebhookUri, Event("product.updated", "product", product));
        for (var attempt = 0; attempt < WebhookWorker.MaxAttempts + 2; attempt++)
        {
            server.Time.Advance(TimeSpan.FromHours(2));
            await worker.DrainAsync(CancellationToken.None);
        }

        var failed = (await UntilAsync(world, e => e.GetProperty("status").GetString() == "failed"))[0];
        Assert.Equal(WebhookWorker.MaxAttempts, failed.GetProperty("attempts").GetInt32());
        await WebhookStatusAsync(world, s => s.GetProperty("failed").GetInt64() == 1);

        (await world.Api.PostAsync($"/billing/stripe/webhook-events/{delivery.EventId}/retry", null)).ShouldBe(HttpStatusCode.OK);
        await UntilAsync(world, e => e.GetProperty("status").GetString() == "done");
    }

    [Fact]
    public async Task EventsWaitWhileTheEnvironmentIsDisconnected()
    {
        var world = await StripeWorld.CreateAsync(server);
        var price = NewId("price");
        await world.Webhooks.SendAsync(world.WebhookUri, Event("price.updated", "price", price));
        await UntilAsync(world, e => e.GetProperty("status").GetString() == "done");

        // A delivery accepted just before the disconnect stays pending (the inbox keeps it) and is synced after reconnecting.
        server.Sync.Fail(price, times: 1);
        var second = await world.Webhooks.SendAsync(world.WebhookUri, Event("price.updated", "price", price));
        await UntilAsync(world, e => e.GetProperty("event_id").GetString() != second.EventId || e.GetProperty("last_error").ValueKind == JsonValueKind.String);
        (await world.Api.DeleteAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK);
        server.Time.Advance(TimeSpan.FromSeconds(10));
        await server.Services.GetRequiredService<WebhookWorker>().DrainAsync(CancellationToken.None);
        Assert.Equal("pending", (await EventsAsync(world)).Single(e => e.GetProperty("event_id").GetString() == second.EventId).GetProperty("status").GetString());

        (await world.ConnectAsync()).ShouldBe(HttpStatusCode.OK);
        server.Time.Advance(TimeSpan.FromSeconds(10));
        await server.Services.GetRequiredService<WebhookWorker>().DrainAsync(CancellationToken.None);
        await UntilAsync(world, e => e.GetProperty("status").GetString() == "done");
    }

    [Fact]
    public async Task HandledEventsAreForgottenAfterThirtyDaysAndFailedOnesAreKept()
    {
        var world = await StripeWorld.CreateAsync(server);
        var handled = NewId("cus");
        var failing = NewId("cus");
        server.Sync.Fail(failing, times: WebhookWorker.MaxAttempts);
        var worker = server.Services.GetRequiredService<WebhookWorker>();
        await world.Webhooks.SendAsync(world.WebhookUri, Event("customer.updated", "customer", handled));
        var kept = await world.Webhooks.SendAsync(world.WebhookUri, Event("customer.updated", "customer", failing));
        await UntilAsync(world, e => e.GetProperty("attempts").GetInt32() >= 1);

        server.Time.Advance(WebhookWorker.KeepHandledFor + TimeSpan.FromDays(1));
        await worker.DrainAsync(CancellationToken.None);

        var left = await EventsAsync(world);
        Assert.Equal(kept.EventId, Assert.Single(left).GetProperty("event_id").GetString());
    }

    /// <summary>The connection's <c>webhooks</c> status once it satisfies <paramref name="condition"/> (it is written after each pass of the worker).</summary>
    private static async Task<JsonElement> WebhookStatusAsync(StripeWorld world, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var status = (await world.Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status");
            if (status.TryGetProperty("webhooks", out var webhooks) && condition(webhooks))
            {
                return webhooks;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException("The webhook status did not reach the expected state: " + status.GetRawText());
            }

            await Task.Delay(20);
        }
    }

    private async Task UntilCalledAsync(string call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!server.Sync.Calls.Contains(call))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{call} was never synced");
            await Task.Delay(10);
        }
    }

    private static string NewId(string prefix) => $"{prefix}_{Guid.NewGuid():N}";

    private string Event(string type, string objectType, string id) =>
        WebhookSender.BuildEvent(type, new JsonObject { ["id"] = id, ["object"] = objectType }, created: server.Time.GetUtcNow());

    private static async Task<List<JsonElement>> EventsAsync(StripeWorld world) =>
        [.. (await world.Api.GetAsync("/billing/stripe/webhook-events")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()];

    /// <summary>The received events once every one satisfies <paramref name="condition"/> (polled up to 10 s).</summary>
    private static async Task<List<JsonElement>> UntilAsync(StripeWorld world, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var events = await EventsAsync(world);
            if (events.Count > 0 && events.All(condition))
            {
                return events;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException("The webhook events did not reach the expected state: " + string.Join(", ", events.Select(e => e.GetRawText())));
            }

            await Task.Delay(20);
        }
    }
}

public sealed class WebhookQueueTestsOnSqlite(ScriptedSyncSqliteServer server) : WebhookQueueTests(server), IClassFixture<ScriptedSyncSqliteServer>;

public sealed class WebhookQueueTestsOnPostgres(ScriptedSyncPostgresServer server) : WebhookQueueTests(server), IClassFixture<ScriptedSyncPostgresServer>;
