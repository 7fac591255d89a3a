using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe.Api;

/// <summary>
/// Billing meters, v1 meter events, the v2 meter event session and the v2 meter event stream (the only route Stripe.net
/// sends to MeterEventsBase).
/// </summary>
internal static class MeterEndpoints
{
    private static readonly string[] Formulas = ["count", "last", "sum"];

    public static void Map(StripeRoutes r)
    {
        r.Post("/v1/billing/meters", Create);
        r.Get("/v1/billing/meters/{id}", c => StripeJson.Render(c.Store.Get("billing.meter", c.Route("id")), c));
        r.Get("/v1/billing/meters", c => StripeJson.List(c, c.Store.All("billing.meter")
            .Where(m => c.Str("status") is not { } status || (string?)m["status"] == status), "/v1/billing/meters"));
        r.Post("/v1/billing/meters/{id}/deactivate", c => SetStatus(c, "inactive", "billing.meter.deactivated"));
        r.Post("/v1/billing/meters/{id}/reactivate", c => SetStatus(c, "active", "billing.meter.reactivated"));
        r.Post("/v1/billing/meter_events", CreateV1Event);
        r.Post("/v1/billing/meter_event_adjustments", Adjust);
        r.Get("/v1/billing/meters/{id}/event_summaries", Summaries);
        r.Post("/v2/billing/meter_event_session", CreateSession);
        r.Post("/v2/billing/meter_event_stream", Stream);
    }

    private static JsonObject Create(StripeCall c)
    {
        var eventName = c.Required("event_name");
        var formula = c.Node("default_aggregation")?["formula"]?.ToString() ?? throw StripeApiException.MissingParam("default_aggregation[formula]");
        if (!Formulas.Contains(formula))
            throw StripeApiException.Invalid("default_aggregation[formula]", "Invalid default_aggregation[formula]: must be one of count, last, or sum", "parameter_invalid_string");
        if (c.Store.All("billing.meter").Any(m => (string?)m["event_name"] == eventName && (string?)m["status"] == "active"))
            throw new StripeApiException(HttpStatusCode.BadRequest, "invalid_request_error", "resource_already_exists",
                $"An active meter with event_name '{eventName}' already exists.", "event_name");
        var meter = new JsonObject
        {
            ["id"] = StripeIds.New("mtr"),
            ["object"] = "billing.meter",
            ["created"] = c.Now,
            ["customer_mapping"] = new JsonObject
            {
                ["event_payload_key"] = c.Node("customer_mapping")?["event_payload_key"]?.ToString() ?? "stripe_customer_id",
                ["type"] = "by_id",
            },
            ["default_aggregation"] = new JsonObject { ["formula"] = formula },
            ["display_name"] = c.Required("display_name"),
            ["event_name"] = eventName,
            ["event_time_window"] = c.Str("event_time_window"),
            ["livemode"] = false,
            ["status"] = "active",
            ["status_transitions"] = new JsonObject { ["deactivated_at"] = null },
            ["updated"] = c.Now,
            ["value_settings"] = new JsonObject { ["event_payload_key"] = c.Node("value_settings")?["event_payload_key"]?.ToString() ?? "value" },
        };
        c.Store.Add(meter);
        c.Store.Emit("billing.meter.created", meter);
        return meter.DeepClone().AsObject();
    }

    private static JsonObject SetStatus(StripeCall c, string status, string eventType)
    {
        var meter = c.Store.Get("billing.meter", c.Route("id"));
        meter["status"] = status;
        meter["status_transitions"] = new JsonObject { ["deactivated_at"] = status == "inactive" ? c.Now : null };
        meter["updated"] = c.Now;
        c.Store.Emit(eventType, meter);
        return meter.DeepClone().AsObject();
    }

    private static JsonObject CreateV1Event(StripeCall c)
    {
        var eventName = c.Required("event_name");
        var payload = c.Node("payload") as JsonObject ?? throw StripeApiException.MissingParam("payload");
        var timestamp = c.Long("timestamp") ?? c.Now;
        var identifier = c.Str("identifier") ?? StripeIds.New("mev");
        Accept(c, eventName, identifier, payload, timestamp, "v1", "payload");
        return new JsonObject
        {
            ["object"] = "billing.meter_event",
            ["created"] = c.Now,
            ["event_name"] = eventName,
            ["identifier"] = identifier,
            ["livemode"] = false,
            ["payload"] = payload.DeepClone(),
            ["timestamp"] = timestamp,
        };
    }

