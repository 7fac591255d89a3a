using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Tollgate.FakeStripe;

/// <summary>What a handler sees of one request: parsed parameters, route values, the store and the server.</summary>
internal sealed class StripeCall(HttpContext http, JsonObject parameters, FakeStripeServer server)
{
    public JsonObject Params { get; } = parameters;
    public FakeStripeServer Server { get; } = server;
    public FakeStripeAccount Account => (FakeStripeAccount)Http.Items[typeof(FakeStripeAccount)]!;
    public FakeStripeStore Store => Account.Store;
    public HttpContext Http { get; } = http;
    public long Now => Store.Now;

    public string Route(string name) => (string)Http.Request.RouteValues[name]!;

    public JsonNode? Node(string name) => Params[name];

    public string? Str(string name) => Params[name] is JsonValue v ? v.ToString() : null;

    public string Required(string name) =>
        Str(name) is { Length: > 0 } s ? s : throw StripeApiException.MissingParam(name);

    public long? Long(string name) => Long(Params, name, name);

    public static long? Long(JsonObject from, string name, string param)
    {
        if (from[name] is not JsonValue v) return null;
        var text = v.ToString();
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw StripeApiException.Invalid(param, $"Invalid integer: {text}", "parameter_invalid_integer");
    }

    public bool? Bool(string name) => Str(name) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        var other => throw StripeApiException.Invalid(name, $"Invalid boolean: {other}", "parameter_invalid_boolean"),
    };

    public int Limit()
    {
        var limit = Long("limit") ?? 10;
        return limit is >= 1 and <= 100
            ? (int)limit
            : throw StripeApiException.Invalid("limit", "This value must be greater than or equal to 1 and less than or equal to 100.", "parameter_invalid_integer");
    }

    public IReadOnlyList<string> Expand() =>
        Params["expand"] is JsonArray a ? [.. a.Select(x => x!.ToString())] : [];

    /// <summary>Metadata from the parameters merged into <paramref name="existing"/> (an empty value deletes a key).</summary>
    public JsonObject Metadata(JsonObject? existing = null)
    {
        var result = existing?.DeepClone().AsObject() ?? [];
        if (Params["metadata"] is JsonObject m)
            foreach (var (k, v) in m)
                if (v is null || v.ToString().Length == 0) result.Remove(k); else result[k] = v.ToString();
        return result;
    }
}
