using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Notifications;

/// <summary>
/// Outgoing webhooks across nodes on one store (issue 14's fault proof): a notice committed by a node that stops before
/// delivering is delivered by another, and the delivery log keeps delivered events only for their retention.
/// </summary>
public abstract class WebhookDeliveryNodeTests(StoreKind store)
{
    [Fact]
    public async Task ANoticeCommittedByANodeThatStopsBeforeDeliveringIsDeliveredByAnotherNodeAndLeavesTheLogAfterItsRetention()
    {
        using var receiver = new WebhookReceiver();
        using var unreachable = new WebhookReceiver();
        unreachable.Down();
        var database = $"tollgate_webhook_nodes_{Guid.NewGuid():N}";
        if (store == StoreKind.Postgres)
        {
            await TestPostgres.CreateDatabaseAsync(database);
        }

        WebhookNode? second = null;
        try
        {
            // The first node writes (the notice commits with the feature) and stops: its worker never delivers.
            string key, secret, delivered, owed;
            var first = new WebhookNode(store, database, deliver: false);
            await ((IAsyncLifetime)first).InitializeAsync();
            try
            {
                var api = await first.NewEnvironmentAsync();
                key = api.Key!;
                (delivered, secret) = await WebhookAsync(api, receiver.Url);
                (owed, _) = await WebhookAsync(api, unreachable.Url);
                await Given.BooleanFeatureAsync(api, "sso");
                Assert.Equal(0, (await api.GetAsync("/webhook-events/count")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
            }
            finally
            {
                await ((IAsyncLifetime)first).DisposeAsync();
            }

            Assert.Empty(receiver.Received);

            // A second node on the same store delivers it: once, signed as the SDK expects.
            second = new WebhookNode(store, database, deliver: true);
            await ((IAsyncLifetime)second).InitializeAsync();
            var again = second.Api(key);
            await receiver.WaitForAsync(r => r.Count > 0, "feature.created from the second node");
            var created = Assert.Single(receiver.Received);
            Assert.Equal("feature.created", created.Action);
            Assert.Equal("sso", created.Json.GetProperty("body").GetProperty("name").GetString());
            await NodeSdkWebhooks.AssertVerifiedAsync(secret, receiver.Received);
            var success = await EventAsync(again, delivered, e => e.GetProperty("status").GetString() == "success");
            var pending = await EventAsync(again, owed, e => e.GetProperty("attempt_count").GetInt32() >= 1);
            Assert.Equal("pending", pending.GetProperty("status").GetString());

            // Past the retention of delivered events (30 days by default) the delivered one leaves the log; the one still
            // owed stays, whatever its age.
            second.Time.Advance(TimeSpan.FromDays(31));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((await again.GetAsync($"/webhook-events/count?webhook_id={delivered}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64() > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the delivered event was not deleted after its retention");
                await Task.Delay(50);
            }

            (await again.GetAsync($"/webhook-events/{success.GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.NotFound);
            var kept = (await again.GetAsync($"/webhook-events/{pending.GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK).Data;
            Assert.NotEqual("success", kept.GetProperty("status").GetString());
            Assert.Single(receiver.Received);
        }
        finally
        {
            if (second is not null)
            {
                await ((IAsyncLifetime)second).DisposeAsync();
            }

            if (store == StoreKind.Postgres)
            {
                await TestPostgres.DropDatabaseAsync(database);
            }
            else
            {
                foreach (var suffix in new[] { ".db", ".db-wal", ".db-shm" })
                {
                    File.Delete(Path.Combine(Path.GetTempPath(), database + suffix));
                }
            }
        }
    }

    private static async Task<(string Id, string Secret)> WebhookAsync(ApiClient api, string url)
    {
        var created = (await api.PostAsync("/webhooks", new { name = "Node", url, requestTypes = new[] { "feature.created" } })).ShouldBe(HttpStatusCode.OK).Data;
        return (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    private static async Task<JsonElement> EventAsync(ApiClient api, string webhookId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var events = (await api.GetAsync($"/webhook-events?webhook_id={webhookId}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToList();
            if (events.Count == 1 && done(events[0]))
            {
                return events[0];
            }

            Assert.True(DateTime.UtcNow < deadline, $"the delivery did not get there; the log: {string.Join(", ", events)}");
            await Task.Delay(20);
        }
    }

    /// <summary>A node on a database another test makes and drops; <c>deliver</c> false: its worker delivers nothing.</summary>
    private sealed class WebhookNode(StoreKind store, string database, bool deliver) : TollgateFactory(store, database)
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
            [.. base.ExtraSettings(), new("Tollgate:Webhooks:PollInterval", "00:00:00.050"), new("Tollgate:Webhooks:Deliver", deliver ? "true" : "false")];
    }
}

public sealed class WebhookDeliveryNodeTestsOnSqlite() : WebhookDeliveryNodeTests(StoreKind.Sqlite);

public sealed class WebhookDeliveryNodeTestsOnPostgres() : WebhookDeliveryNodeTests(StoreKind.Postgres);