    /// <summary>Validates one event against its meter (Stripe's documented rules) and records it.</summary>
    private static void Accept(StripeCall c, string eventName, string identifier, JsonObject payload, long timestamp, string source, string param)
    {
        var meter = c.Store.All("billing.meter").FirstOrDefault(m => (string?)m["event_name"] == eventName && (string?)m["status"] == "active")
            ?? throw StripeApiException.Invalid("event_name", $"No active meter was found for event_name '{eventName}'.", "resource_missing");
        var customerKey = (string)meter["customer_mapping"]!["event_payload_key"]!;
        var valueKey = (string)meter["value_settings"]!["event_payload_key"]!;
        var customer = payload[customerKey]?.ToString() ?? throw StripeApiException.MissingParam($"{param}[{customerKey}]");
        c.Store.Get("customer", customer, $"{param}[{customerKey}]");
        var valueText = payload[valueKey]?.ToString() ?? "1";
        if (!long.TryParse(valueText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw StripeApiException.Invalid($"{param}[{valueKey}]", $"Value must be a whole number, got '{valueText}'.", "parameter_invalid_integer");
        // Documented window: at most 35 days in the past and 5 minutes in the future.
        if (timestamp < c.Now - (35 * 86_400) || timestamp > c.Now + 300)
            throw StripeApiException.Invalid("timestamp", "Timestamp must be within the past 35 days and no more than 5 minutes in the future.", "parameter_invalid_integer");
        if (c.Store.HasMeterIdentifier(identifier))
            throw new StripeApiException(HttpStatusCode.BadRequest, "invalid_request_error", "resource_already_exists",
                $"An event with identifier '{identifier}' already exists.", "identifier");
        c.Store.AddMeterEvent(new MeterEventRecord(eventName, identifier, customer, value, timestamp, source));
    }

    private static JsonObject CreateSession(StripeCall c)
    {
        var now = c.Store.Time.GetUtcNow();
        var token = "mes_tok_" + StripeIds.New("x")[2..];
        var session = new JsonObject
        {
            ["id"] = StripeIds.New("mes"),
            ["object"] = "v2.billing.meter_event_session",
            ["authentication_token"] = token,
            ["created"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["expires_at"] = now.AddMinutes(15).ToString("O", CultureInfo.InvariantCulture),
            ["livemode"] = false,
        };
        c.Server.MeterSessions[token] = (now.AddMinutes(15), c.Account);
        return session;
    }

    private static JsonObject Stream(StripeCall c)
    {
        var token = c.Http.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal);
        if (!c.Server.MeterSessions.TryGetValue(token, out var session))
            throw new StripeApiException(HttpStatusCode.Unauthorized, "invalid_request_error", null, "Invalid meter event session token.");
        if (session.ExpiresAt <= c.Store.Time.GetUtcNow())
            throw new StripeApiException(HttpStatusCode.Unauthorized, "temporary_session_expired", "billing_meter_event_session_expired",
                "The meter event session has expired; create a new one.");
        var events = c.Node("events") as JsonArray ?? throw StripeApiException.MissingParam("events");
        if (events.Count is 0 or > 100)
            throw StripeApiException.Invalid("events", "events must contain between 1 and 100 items.", "parameter_invalid_array");
        var parsed = new List<(string Name, string Identifier, JsonObject Payload, long Timestamp)>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] as JsonObject ?? throw StripeApiException.MissingParam($"events[{i}]");
            var name = e["event_name"]?.ToString() ?? throw StripeApiException.MissingParam($"events[{i}].event_name");
            var payload = e["payload"] as JsonObject ?? throw StripeApiException.MissingParam($"events[{i}].payload");
            var timestamp = e["timestamp"]?.ToString() is { } ts
                ? DateTimeOffset.Parse(ts, CultureInfo.InvariantCulture).ToUnixTimeSeconds()
                : c.Now;
            parsed.Add((name, e["identifier"]?.ToString() ?? StripeIds.New("mev"), payload, timestamp));
        }
        // The stream validates asynchronously: the request succeeds and bad events are dropped and reported.
        foreach (var (name, identifier, payload, timestamp) in parsed)
        {
            try
            {
                Accept(c, name, identifier, payload, timestamp, "v2-stream", "payload");
            }
            catch (StripeApiException e)
            {
                c.Store.AddMeterEventError(new MeterEventError(identifier, name, e.Code, e.Message));
            }
        }
        return new JsonObject();
    }

    private static JsonObject Adjust(StripeCall c)
    {
        var eventName = c.Required("event_name");
        if (c.Str("type") is { } type && type != "cancel")
            throw StripeApiException.Invalid("type", "Invalid type: must be cancel", "parameter_invalid_string");
        var identifier = c.Node("cancel")?["identifier"]?.ToString() ?? throw StripeApiException.MissingParam("cancel[identifier]");
        if (!c.Store.CancelMeterEvent(eventName, identifier))
            throw StripeApiException.Missing("meter event", identifier, "cancel[identifier]");
        return new JsonObject
        {
            ["id"] = StripeIds.New("mtradj"),
            ["object"] = "billing.meter_event_adjustment",
            ["cancel"] = new JsonObject { ["identifier"] = identifier },
            ["event_name"] = eventName,
            ["livemode"] = false,
            ["status"] = "pending",
            ["type"] = "cancel",
        };
    }

    /// <summary>One summary over [start_time, end_time) aggregated by the meter's formula (no value_grouping_window).</summary>
    private static JsonObject Summaries(StripeCall c)
    {
        var meter = c.Store.Get("billing.meter", c.Route("id"));
        var customer = c.Required("customer");
        var start = c.Long("start_time") ?? throw StripeApiException.MissingParam("start_time");
        var end = c.Long("end_time") ?? throw StripeApiException.MissingParam("end_time");
        var events = c.Store.MeterEventsUnlocked()
            .Where(e => e.EventName == (string?)meter["event_name"] && e.CustomerId == customer && !e.Canceled && e.Timestamp >= start && e.Timestamp < end)
            .OrderBy(e => e.Timestamp).ToList();
        double value = (string?)meter["default_aggregation"]!["formula"] switch
        {
            "count" => events.Count,
            "last" => events.Count == 0 ? 0 : events[^1].Value,
            _ => events.Sum(e => e.Value),
        };
        var summary = new JsonObject
        {
            ["id"] = StripeIds.New("mtrusg"),
            ["object"] = "billing.meter_event_summary",
            ["aggregated_value"] = value,
            ["end_time"] = end,
            ["livemode"] = false,
            ["meter"] = (string?)meter["id"],
            ["start_time"] = start,
        };
        return StripeJson.List(c, [summary], $"/v1/billing/meters/{meter["id"]}/event_summaries");
    }
}
