using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tollgate.Server.Notifications;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Notifications;

/// <summary>
/// Outgoing webhooks end to end (issue 14's proof): a receiver verifies each delivery with the official Node SDK's
/// verifier; limit crossings are raised once each however often the usage is retried; a receiver that is down gets
/// its delivery when it is back; one that keeps failing ends with its endpoint disabled and the log saying why; an
/// override's expiry raises its notice with no request.
/// </summary>
public abstract class WebhookTests(WebhookServer server)
{
    private const string Warning = "entitlement.limit.warning";
    private const string Reached = "entitlement.limit.reached";
    private const string TierWarning = "entitlement.tier_limit.warning";
    private const string TierReached = "entitlement.tier_limit.reached";

    [Fact]
    public async Task UsagePastEightyThenPastTheLimitSendsOneWarningAndOneReachedThatTheNodeSdkVerifiesEvenWhenEventsAreRetried()
    {
        using var receiver = new WebhookReceiver();
        var api = await server.NewEnvironmentAsync();
        var calls = await Given.EventFeatureAsync(api, "api-calls", "api-call");
        var plan = await Given.PlanAsync(api, "Starter");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = calls, valueType = "numeric", valueNumeric = 10, metricPeriod = "current_month" });
        var company = await Given.CompanyAsync(api, "acme", plan);
        var webhook = (await api.PostAsync("/webhooks", new
        {
            name = "Limits",
            url = receiver.Url,
            requestTypes = new[] { Warning, Reached, "feature.updated" },
            entitlementTriggerConfigs = new[] { new { featureId = calls } },
        })).ShouldBe(HttpStatusCode.OK).Data;
        var webhookId = webhook.GetProperty("id").GetString()!;
        var secret = webhook.GetProperty("secret").GetString()!;
        Assert.Equal("active", webhook.GetProperty("status").GetString());

        // 7 of 10: nothing; the 8th crosses 80 %; all 8 again (a client retrying) count nothing; the 10th reaches the
        // limit; the 11th goes past it, and the last three again count nothing.
        object Call(int i) => Events.Track("api-call", "acme", idempotencyKey: $"call-{i}");
        await Events.SendAsync(api, [.. Enumerable.Range(1, 7).Select(Call)]);
        await Events.SendAsync(api, Call(8));
        await Events.SendAsync(api, [.. Enumerable.Range(1, 8).Select(Call)]);
        await Events.SendAsync(api, Call(9));
        await Events.SendAsync(api, Call(10));
        await Events.SendAsync(api, Call(11));
        await Events.SendAsync(api, Call(9), Call(10), Call(11));

        // A later notice through the same outbox: once it arrives, every notice written before it was delivered too.
        (await api.PutAsync($"/features/{calls}", new { name = "API calls" })).ShouldBe(HttpStatusCode.OK);
        await receiver.WaitForAsync(r => r.Any(d => d.Action == "feature.updated"), "feature.updated");

        var warning = Assert.Single(receiver.Of(Warning));
        var reached = Assert.Single(receiver.Of(Reached));
        foreach (var (delivery, usage, threshold) in new[] { (warning, 8L, 8L), (reached, 10L, 10L) })
        {
            Assert.Equal(api.EnvironmentId, delivery.Json.GetProperty("environment_id").GetString());
            var body = delivery.Json.GetProperty("body");
            // Keyed as the SDK's WebFeatureUsageWebhookOutput is on the wire (Pascal case but company); the SDK judges the rest.
            Assert.Equal(usage, body.GetProperty("Usage").GetInt64());
            Assert.Equal(threshold, body.GetProperty("threshold").GetInt64());
            Assert.Equal(10, body.GetProperty("Allocation").GetInt64());
            Assert.Equal("limit", body.GetProperty("Entitlement").GetString());
            Assert.Equal(calls, body.GetProperty("Feature").GetProperty("id").GetString());
            Assert.Equal("api-call", body.GetProperty("Feature").GetProperty("event_subtype").GetString());
            Assert.Equal(company, body.GetProperty("company").GetProperty("id").GetString());
            Assert.Equal("acme", body.GetProperty("company").GetProperty("keys")[0].GetProperty("value").GetString());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("MetricResetAt").GetString()));
        }

        await NodeSdkWebhooks.AssertVerifiedAsync(secret, receiver.Received);

        // The delivery log: each delivered once, answered 200; filtered by endpoint and counted.
        var log = (await api.GetAsync($"/webhook-events?webhook_id={webhookId}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToList();
        Assert.Equal(3, log.Count);
        Assert.All(log, e =>
        {
            Assert.Equal("success", e.GetProperty("status").GetString());
            Assert.Equal(200, e.GetProperty("response_code").GetInt32());
            Assert.Equal(1, e.GetProperty("attempt_count").GetInt32());
        });
        Assert.Equal(3, (await api.GetAsync($"/webhook-events/count?webhook_id={webhookId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        var detail = (await api.GetAsync($"/webhook-events/{log[0].GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(webhookId, detail.GetProperty("webhook").GetProperty("id").GetString());
        Assert.Equal(Warning, JsonDocument.Parse(log[^1].GetProperty("payload").GetString()!).RootElement.GetProperty("action").GetString());

        // The endpoints themselves: listed, counted, changed, tested (signed too), refused when wrong, deleted.
        Assert.Equal(1, (await api.GetAsync("/webhooks/count")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(webhookId, Assert.Single((await api.GetAsync("/webhooks?q=limit")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("Renamed", (await api.PutAsync($"/webhooks/{webhookId}", new { name = "Renamed" })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("name").GetString());
        var test = (await api.PostAsync($"/webhooks/{webhookId}/test", new { requestType = "test.send" })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.True(test.GetProperty("success").GetBoolean());
        await NodeSdkWebhooks.AssertVerifiedAsync(secret, [Assert.Single(receiver.Of("test.send"))]);
        (await api.PostAsync("/webhooks", new { name = "x", url = receiver.Url, requestTypes = new[] { "entitlement.limit.sometimes" } }))
            .ShouldFail(HttpStatusCode.BadRequest, "request_types[0]");
        (await api.PostAsync("/webhooks", new { name = "x", url = "ftp://example.com", requestTypes = new[] { Warning } })).ShouldFail(HttpStatusCode.BadRequest, "url");
        (await api.DeleteAsync($"/webhooks/{webhookId}")).ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync($"/webhooks/{webhookId}")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UsageCrossingEachTierOfATieredPriceSendsOneTierWarningAndOneTierReachedPerTierThatTheNodeSdkVerifiesEvenWhenEventsAreRetried()
    {
        using var receiver = new WebhookReceiver();
        var api = await server.NewEnvironmentAsync();
        var calls = await Given.EventFeatureAsync(api, "api-calls", "api-call");
        var plan = await Given.PlanAsync(api, "Scale");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = calls, valueType = "numeric", valueNumeric = 100, metricPeriod = "current_month" });

        // The plan's price of api calls, pushed from another billing system: graduated tiers up to 10, up to 20, then the
        // rest, metered by the api-call meter; its product sells the plan of its name.
        (await api.PostAsync("/billing/meter/upsert", new { displayName = "API calls", eventName = "api-call", eventPayloadKey = "value", externalId = "orb-meter-calls", providerType = "orb" }))
            .ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/product/upsert", new { externalId = "orb-prod-scale", name = "Scale", price = 0, providerType = "orb" })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/billing/price/upsert", new
        {
            priceExternalId = "orb-price-scale-calls",
            productExternalId = "orb-prod-scale",
            billingScheme = "tiered",
            tiersMode = "graduated",
            usageType = "metered",
            currency = "usd",
            externalAccountId = "acct",
            interval = "month",
            isActive = true,
            price = 0,
            meterId = "orb-meter-calls",
            priceTiers = new object[] { new { upTo = 10, perUnitPrice = 5 }, new { upTo = 20, perUnitPrice = 3 }, new { perUnitPrice = 1 } },
            providerType = "orb",
        })).ShouldBe(HttpStatusCode.OK);
        await Given.CompanyAsync(api, "acme", plan);
        var webhook = (await api.PostAsync("/webhooks", new
        {
            name = "Tiers",
            url = receiver.Url,
            requestTypes = new[] { TierWarning, TierReached, "feature.updated" },
            entitlementTriggerConfigs = new[] { new { featureId = calls } },
        })).ShouldBe(HttpStatusCode.OK).Data;

        // The 8th call is 80 % through the first tier, the 10th ends it; the 18th is 80 % through the second (8 of its
        // 10), the 20th ends it; the third tier has no end. Every call sent again counts nothing. (A batch that crosses a
        // level reports the usage after the whole batch: 11 to 17 cross nothing.)
        object Call(int i) => Events.Track("api-call", "acme", idempotencyKey: $"call-{i}");
        await Events.SendAsync(api, [.. Enumerable.Range(1, 7).Select(Call)]);
        await Events.SendAsync(api, Call(8));
        await Events.SendAsync(api, [.. Enumerable.Range(1, 8).Select(Call)]);
        await Events.SendAsync(api, Call(9));
        await Events.SendAsync(api, Call(10));
        await Events.SendAsync(api, [.. Enumerable.Range(11, 7).Select(Call)]);
        foreach (var i in Enumerable.Range(18, 4))
        {
            await Events.SendAsync(api, Call(i));
        }

        await Events.SendAsync(api, [.. Enumerable.Range(1, 21).Select(Call)]);
        (await api.PutAsync($"/features/{calls}", new { name = "API calls" })).ShouldBe(HttpStatusCode.OK);
        await receiver.WaitForAsync(r => r.Any(d => d.Action == "feature.updated"), "feature.updated");

        static (long Usage, long Threshold, long Allocation, string? Entitlement) Figures(WebhookReceiver.Delivery d)
        {
            var body = d.Json.GetProperty("body");
            return (body.GetProperty("Usage").GetInt64(), body.GetProperty("threshold").GetInt64(), body.GetProperty("Allocation").GetInt64(), body.GetProperty("Entitlement").GetString());
        }

        Assert.Equal([(8L, 8L, 10L, "tier_limit"), (18L, 18L, 20L, "tier_limit")], receiver.Of(TierWarning).Select(Figures).OrderBy(f => f.Usage));
        Assert.Equal([(10L, 10L, 10L, "tier_limit"), (20L, 20L, 20L, "tier_limit")], receiver.Of(TierReached).Select(Figures).OrderBy(f => f.Usage));
        Assert.All(receiver.Of(TierReached), d => Assert.Equal(calls, d.Json.GetProperty("body").GetProperty("Feature").GetProperty("id").GetString()));
        Assert.Equal(5, await NodeSdkWebhooks.AssertVerifiedAsync(webhook.GetProperty("secret").GetString()!, receiver.Received));
    }

    [Fact]
    public async Task TheCleanupDeletesTheNoticeKeysOfPeriodsThatEndedLongerThanTheRetentionAgoAndKeepsTheRest()
    {
        var api = await server.NewEnvironmentAsync();
        var now = server.Time.GetUtcNow();
        var keep = server.Services.GetRequiredService<IOptions<WebhookOptions>>().Value.DeliveredRetention!.Value;
        var keys = new (string Key, DateTimeOffset? ExpiresAt)[]
        {
            ("ended-long-ago", now - keep - TimeSpan.FromMinutes(1)),
            ("ended-recently", now - keep + TimeSpan.FromMinutes(1)),
            ("this-period", now.AddDays(5)),
            ("all-time", null),
        };
        var database = server.Services.GetRequiredService<Database>();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            foreach (var (key, expiresAt) in keys)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO webhook_notice_keys (environment_id, dedupe_key, created_at, expires_at) VALUES (@env, @key, 0, @expiresAt)",
                    new { env = api.EnvironmentId, key, expiresAt = expiresAt?.ToUnixTimeMilliseconds() });
            }
        }

        var (_, deleted) = await server.Services.GetRequiredService<WebhookEventRetention>().RunOnceAsync(now, CancellationToken.None);

        Assert.True(deleted >= 1);
        await using (var connection = await database.OpenAsync(CancellationToken.None))
        {
            var left = await connection.QueryAsync<string>("SELECT dedupe_key FROM webhook_notice_keys WHERE environment_id = @env ORDER BY dedupe_key", new { env = api.EnvironmentId });
            Assert.Equal(["all-time", "ended-recently", "this-period"], left);
        }
    }

    [Fact]
    public async Task AReceiverDownForTenMinutesGetsTheDeliveryWhenItIsBack()
    {
        using var receiver = new WebhookReceiver();
        var api = await server.NewEnvironmentAsync();
        var (webhookId, secret) = await WebhookAsync(api, receiver, "feature.created");
        receiver.Down();

        await Given.BooleanFeatureAsync(api, "sso");
        var first = await DeliveryAsync(api, webhookId, e => e.GetProperty("attempt_count").GetInt32() >= 1);
        Assert.Equal("pending", first.GetProperty("status").GetString());
        Assert.Contains("could not be reached", first.GetProperty("error").GetString(), StringComparison.Ordinal);

        server.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await DeliveryAsync(api, webhookId, e => e.GetProperty("attempt_count").GetInt32() >= 2);
        Assert.Equal("pending", second.GetProperty("status").GetString());
        Assert.Empty(receiver.Received);

        receiver.Up();
        server.Time.Advance(TimeSpan.FromHours(2));
        var delivered = await DeliveryAsync(api, webhookId, e => e.GetProperty("status").GetString() == "success");
        Assert.Equal(200, delivered.GetProperty("response_code").GetInt32());
        var received = Assert.Single(receiver.Received);
        Assert.Equal("feature.created", received.Action);
        Assert.Equal("sso", received.Json.GetProperty("body").GetProperty("name").GetString());
        await NodeSdkWebhooks.AssertVerifiedAsync(secret, receiver.Received);
    }

    [Fact]
    public async Task AReceiverAnswering500ForeverEndsWithTheEndpointDisabledTheLogSayingWhyAndAManualRetryDelivers()
    {
        using var receiver = new WebhookReceiver { Answer = HttpStatusCode.InternalServerError };
        var api = await server.NewEnvironmentAsync();
        var (webhookId, _) = await WebhookAsync(api, receiver, "feature.created");
        await Given.BooleanFeatureAsync(api, "sso");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement webhook;
        while ((webhook = (await api.GetAsync($"/webhooks/{webhookId}")).ShouldBe(HttpStatusCode.OK).Data).GetProperty("status").GetString() == "active")
        {
            Assert.True(DateTime.UtcNow < deadline, "the endpoint was not disabled");
            server.Time.Advance(TimeSpan.FromHours(1));
            await Task.Delay(60);
        }

        Assert.Equal("inactive", webhook.GetProperty("status").GetString());
        Assert.Contains("3 failed deliveries in a row", webhook.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("HTTP 500", webhook.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        var failed = await DeliveryAsync(api, webhookId, _ => true);
        Assert.Equal(500, failed.GetProperty("response_code").GetInt32());
        Assert.Equal(3, failed.GetProperty("attempt_count").GetInt32());
        Assert.Contains("The endpoint was disabled", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, receiver.Received.Count);

        // Disabled: nothing more is attempted however much time passes.
        server.Time.Advance(TimeSpan.FromDays(1));
        await Task.Delay(300);
        Assert.Equal(3, receiver.Received.Count);

        // Fixed, activated and retried by hand: delivered.
        receiver.Answer = HttpStatusCode.NoContent;
        Assert.Null((await api.PutAsync($"/webhooks/{webhookId}", new { status = "active" })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("disabled_reason").GetString());
        (await api.PostAsync($"/webhook-events/{failed.GetProperty("id").GetString()}/retry", null)).ShouldBe(HttpStatusCode.OK);
        var delivered = await DeliveryAsync(api, webhookId, e => e.GetProperty("status").GetString() == "success");
        Assert.Equal(204, delivered.GetProperty("response_code").GetInt32());
    }

    [Fact]
    public async Task EveryEndpointWriteIsAuditedWithoutItsSecretAndTheWorkersDisablingUnderTheSystem()
    {
        using var receiver = new WebhookReceiver { Answer = HttpStatusCode.InternalServerError };
        var api = await server.NewEnvironmentAsync();
        var (webhookId, secret) = await WebhookAsync(api, receiver, "feature.created");
        (await api.PutAsync($"/webhooks/{webhookId}", new { name = "Renamed" })).ShouldBe(HttpStatusCode.OK);
        await Given.BooleanFeatureAsync(api, "sso");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await api.GetAsync($"/webhooks/{webhookId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetString() == "active")
        {
            Assert.True(DateTime.UtcNow < deadline, "the endpoint was not disabled");
            server.Time.Advance(TimeSpan.FromHours(1));
            await Task.Delay(60);
        }

        (await api.DeleteAsync($"/webhooks/{webhookId}")).ShouldBe(HttpStatusCode.OK);

        var response = await api.GetAsync($"/audit-log?resource_id={webhookId}&limit=100");
        Assert.DoesNotContain(secret, response.Text, StringComparison.Ordinal);
        var entries = response.ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Reverse().ToList();
        Assert.Equal(
            [("POST", "api_key", (string?)null, "Test"), ("PUT", "api_key", "Test", "Renamed"), ("PUT", "system", "active", "inactive"), ("DELETE", "api_key", "Renamed", null)],
            entries.Select(e => (
                e.GetProperty("method").GetString()!,
                e.GetProperty("actor_type").GetString()!,
                Describe(e.GetProperty("before"), e.GetProperty("method").GetString() == "PUT" && e.GetProperty("actor_type").GetString() == "system"),
                Describe(e.GetProperty("after"), e.GetProperty("method").GetString() == "PUT" && e.GetProperty("actor_type").GetString() == "system"))));
        Assert.All(entries, e => Assert.Equal("webhook", e.GetProperty("resource_type").GetString()));
        Assert.All(entries, e => Assert.Equal($"/webhooks/{webhookId}", e.GetProperty("url").GetString()));
        Assert.All(
            entries.SelectMany(e => new[] { e.GetProperty("before"), e.GetProperty("after") }).Where(d => d.ValueKind == JsonValueKind.Object),
            d => Assert.Equal(WebhookWrites.RedactedSecret, d.GetProperty("secret").GetString()));

        // Each side of an entry: the status for the worker's, the name for a person's.
        static string? Describe(JsonElement side, bool status) =>
            side.ValueKind != JsonValueKind.Object ? null : side.GetProperty(status ? "status" : "name").GetString();
    }

    [Fact]
    public async Task AnOverrideReachingItsExpiryRaisesCompanyOverrideExpiredWithNoRequest()
    {
        using var receiver = new WebhookReceiver();
        var api = await server.NewEnvironmentAsync();
        var sso = await Given.BooleanFeatureAsync(api, "sso");
        var company = await Given.CompanyAsync(api, "acme");
        var (_, secret) = await WebhookAsync(api, receiver, "company.override.expired");
        var expires = server.Time.GetUtcNow().AddHours(1);
        var granted = await Given.OverrideAsync(api, new { companyId = company, featureId = sso, valueType = "boolean", valueBool = true, expirationDate = expires });

        await Task.Delay(200);
        Assert.Empty(receiver.Received);
        server.Time.Advance(TimeSpan.FromHours(1));
        await receiver.WaitForAsync(r => r.Count > 0, "company.override.expired");

        var expired = Assert.Single(receiver.Received);
        Assert.Equal("company.override.expired", expired.Action);
        Assert.Equal(granted, expired.Json.GetProperty("body").GetProperty("id").GetString());
        Assert.Equal(company, expired.Json.GetProperty("body").GetProperty("company_id").GetString());
        await NodeSdkWebhooks.AssertVerifiedAsync(secret, receiver.Received);
    }

    [Fact]
    public async Task EveryNoticeCarriesTheBodySchematicSendsForItsTypeAndCreditUseRaisesOneWarningAndOneReachedForItsCreditType()
    {
        using var receiver = new WebhookReceiver();
        var api = await server.NewEnvironmentAsync();
        string[] types =
        [
            "company.created", "company.updated", "company.plan_changed", "company.override.created", "user.created", "feature.created", "plan.created",
            "plan.entitlement.created", "credit.limit.warning", "credit.limit.reached",
        ];
        var (webhookId, secret) = await WebhookAsync(api, receiver, types);
        var tokens = (await api.PostAsync("/billing/credits", new { name = "AI tokens", description = "Tokens", currency = "usd" })).ShouldBe(HttpStatusCode.Created).Id;
        var seats = (await api.PostAsync("/billing/credits", new { name = "Seats", description = "Not watched", currency = "usd" })).ShouldBe(HttpStatusCode.Created).Id;
        (await api.PutAsync($"/webhooks/{webhookId}", new { creditTriggerConfigs = new[] { new { creditId = tokens } } })).ShouldBe(HttpStatusCode.OK);
        var generate = await Given.EventFeatureAsync(api, "ai-gen", "ai_generation");
        var seat = await Given.EventFeatureAsync(api, "seat-use", "seat_use");
        var sso = await Given.BooleanFeatureAsync(api, "sso");
        var free = await Given.PlanAsync(api, "Free");
        var pro = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = pro, featureId = generate, valueType = "credit", valueCreditId = tokens, creditConsumptionRate = 2 });
        await Given.EntitlementAsync(api, new { planId = pro, featureId = seat, valueType = "credit", valueCreditId = seats, creditConsumptionRate = 1 });
        var company = await Given.CompanyAsync(api, "acme", free);
        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" }, company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK);
        await Given.OverrideAsync(api, new { companyId = company, featureId = sso, valueType = "boolean", valueBool = true });
        await Given.CompanyAsync(api, "acme", pro);
        var extra = await Given.PlanAsync(api, "Extra", "add_on");
        (await api.PostAsync("/manage-plan", new { companyId = company, addOnSelections = new[] { new { planId = extra } } })).ShouldBe(HttpStatusCode.OK);
        foreach (var credit in new[] { tokens, seats })
        {
            (await api.PostAsync("/billing/credits/grants/company", new { companyId = company, creditId = credit, quantity = 10, reason = "purchased" })).ShouldBe(HttpStatusCode.Created);
        }

        // 2 credits a use: the 4th use takes 8 of 10 (80 %), the 5th all 10; the same uses again burn nothing. Seats go
        // past their grant too, but the endpoint watches AI tokens only.
        object Use(int i) => Events.Track("ai_generation", "acme", idempotencyKey: $"gen-{i}");
        await Events.SendAsync(api, [.. Enumerable.Range(1, 3).Select(Use)]);
        await Events.SendAsync(api, Use(4));
        await Events.SendAsync(api, [.. Enumerable.Range(1, 4).Select(Use)]);
        await Events.SendAsync(api, Use(5), Events.Track("seat_use", "acme", quantity: 10));
        await Events.SendAsync(api, Use(5), Use(6));
        await receiver.WaitForAsync(
            r => types.All(t => r.Any(d => d.Action == t)) && r.Count(d => d.Action == "company.plan_changed") == 2, string.Join(", ", types) + " and two plan changes");

        var warning = Assert.Single(receiver.Of("credit.limit.warning")).Json.GetProperty("body");
        var reached = Assert.Single(receiver.Of("credit.limit.reached")).Json.GetProperty("body");
        foreach (var (body, used) in new[] { (warning, 8), (reached, 10) })
        {
            Assert.Equal("credit", body.GetProperty("Entitlement").GetString());
            Assert.Equal(used, body.GetProperty("Usage").GetDouble());
            Assert.Equal(10, body.GetProperty("Allocation").GetDouble());
            Assert.Equal(tokens, body.GetProperty("credit_id").GetString());
            Assert.Equal(10 - used, body.GetProperty("CreditUsage").GetProperty("credit_remaining").GetDouble());
            Assert.Equal("AI tokens", body.GetProperty("CreditUsage").GetProperty("credit_type_name").GetString());
            Assert.Equal(company, body.GetProperty("company").GetProperty("id").GetString());
        }

        // Plan changes are told from their record, each the very record GET /plan-changes answers: the upsert's (a change
        // of plan asked for through a company write) as company_upsert, manage-plan's as manage_plan.
        var changes = receiver.Of("company.plan_changed").Select(d => d.Json.GetProperty("body")).ToList();
        Assert.Equal(2, changes.Count);
        var upserted = Assert.Single(changes, c => c.GetProperty("action").GetString() == "company_upsert");
        Assert.Equal((free, "Free", pro, "Pro", JsonValueKind.Null, "api_key"), (
            upserted.GetProperty("previous_base_plan").GetProperty("id").GetString(), upserted.GetProperty("previous_base_plan").GetProperty("name").GetString(),
            upserted.GetProperty("base_plan").GetProperty("id").GetString(), upserted.GetProperty("base_plan").GetProperty("name").GetString(),
            upserted.GetProperty("subscription_change_action").ValueKind, upserted.GetProperty("actor_type").GetString()));
        Assert.StartsWith("pchg", upserted.GetProperty("id").GetString(), StringComparison.Ordinal);
        var managed = Assert.Single(changes, c => c.GetProperty("action").GetString() == "manage_plan");
        var log = (await api.GetAsync($"/plan-changes?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToList();
        Assert.Equal(
            new[] { upserted.GetProperty("id").GetString(), managed.GetProperty("id").GetString() }.Order(StringComparer.Ordinal),
            log.Select(c => c.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("company_upsert", log.Single(c => c.GetProperty("id").GetString() == upserted.GetProperty("id").GetString()).GetProperty("action").GetString());
        var logged = log.Single(c => c.GetProperty("id").GetString() == managed.GetProperty("id").GetString());
        Assert.Equal((pro, pro, "adjustment", extra), (
            managed.GetProperty("previous_base_plan").GetProperty("id").GetString(), managed.GetProperty("base_plan").GetProperty("id").GetString(),
            managed.GetProperty("subscription_change_action").GetString(), Assert.Single(managed.GetProperty("add_ons_added").EnumerateArray()).GetProperty("id").GetString()));
        foreach (var field in new[] { "base_plan_version", "previous_base_plan_version", "actor_type", "created_at", "is_version_upgrade" })
        {
            Assert.True(JsonElement.DeepEquals(logged.GetProperty(field), managed.GetProperty(field)), $"{field}: {logged.GetProperty(field)} ≠ {managed.GetProperty(field)}");
        }

        Assert.Equal("ai-gen", receiver.Of("feature.created").Select(d => d.Json.GetProperty("body").GetProperty("name").GetString()).First());
        Assert.Equal(company, Assert.Single(receiver.Of("company.override.created")).Json.GetProperty("body").GetProperty("company_id").GetString());

        // Every body is judged by the SDK's own type for its request type (CompanyDetailResponseData, UserDetailResponseData,
        // PlanChangeResponseData, WebFeatureUsageWebhookOutput…).
        Assert.Equal(receiver.Received.Count, await NodeSdkWebhooks.AssertVerifiedAsync(secret, receiver.Received));
    }

    private static async Task<(string Id, string Secret)> WebhookAsync(ApiClient api, WebhookReceiver receiver, params string[] requestTypes)
    {
        var created = (await api.PostAsync("/webhooks", new { name = "Test", url = receiver.Url, requestTypes })).ShouldBe(HttpStatusCode.OK).Data;
        return (created.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    /// <summary>The endpoint's one delivery once <paramref name="done"/> holds of it (at most 20 s).</summary>
    private static async Task<JsonElement> DeliveryAsync(ApiClient api, string webhookId, Func<JsonElement, bool> done)
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

}

public sealed class WebhookTestsOnSqlite(WebhookSqliteServer server) : WebhookTests(server), IClassFixture<WebhookSqliteServer>;

public sealed class WebhookTestsOnPostgres(WebhookPostgresServer server) : WebhookTests(server), IClassFixture<WebhookPostgresServer>;
