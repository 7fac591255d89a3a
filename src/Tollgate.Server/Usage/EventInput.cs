using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Tollgate.Server.Environments;
using Tollgate.Server.Requests;

namespace Tollgate.Server.Usage;

/// <summary>Why one event of a batch was not accepted.</summary>
public sealed record EventRejection(int Index, string Error);

/// <summary>The two spellings of an event on the wire.</summary>
internal enum EventDialect
{
    /// <summary><c>POST /batch</c> (the capture service the SDKs use): <c>type</c>, and <c>api_key</c> in each event.</summary>
    Capture,

    /// <summary><c>POST /events</c> and <c>/event-batch</c>: <c>event_type</c>; the key is the header's.</summary>
    Rest,
}

/// <summary>One event as sent, checked field by field (spec §1.3); its body is read by <see cref="EventIntake"/>.</summary>
internal sealed record EventInput(
    int Index,
    RequestScope Scope,
    EventType Type,
    JsonElement Body,
    DateTimeOffset? SentAt,
    string? IdempotencyKey,
    bool TrustedClientClock,
    bool Backfill)
{
    public const int MaxIdempotencyKeyLength = 255;

    /// <summary>Reads one event; throws <see cref="RequestException"/> naming the field when it is not acceptable.</summary>
    public static async ValueTask<EventInput> ReadAsync(
        JsonElement element, int index, EventDialect dialect, RequestScope? headerScope, Func<JsonElement, ValueTask<RequestScope?>> authenticate)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Errors.BadRequest("event", "must be an object");
        }

        var scope = headerScope;
        // The key is handed over as sent (a JSON string), so that a request repeating it is not read into a string per event.
        if (dialect == EventDialect.Capture && OptionalStringElement(element, "api_key") is { } apiKey)
        {
            scope = await authenticate(apiKey).ConfigureAwait(false);
            if (scope is null)
            {
                throw new RequestException(StatusCodes.Status401Unauthorized, "api_key: invalid or revoked API key");
            }

            if (headerScope is not null && headerScope.EnvironmentId != scope.EnvironmentId)
            {
                Errors.BadRequest("api_key", "names another environment than the X-Schematic-Api-Key header");
            }
        }

        if (scope is null)
        {
            throw new RequestException(StatusCodes.Status401Unauthorized, "api_key: missing (give it in the event or the X-Schematic-Api-Key header)");
        }

        var typeField = dialect == EventDialect.Capture ? "type" : "event_type";
        var type = OptionalString(element, typeField) switch
        {
            "track" => EventType.Track,
            "identify" => EventType.Identify,
            "flag_check" => EventType.FlagCheck,
            null => Fail<EventType>(typeField, "is required"),
            var other => Fail<EventType>(typeField, $"'{other}' is not one of track, identify, flag_check"),
        };
        if (!element.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            Errors.BadRequest("body", "must be an object");
        }

        var sentAt = OptionalStringElement(element, "sent_at") is { } sentText ? ParseTime(sentText, "sent_at") : (DateTimeOffset?)null;
        var idempotencyKey = OptionalString(element, "idempotency_key");
        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
        {
            Errors.BadRequest("idempotency_key", $"must be 1 to {MaxIdempotencyKeyLength} characters");
        }

        var trusted = OptionalBool(element, "trusted_client_clock");
        var backfill = OptionalBool(element, "backfill");
        if (trusted && sentAt is null)
        {
            Errors.BadRequest("trusted_client_clock", "needs sent_at");
        }

        if (trusted && scope.Kind != ApiKeyKind.Secret)
        {
            Errors.BadRequest("trusted_client_clock", "needs a secret key");
        }

        if (backfill && !trusted)
        {
            Errors.BadRequest("backfill", "needs trusted_client_clock with sent_at");
        }

        return new EventInput(index, scope, type, body, sentAt, idempotencyKey, trusted, backfill);
    }

    /// <summary>A string property; null when absent or JSON null; 400 when of another type.</summary>
    public static string? OptionalString(JsonElement element, string name) => OptionalStringElement(element, name)?.GetString();

    /// <summary>A string property as a JSON value; null when absent or JSON null; 400 when of another type.</summary>
    private static JsonElement? OptionalStringElement(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Errors.BadRequest(name, "must be a string");
        }

        return value;
    }

    /// <summary>A string map (<c>{"id": "acme"}</c>); null when absent or JSON null.</summary>
    public static Dictionary<string, string>? OptionalKeys(JsonElement element, string name, string field)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Errors.BadRequest(field, "must be an object of string values");
        }

        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in value.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
            {
                Errors.BadRequest($"{field}.{pair.Name}", "must be a string");
            }

            keys[pair.Name] = pair.Value.GetString()!;
        }

        return keys;
    }

    /// <summary>A map of trait values (strings, numbers, booleans); null when absent or JSON null.</summary>
    public static Dictionary<string, JsonElement>? OptionalTraits(JsonElement element, string name, string field)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Errors.BadRequest(field, "must be an object");
        }

        return value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    private static bool OptionalBool(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => Fail<bool>(name, "must be true or false"),
        };
    }

    /// <summary>
    /// A time as the SDKs send it: ISO 8601 in UTC ("…Z") is read straight from the JSON (no string, no culture-aware
    /// parse); any other spelling as before, a time without an offset taken as UTC.
    /// </summary>
    private static DateTimeOffset ParseTime(JsonElement value, string field)
    {
        if (JsonMarshal.GetRawUtf8Value(value) is [.., (byte)'Z', (byte)'"'] && value.TryGetDateTimeOffset(out var utc))
        {
            return utc.ToUniversalTime();
        }

        return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : Fail<DateTimeOffset>(field, "must be an ISO 8601 date-time");
    }

    private static T Fail<T>(string field, string problem)
    {
        Errors.BadRequest(field, problem);
        return default;
    }
}
