using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Datastream;

/// <summary>
/// Two nodes on one PostgreSQL database: a stream opened on node B is pushed what is written through node A (the
/// change feed's LISTEN/NOTIFY fan-out) — the datastream of Schematic's server SDKs, and the browser SDK's live flags.
/// </summary>
public sealed class DatastreamAcrossNodesTests(PostgresNodes nodes) : IClassFixture<PostgresNodes>
{
    [Fact]
    public async Task AStreamOnNodeBAnswersRequestsAndIsPushedEveryWriteMadeOnNodeA()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        var companyId = await s.CompanyAsync("streamed", s.Pro, seats: 2);
        await Assert.ThrowsAnyAsync<Exception>(() => StreamClient.ConnectAsync(nodes.B, "/datastream", "tg_sk_not_a_key_at_all_0123456789")); // refused at the upgrade
        await using var stream = await StreamClient.ConnectAsync(nodes.B, "/datastream", s.Api.Key);

        await stream.SendAsync(new { data = new { entity_type = "rulesengine.Flags" } });
        var flags = await stream.ReceiveAsync();
        Assert.Equal(("rulesengine.Flags", "full"), (flags.GetProperty("entity_type").GetString(), flags.GetProperty("message_type").GetString()));
        Assert.Contains(flags.GetProperty("data").EnumerateArray(), f => f.GetProperty("key").GetString() == "sso" && f.GetProperty("rules").GetArrayLength() > 0);

        // A request names the company by a key; the answer carries it (the SDK matches its waiter by the reply's keys).
        await stream.SendAsync(new { data = new { entity_type = "rulesengine.Company", keys = new { id = "streamed" }, action = "" } });
        var company = await stream.ReceiveAsync();
        Assert.Equal((companyId, "full"), (company.GetProperty("entity_id").GetString(), company.GetProperty("message_type").GetString()));
        Assert.Equal("streamed", company.GetProperty("data").GetProperty("keys").GetProperty("id").GetString());
        Assert.Contains(s.Pro, company.GetProperty("data").GetProperty("plan_ids").EnumerateArray().Select(p => p.GetString()));

        await stream.SendAsync(new { data = new { entity_type = "rulesengine.Company", keys = new { id = "nobody" } } });
        var missing = await stream.ReceiveAsync();
        Assert.Equal("error", missing.GetProperty("message_type").GetString());
        Assert.Equal(("nobody", "rulesengine.Company"), (missing.GetProperty("data").GetProperty("keys").GetProperty("id").GetString(), missing.GetProperty("data").GetProperty("entity_type").GetString()));
        await stream.SendAsync(new { data = new { entity_type = "rulesengine.Gadget" } });
        Assert.Contains("entity_type", (await stream.ReceiveAsync()).GetProperty("data").GetProperty("error").GetString(), StringComparison.Ordinal);

        // Writes through node A: an override (a full company), usage (a partial of metrics), the catalog (all flags).
        await Given.OverrideAsync(s.Api, new { companyId, featureId = s.Sso, valueType = "boolean", valueBool = false });
        await stream.ReceiveUntilAsync(m => m.GetProperty("message_type").GetString() == "full" && m.GetProperty("entity_id").GetString() == companyId
            && m.GetProperty("data").GetProperty("rules").EnumerateArray().Any(r => r.GetProperty("rule_type").GetString() == "company_override"));

        (await Events.SendAsync(s.Api, Events.Track("api_call", "streamed", 7))).ShouldBe(HttpStatusCode.OK);
        var usage = await stream.ReceiveUntilAsync(m => m.GetProperty("message_type").GetString() == "partial");
        Assert.Equal(companyId, usage.GetProperty("entity_id").GetString());
        Assert.Contains(usage.GetProperty("data").GetProperty("metrics").EnumerateArray(), m => m.GetProperty("event_subtype").GetString() == "api_call" && m.GetProperty("value").GetInt64() == 7);
        Assert.False(usage.GetProperty("data").TryGetProperty("rules", out _)); // a partial replaces only what it carries

        await Given.BooleanFeatureAsync(s.Api, "brand-new", defaultValue: true);
        await stream.ReceiveUntilAsync(m => m.GetProperty("entity_type").GetString() == "rulesengine.Flags"
            && m.GetProperty("data").EnumerateArray().Any(f => f.GetProperty("key").GetString() == "brand-new"));

