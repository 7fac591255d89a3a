using System.Text.Json;

namespace Tollgate.Server.Datastream;

/// <summary>
/// A client frame: <c>{"data": {"action"?, "entity_type", "keys"?}}</c>. <c>action</c> may be missing, null or empty
/// (the direct SDKs' spellings of "request"), <c>start</c> or <c>stop</c>.
/// </summary>
internal sealed record DatastreamRequest(string EntityType, string? Action, IReadOnlyDictionary<string, string>? Keys)
{
    public static bool TryParse(ReadOnlyMemory<byte> message, out DatastreamRequest request, out string problem)
    {
        request = null!;
        try
        {
            using var document = JsonDocument.Parse(message);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                problem = "data: is required (an object)";
                return false;
            }

            if (!data.TryGetProperty("entity_type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                problem = "data.entity_type: is required (a string)";
                return false;
            }

            var action = data.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String && a.GetString() is { Length: > 0 } text ? text : null;
            if (action is not (null or "start" or "stop"))
            {
                problem = $"data.action: must be start or stop, not '{action}'";
                return false;
            }

            Dictionary<string, string>? keys = null;
            if (data.TryGetProperty("keys", out var k) && k.ValueKind == JsonValueKind.Object)
            {
                keys = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var pair in k.EnumerateObject())
                {
                    if (pair.Value.ValueKind != JsonValueKind.String)
                    {
                        problem = $"data.keys.{pair.Name}: must be a string";
                        return false;
                    }

                    keys[pair.Name] = pair.Value.GetString()!;
                }
            }

            request = new DatastreamRequest(type.GetString()!, action, keys);
            problem = string.Empty;
            return true;
        }
        catch (JsonException exception)
        {
            problem = $"message: not valid JSON ({exception.Message})";
            return false;
        }
    }
}
