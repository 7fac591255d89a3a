using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Event ingestion: tracked usage reaches checks, retries never double-count, bad events are refused one by one.</summary>
public abstract class EventTests(TollgateFactory server)
{
    [Fact]
    public async Task TrackedUsageShowsInTheNextChecksWithinASecond()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 1);

        var sent = await Events.SendAsync(s.Api, Events.Track("api_call", "acme", 5), Events.Track("api_call", "acme", 7), Events.Track("api_call", "acme"));

        Assert.Equal(3, sent.Body.GetProperty("accepted").GetInt32());
        var check = await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "acme"), c => c.GetProperty("feature_usage").GetInt64() == 13);
        Assert.True(check.GetProperty("value").GetBoolean());
        Assert.Equal(13, check.GetProperty("entitlement").GetProperty("usage").GetInt64());
        Assert.Equal("2025-07-01T00:00:00+00:00", check.GetProperty("entitlement").GetProperty("metric_reset_at").GetString());
    }

    [Fact]
    public async Task ReachingTheLimitTurnsTheFlagOffAndTheMetricsShowIt()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("busy", s.Starter, seats: 1);

        await Events.SendAsync(s.Api, Events.Track("api_call", "busy", 99));
        var below = await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "busy"), c => c.GetProperty("feature_usage").GetInt64() == 99);
        await Events.SendAsync(s.Api, Events.Track("api_call", "busy", 1));
        var at = await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "busy"), c => c.GetProperty("feature_usage").GetInt64() == 100);

        Assert.True(below.GetProperty("value").GetBoolean());
        Assert.False(at.GetProperty("value").GetBoolean());
        Assert.Equal("plan_entitlement_usage_exceeded", at.GetProperty("rule_type").GetString());
    }

    [Fact]
    public async Task RetryStormsWithIdempotencyKeysCountEachEventOnce()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("stormy", s.Enterprise, seats: 1);
        var random = new Random(42);
        var distinct = Enumerable.Range(0, 300).Select(i => Events.Track("api_call", "stormy", random.Next(1, 10), idempotencyKey: $"evt-{i}")).ToList();
        var expected = distinct.Sum(e => (long)((Dictionary<string, object?>)e["body"]!)["quantity"]!);

        // Every event goes out one to four times, in shuffled batches of up to 100, several batches at once.
        var sends = distinct.SelectMany(e => Enumerable.Repeat(e, random.Next(1, 5))).OrderBy(_ => random.Next()).ToList();
        var batches = sends.Chunk(random.Next(20, 100)).ToList();
        var answers = await Task.WhenAll(batches.Select(batch => Events.SendAsync(s.Api, [.. batch])));

        Assert.Equal(distinct.Count, answers.Sum(a => a.Body.GetProperty("accepted").GetInt32()));
        Assert.Equal(sends.Count - distinct.Count, answers.Sum(a => a.Body.GetProperty("duplicates").GetInt32()));
        Assert.Equal(expected, await AllTimeUsageAsync(s.Api.EnvironmentId!, "stormy"));
    }

    [Fact]
    public async Task TheEventLogKeepsEveryFieldAsSentWhateverTheCharactersAndTheSize()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("wide", s.Enterprise, seats: 1);
        // Past PostgreSQL's COPY buffers (Npgsql's 8 KB, the writer's first guess of the commit's size), in 1-, 2-, 3-
        // and 4-byte UTF-8 characters, written unescaped so the bytes reach the store as sent.
        var note = string.Concat(Enumerable.Repeat("aé€😀", 40_000));
        var sentAt = new DateTimeOffset(2025, 7, 9, 10, 11, 12, 345, TimeSpan.Zero);
        var batch = """
            {"events": [
              {"type": "track", "sent_at": "SENT_AT", "idempotency_key": "clé-😀-1", "body": {"event": "api_call", "company": {"id": "wide"}, "quantity": 3, "note": "NOTE"}},
              {"type": "track", "sent_at": "SENT_AT", "body": {"event": "api_call", "company": {"id": "wide"}}},
              {"type": "track", "sent_at": "SENT_AT", "idempotency_key": "clé-😀-2", "body": {"event": "ünïcödé_✓", "company": {"id": "wide"}, "quantity": 5}}
            ]}
            """.Replace("SENT_AT", sentAt.ToString("O"), StringComparison.Ordinal).Replace("NOTE", note, StringComparison.Ordinal);

        var answer = (await s.Api.SendRawAsync(HttpMethod.Post, "/batch", batch)).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(3, answer.Body.GetProperty("accepted").GetInt32());
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var rows = (await connection.QueryAsync<(string Type, string? Subtype, string? CompanyId, string? UserId, long Quantity, long OccurredAt, long ReceivedAt, long Backfill, string? Key, string Body)>(
            """
            SELECT event_type, event_subtype, company_id, user_id, quantity, occurred_at, received_at, backfill, idempotency_key, body FROM events
            WHERE environment_id = @environmentId AND event_type = 'track' ORDER BY quantity
            """,
            new { environmentId = s.Api.EnvironmentId })).ToList();
        Assert.Equal([1L, 3L, 5L], rows.Select(r => r.Quantity));
        Assert.Equal(["api_call", "api_call", "ünïcödé_✓"], rows.Select(r => r.Subtype));
        Assert.Equal([null, "clé-😀-1", "clé-😀-2"], rows.Select(r => r.Key));
        Assert.All(rows, r => Assert.Equal(("track", (string?)null, 0L), (r.Type, r.UserId, r.Backfill)));
        Assert.All(rows, r => Assert.Equal(rows[0].CompanyId, r.CompanyId));
        Assert.NotNull(rows[0].CompanyId);
        // Without a trusted clock an event happened when it was received: by the server's clock, in the last minute.
        var now = server.Services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
        Assert.All(rows, r => Assert.Equal(r.ReceivedAt, r.OccurredAt));
        Assert.All(rows, r => Assert.InRange(r.ReceivedAt, now - 60_000, now));
        Assert.Equal(note, JsonDocument.Parse(rows[1].Body).RootElement.GetProperty("note").GetString());
    }

    [Fact]
    public async Task ABatchKeepsItsValidEventsAndNamesTheRejectedOnes()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("mixed", s.Pro, seats: 1);

        var answer = await Events.SendAsync(
            s.Api,
            Events.Track("api_call", "mixed", 2),
            new { body = new { @event = "api_call" } },
            new { type = "track", body = new { @event = "api_call", company = Given.Keys("mixed"), quantity = -1 } },
            new { type = "inference", body = new { } },
            new { type = "track", body = new { company = Given.Keys("mixed") } },
            Events.Track("api_call", "mixed", 3));

        Assert.Equal(2, answer.Body.GetProperty("accepted").GetInt32());
        var rejected = answer.Body.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("index").GetInt32(), r.GetProperty("error").GetString()!)).ToList();
        Assert.Equal([1, 2, 3, 4], rejected.Select(r => r.Item1));
        Assert.StartsWith("type: is required", rejected[0].Item2, StringComparison.Ordinal);
        Assert.StartsWith("body.quantity:", rejected[1].Item2, StringComparison.Ordinal);
        Assert.Contains("'inference'", rejected[2].Item2, StringComparison.Ordinal);
        Assert.StartsWith("body.event: is required", rejected[3].Item2, StringComparison.Ordinal);
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "mixed"), c => c.GetProperty("feature_usage").GetInt64() == 5);
    }

    [Fact]
    public async Task ABatchOfOnlyBadEventsIsRefused()
    {
        var api = await server.NewEnvironmentAsync();

        (await api.PostAsync("/batch", new { events = new[] { new { type = "track" } } })).ShouldFail(HttpStatusCode.BadRequest, "events[0].body");
        (await api.PostAsync("/batch", new { })).ShouldFail(HttpStatusCode.BadRequest, "events: is required");
        (await api.SendRawAsync(HttpMethod.Post, "/batch", "{\"events\": [")).ShouldFail(HttpStatusCode.BadRequest, "body");
        (await api.PostAsync("/batch", new { events = Enumerable.Repeat(Events.Track("x", "y"), 1_001) })).ShouldFail(HttpStatusCode.BadRequest, "at most 1000");
    }

    [Fact]
    public async Task TheCaptureEndpointTakesTheKeyFromEachEventAsTheCSharpSdkSendsIt()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("keyed", s.Pro, seats: 1);
        var withKey = Events.Track("api_call", "keyed", 4);
        withKey["api_key"] = s.Api.Key;
        var wrongKey = Events.Track("api_call", "keyed", 100);
        wrongKey["api_key"] = "tg_sk_never_issued_000000000000000000";

        var answer = (await server.Api(key: null).PostAsync("/batch", new { events = new[] { withKey, wrongKey } })).ShouldBe(HttpStatusCode.OK);
        var noKeyAtAll = await server.Api(key: null).PostAsync("/batch", new { events = new[] { Events.Track("api_call", "keyed") } });

        Assert.Equal(1, answer.Body.GetProperty("accepted").GetInt32());
        Assert.Contains("api_key: invalid", answer.Body.GetProperty("rejected")[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        noKeyAtAll.ShouldFail(HttpStatusCode.Unauthorized, "api_key");
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "keyed"), c => c.GetProperty("feature_usage").GetInt64() == 4);
    }

    [Fact]
    public async Task EventsOfOneBatchCountForTheCompanyTheyNameHoweverTheJsonSpellsItsKeysAndTheApiKey()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("alpha", s.Pro, seats: 1);
        await s.CompanyAsync("beta", s.Pro, seats: 1);
        // Intake remembers companies and api keys per request by their JSON text as sent: other spellings of the same
        // value (white space, an escaped letter) must find the same company and key, and other values other ones.
        var key = s.Api.Key!;
        var escapedKey = "\\u" + ((int)key[0]).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + key[1..];
        static string Track(string apiKey, string company, int quantity) =>
            "{\"api_key\":\"" + apiKey + "\",\"type\":\"track\",\"body\":{\"event\":\"api_call\",\"company\":" + company
            + ",\"quantity\":" + quantity.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}";
        string[] events =
        [
            Track(key, """{"id":"alpha"}""", 1),
            Track(escapedKey, """{"id":"beta"}""", 10),
            Track(key, """{ "id" : "alpha" }""", 100),
            Track(escapedKey, """{"id":"\u0061lpha"}""", 1000),
            Track(key, """{"id":"beta"}""", 10000),
            Track("tg_sk_never_issued_000000000000000000", """{"id":"alpha"}""", 100000),
        ];
        var body = "{\"events\":[" + string.Join(",", events) + "]}";

        var answer = (await server.Api(key: null).SendRawAsync(HttpMethod.Post, "/batch", body)).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(5, answer.Body.GetProperty("accepted").GetInt32());
        Assert.Equal(5, answer.Body.GetProperty("rejected")[0].GetProperty("index").GetInt32());
        Assert.Equal(1101, await AllTimeUsageAsync(s.Api.EnvironmentId!, "alpha"));
        Assert.Equal(10010, await AllTimeUsageAsync(s.Api.EnvironmentId!, "beta"));
    }

    [Fact]
    public async Task IdentifyCreatesTheCompanyAndTheUserAndATrackInTheSameBatchCounts()
    {
        var s = await PricingScenario.CreateAsync(server);

        // The track comes first: the SDKs do not keep order.
        await Events.SendAsync(
            s.Api,
            Events.Track("api_call", "newco", 6),
            new
            {
                type = "identify",
                body = new
                {
                    keys = new { email = "ana@newco.test" },
                    name = "Ana",
                    traits = new { role = "admin" },
                    company = new { keys = Given.Keys("newco"), name = "NewCo", traits = new { seats = 3 } },
                },
            });

        var company = (await s.Api.GetAsync("/companies/lookup?keys[id]=newco")).ShouldBe(HttpStatusCode.OK).Data;
        var user = (await s.Api.GetAsync("/users/lookup?keys[email]=ana@newco.test")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("NewCo", company.GetProperty("name").GetString());
        Assert.Equal("Ana", user.GetProperty("name").GetString());
        Assert.Equal(6, await AllTimeUsageAsync(s.Api.EnvironmentId!, "newco"));
    }

    [Fact]
    public async Task ATrackForAnUnknownCompanyCreatesItSoNoUsageIsLost()
    {
        var s = await PricingScenario.CreateAsync(server);

        await Events.SendAsync(s.Api, Events.Track("api_call", "stranger", 2));

        (await s.Api.GetAsync("/companies/lookup?keys[id]=stranger")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(2, await AllTimeUsageAsync(s.Api.EnvironmentId!, "stranger"));
    }

    [Fact]
    public async Task ATrustedClockPlacesLateEventsInTheirOwnPeriod()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("late", s.Pro, seats: 1);
        var lastMonth = server.Time.GetUtcNow().AddMonths(-1);

        await Events.SendAsync(
            s.Api,
            Events.Track("api_call", "late", 50, sentAt: lastMonth, trustedClock: true),
            Events.Track("api_call", "late", 4));

        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "late"), c => c.GetProperty("feature_usage").GetInt64() == 4);
        Assert.Equal(54, await AllTimeUsageAsync(s.Api.EnvironmentId!, "late"));
    }

    [Fact]
    public async Task BackfillNeedsATrustedClockAndIsNeverBilled()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("history", s.Pro, seats: 1);
        var lastYear = server.Time.GetUtcNow().AddYears(-1);

        var answer = await Events.SendAsync(
            s.Api,
            Events.Track("api_call", "history", 500, sentAt: lastYear, trustedClock: true, backfill: true),
            Events.Track("api_call", "history", 1, backfill: true),
            Events.Track("api_call", "history", 3));

        Assert.Equal("backfill: needs trusted_client_clock with sent_at", answer.Body.GetProperty("rejected")[0].GetProperty("error").GetString());
        Assert.Equal(503, await AllTimeUsageAsync(s.Api.EnvironmentId!, "history"));
        Assert.Equal(3, await OutboxQuantityAsync(s.Api.EnvironmentId!));
    }

    [Fact]
    public async Task ATrustedClockOutsideTheCalendarOfUsageIsRefusedAndTheWriterGoesOn()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("clocks", s.Pro, seats: 1);

        var answer = await Events.SendAsync(
            s.Api,
            Events.Track("api_call", "clocks", 1, sentAt: DateTimeOffset.MaxValue.AddDays(-1), trustedClock: true),
            Events.Track("api_call", "clocks", 1, sentAt: new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero), trustedClock: true),
            Events.Track("api_call", "clocks", 1, sentAt: server.Time.GetUtcNow().AddHours(1), trustedClock: true),
            Events.Track("api_call", "clocks", 2));

        Assert.Equal([0, 1, 2], answer.Body.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(answer.Body.GetProperty("rejected").EnumerateArray(), r => Assert.StartsWith("sent_at:", r.GetProperty("error").GetString(), StringComparison.Ordinal));
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "clocks"), c => c.GetProperty("feature_usage").GetInt64() == 2);
    }

    [Fact]
    public async Task APublishableKeyMayTrackButNotClaimATrustedClock()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("browser", s.Pro, seats: 1);
        var created = (await s.Api.PostAsync("/api-keys", new { name = "web", kind = "publishable" })).ShouldBe(HttpStatusCode.Created);
        var browser = server.Api(created.Data.GetProperty("key").GetString());

        var answer = await Events.SendAsync(
            browser,
            Events.Track("api_call", "browser", 2),
            Events.Track("api_call", "browser", 9, sentAt: server.Time.GetUtcNow().AddDays(-40), trustedClock: true));

        Assert.Equal(1, answer.Body.GetProperty("accepted").GetInt32());
        Assert.Equal("trusted_client_clock: needs a secret key", answer.Body.GetProperty("rejected")[0].GetProperty("error").GetString());
    }

    [Fact]
    public async Task TheRestEventEndpointsAnswerInSchematicsShape()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("rest", s.Pro, seats: 1);

        var one = (await s.Api.PostAsync("/events", new { eventType = "track", body = new { @event = "api_call", company = Given.Keys("rest"), quantity = 2 } })).ShouldBe(HttpStatusCode.OK);
        var batch = (await s.Api.PostAsync("/event-batch", new
        {
            events = new object[]
            {
                new { eventType = "track", body = new { @event = "api_call", company = Given.Keys("rest") } },
                new { eventType = "nonsense", body = new { } },
            },
        })).ShouldBe(HttpStatusCode.OK);
        var bad = await s.Api.PostAsync("/events", new { eventType = "track", body = new { company = Given.Keys("rest") } });

        Assert.True(one.Data.TryGetProperty("captured_at", out _));
        Assert.Equal(1, batch.Data.GetProperty("events").GetArrayLength());
        Assert.Equal(1, batch.Data.GetProperty("rejected")[0].GetProperty("index").GetInt32());
        bad.ShouldFail(HttpStatusCode.BadRequest, "body.event: is required");
        Assert.Equal(3, await AllTimeUsageAsync(s.Api.EnvironmentId!, "rest"));
    }

    [Fact]
    public async Task ADailyCounterStartsAgainAtMidnightAndABillingCycleOnItsAnchor()
    {
        var api = await server.NewEnvironmentAsync();
        var exports = await Given.EventFeatureAsync(api, "exports", "export");
        var plan = await Given.PlanAsync(api, "Daily");
        await Given.EntitlementAsync(api, new { planId = plan, featureId = exports, valueType = "numeric", valueNumeric = 10, metricPeriod = "current_day" });
        var now = server.Time.GetUtcNow();
        var anchor = new DateTimeOffset(2025, 1, 31, 9, 30, 0, TimeSpan.Zero);
        (await api.PostAsync("/companies", new
        {
            keys = Given.Keys("daily"), basePlanId = plan, subscription = new { id = "sub_1", periodStart = anchor, periodEnd = anchor.AddYears(1) },
        })).ShouldBe(HttpStatusCode.OK);

        await Events.SendAsync(api, Events.Track("export", "daily", 10));
        var today = await Events.EventuallyAsync(() => CheckAsync(api, "exports", "daily"), c => c.GetProperty("feature_usage").GetInt64() == 10);
        server.Time.SetUtcNow(new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero).AddDays(1));
        var tomorrow = await CheckAsync(api, "exports", "daily");

        Assert.False(today.GetProperty("value").GetBoolean());
        Assert.True(tomorrow.GetProperty("value").GetBoolean());
        Assert.Equal(0, tomorrow.GetProperty("feature_usage").GetInt64());
        var billingBucket = await CounterBucketsAsync(api.EnvironmentId!, "daily", period: 4);
        Assert.Equal([new DateTimeOffset(2025, 6, 30, 9, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()], billingBucket);
    }

    private static async Task<JsonElement> CheckAsync(ApiClient api, string flag, string company) =>
        (await api.PostAsync($"/flags/{flag}/check", new { company = Given.Keys(company) })).ShouldBe(HttpStatusCode.OK).Data;

    private async Task<long> AllTimeUsageAsync(string environmentId, string companyKey)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(
            """
            SELECT COALESCE(SUM(c.value), 0) FROM usage_counters c
            JOIN entity_keys k ON k.environment_id = c.environment_id AND k.entity_id = c.company_id
            WHERE c.environment_id = @environmentId AND k.key = 'id' AND k.value = @companyKey AND c.period = 0
            """,
            new { environmentId, companyKey });
    }

    private async Task<long[]> CounterBucketsAsync(string environmentId, string companyKey, int period)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return [.. await connection.QueryAsync<long>(
            """
            SELECT c.bucket FROM usage_counters c
            JOIN entity_keys k ON k.environment_id = c.environment_id AND k.entity_id = c.company_id
            WHERE c.environment_id = @environmentId AND k.key = 'id' AND k.value = @companyKey AND c.period = @period
            """,
            new { environmentId, companyKey, period })];
    }

    private async Task<long> OutboxQuantityAsync(string environmentId)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(quantity), 0) FROM meter_outbox WHERE environment_id = @environmentId", new { environmentId });
    }
}

public sealed class EventTestsOnSqlite(SqliteServer server) : EventTests(server), IClassFixture<SqliteServer>;

public sealed class EventTestsOnPostgres(PostgresServer server) : EventTests(server), IClassFixture<PostgresServer>;