        // A company deleted on A: a delete carrying the whole entity (the SDKs parse it with the full schema).
        (await s.Api.PostAsync("/companies/delete", new { keys = Given.Keys("streamed") })).ShouldBe(HttpStatusCode.OK);
        var deleted = await stream.ReceiveUntilAsync(m => m.GetProperty("message_type").GetString() == "delete");
        Assert.Equal("streamed", deleted.GetProperty("data").GetProperty("keys").GetProperty("id").GetString());
    }

    [Fact]
    public async Task AKeyRevokedOnNodeAClosesItsStreamOnNodeBWith4001AndAPublishableKeyGetsNoDatastream()
    {
        var admin = await nodes.A.NewEnvironmentAsync();
        var created = (await admin.PostAsync("/api-keys", new { name = "replica" })).ShouldBe(HttpStatusCode.Created);
        var publishable = (await admin.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created);
        await Assert.ThrowsAnyAsync<Exception>(() => StreamClient.ConnectAsync(nodes.B, "/datastream", publishable.Data.GetProperty("key").GetString()));
        await using var stream = await StreamClient.ConnectAsync(nodes.B, "/datastream", created.Data.GetProperty("key").GetString());
        await stream.SendAsync(new { data = new { entity_type = "rulesengine.Flags" } });
        await stream.ReceiveAsync();

        (await admin.DeleteAsync($"/api-keys/{created.Data.GetProperty("api_key").GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal((WebSocketCloseStatus)4001, await stream.ClosedAsync());
    }

    [Fact]
    public async Task TheBrowserSdksLiveFlagsOnNodeBFollowOverridesAndEventsCapturedOnNodeA()
    {
        var s = await PricingScenario.CreateAsync(nodes.A);
        await s.CompanyAsync("browser-co", s.Starter, seats: 1);
        var key = (await s.Api.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("key").GetString()!;

        await using (var refused = await StreamClient.ConnectAsync(nodes.B, "/flags/bootstrap?apiKey=tg_pk_wrong_0123456789abcdef", key: null))
        {
            Assert.Equal((WebSocketCloseStatus)4001, await refused.ClosedAsync());
        }

        // What schematic-js 1.8.0 sends after opening the socket (wsSendMessage), and the answer it waits for.
        await using var page = await StreamClient.ConnectAsync(nodes.B, $"/flags/bootstrap?apiKey={key}", key: null);
        await page.SendAsync(new { apiKey = key, clientVersion = "schematic-js@1.8.0", data = new { company = Given.Keys("browser-co") } });
        var first = await page.ReceiveAsync();
        Assert.False(Flag(first, "sso").GetProperty("value").GetBoolean());
        Assert.Equal("Starter", first.GetProperty("plan").GetProperty("name").GetString());

        var companyId = (await s.Api.GetAsync("/companies/lookup?keys[id]=browser-co")).ShouldBe(HttpStatusCode.OK).Id;
        await Given.OverrideAsync(s.Api, new { companyId, featureId = s.Sso, valueType = "boolean", valueBool = true });
        await page.ReceiveUntilAsync(m => Flag(m, "sso").GetProperty("value").GetBoolean());

        // The browser's event capture: one event, its key inside; counted as usage, which the page is pushed.
        var browser = nodes.A.Api(null);
        (await browser.PostAsync("/e", Event(key, "browser-co", 3))).ShouldBe(HttpStatusCode.OK);
        await page.ReceiveUntilAsync(m => Flag(m, "api-calls").GetProperty("feature_usage").GetInt64() == 3);

        // The default publishable policy creates no company: an event for an unknown one is refused, and none appears.
        Assert.True((int)(await browser.PostAsync("/e", Event(key, "stranger", 1))).Status is >= 400 and < 500);
        (await s.Api.GetAsync("/companies/lookup?keys[id]=stranger")).ShouldBe(HttpStatusCode.NotFound);
    }

    private static JsonElement Flag(JsonElement message, string key) =>
        message.GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("flag").GetString() == key);

    private static Dictionary<string, object> Event(string key, string company, long quantity) => new()
    {
        ["api_key"] = key,
        ["type"] = "track",
        ["body"] = new { @event = "api_call", company = Given.Keys(company), quantity, traits = new { } },
        ["sent_at"] = DateTimeOffset.UtcNow.ToString("O"),
        ["tracker_event_id"] = Guid.NewGuid().ToString(),
        ["tracker_user_id"] = Guid.NewGuid().ToString(),
    };
}
