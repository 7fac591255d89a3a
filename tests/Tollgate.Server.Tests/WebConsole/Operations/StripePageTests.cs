using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.FakeStripe;
using Tollgate.Server.Billing.Webhooks;
using Tollgate.Server.Tests.Functional.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Operations;

/// <summary>The Stripe page's meter requeue and connection state, against the fake Stripe; the requeue takes effect.</summary>
public abstract class StripeMeterPageTests(ManualMeterSyncServer server)
{
    [Fact]
    public async Task SkippedUsageRequeuedFromTheConsoleIsSentOnTheNextSync()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        await world.CompanyAsync("late", customerId: null);
        await world.TrackAsync(MeterWorld.Subtype, "late", 4, 5);
        await world.SyncUntilSettledAsync();
        using var console = await OperationsConsole.InAsync(server, world.Api.EnvironmentId!);
        var before = await console.PageAsync("/console/stripe");
        Assert.Contains("Send skipped again (2)", before, StringComparison.Ordinal);
        Assert.Contains("connected", before, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Stripe.ApiKey, before, StringComparison.Ordinal);
        var customer = await MeterWorld.NewCustomerAsync(world.Stripe);
        await world.CompanyAsync("late", customer);

        using var requeued = await console.PostFormAsync("/console/stripe?handler=Requeue", new() { ["status"] = "skipped" });
        Assert.Equal(HttpStatusCode.Redirect, requeued.StatusCode);
        Assert.Equal(2L, (await world.StatusAsync()).GetProperty("pending").GetInt64());
        await world.SyncUntilSettledAsync();

        Assert.Equal(9, world.StripeTotal(customer));
        Assert.Contains("Send skipped again (0)", await console.PageAsync("/console/stripe"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADisconnectedEnvironmentOffersToConnectAndAWrongKeyIsRefusedNextToTheField()
    {
        var world = await MeterWorld.CreateAsync(server, server.Fake);
        using var console = await OperationsConsole.InAsync(server, world.Api.EnvironmentId!);

        using var disconnected = await console.PostFormAsync("/console/stripe?handler=Disconnect", []);
        Assert.Equal(HttpStatusCode.Redirect, disconnected.StatusCode);
        var page = await console.PageAsync("/console/stripe");
        Assert.Contains("Not connected", page, StringComparison.Ordinal);

        using var refused = await console.PostFormAsync("/console/stripe?handler=Connect", new() { ["Connect.SecretKey"] = "not-a-key", ["Connect.WebhookSecret"] = "whsec_x" });
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Matches("data-valmsg-for=\"Connect.SecretKey\"[^>]*>[^<]+<", html);
        Assert.DoesNotContain("not-a-key", html, StringComparison.Ordinal);

        using var connected = await console.PostFormAsync("/console/stripe?handler=Connect", new() { ["Connect.SecretKey"] = world.Stripe.ApiKey, ["Connect.WebhookSecret"] = "whsec_console_test", ["Connect.Import"] = "false" });
        Assert.Equal(HttpStatusCode.Redirect, connected.StatusCode);
        (await world.Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class StripeMeterPageTestsOnSqlite(ManualMeterSyncSqliteServer s) : StripeMeterPageTests(s), IClassFixture<ManualMeterSyncSqliteServer>;

public sealed class StripeMeterPageTestsOnPostgres(ManualMeterSyncPostgresServer s) : StripeMeterPageTests(s), IClassFixture<ManualMeterSyncPostgresServer>;

/// <summary>The Stripe page's webhook inbox: a failed event shows with its error, and retry from the console processes it again.</summary>
public abstract class StripeWebhookPageTests(ScriptedSyncFactory server)
{
    [Fact]
    public async Task AFailedWebhookEventShowsItsErrorAndRetryFromTheConsoleProcessesIt()
    {
        var world = await StripeWorld.CreateAsync(server);
        var product = $"prod_{Guid.NewGuid():N}";
        server.Sync.Fail(product, times: WebhookWorker.MaxAttempts);
        var worker = server.Services.GetRequiredService<WebhookWorker>();
        var delivery = await world.Webhooks.SendAsync(world.WebhookUri, WebhookSender.BuildEvent("product.updated", new JsonObject { ["id"] = product, ["object"] = "product" }, created: server.Time.GetUtcNow()));
        for (var attempt = 0; attempt < WebhookWorker.MaxAttempts + 2; attempt++)
        {
            server.Time.Advance(TimeSpan.FromHours(2));
            await worker.DrainAsync(CancellationToken.None);
        }

        await StatusAsync(world, delivery.EventId, "failed");
        using var console = await OperationsConsole.InAsync(server, world.Api.EnvironmentId!);
        var failed = await console.PageAsync("/console/stripe?status=failed");
        Assert.Contains(delivery.EventId, failed, StringComparison.Ordinal);
        Assert.Contains("product.updated", failed, StringComparison.Ordinal);

        using var retried = await console.PostFormAsync("/console/stripe?handler=Retry", new() { ["eventId"] = delivery.EventId });
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);

        await StatusAsync(world, delivery.EventId, "done");
        Assert.Contains(delivery.EventId, await console.PageAsync("/console/stripe?status=done"), StringComparison.Ordinal);
    }

    private static async Task StatusAsync(StripeWorld world, string eventId, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var events = (await world.Api.GetAsync("/billing/stripe/webhook-events")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray();
            if (events.Any(e => e.GetProperty("event_id").GetString() == eventId && e.GetProperty("status").GetString() == status))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{eventId} never reached {status}");
            await Task.Delay(20);
        }
    }
}

public sealed class StripeWebhookPageTestsOnSqlite(ScriptedSyncSqliteServer s) : StripeWebhookPageTests(s), IClassFixture<ScriptedSyncSqliteServer>;

public sealed class StripeWebhookPageTestsOnPostgres(ScriptedSyncPostgresServer s) : StripeWebhookPageTests(s), IClassFixture<ScriptedSyncPostgresServer>;
