using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe;

/// <summary>Parses Stripe's bracket-notation form/query encoding (<c>items[0][price]=p</c>) into a JSON tree of strings.</summary>
public static class StripeParams
{
    /// <summary>Parses pairs already URL-decoded; numeric segments make arrays, others objects, leaves stay strings.</summary>
    public static JsonObject Parse(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var root = new JsonObject();
        foreach (var (key, value) in pairs)
        {
            var path = Segments(key);
            JsonNode container = root;
            for (var i = 0; i < path.Count; i++)
            {
                var last = i == path.Count - 1;
                var nextIsIndex = !last && (path[i + 1].Length == 0 || int.TryParse(path[i + 1], out _));
                container = Step(container, path[i], last ? JsonValue.Create(value) : null, nextIsIndex);
            }
        }
        return root;
    }

    /// <summary>Decodes an <c>application/x-www-form-urlencoded</c> body or query string.</summary>
    public static JsonObject ParseEncoded(string encoded)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in encoded.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var k = eq < 0 ? part : part[..eq];
            var v = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add(new(Uri.UnescapeDataString(k.Replace('+', ' ')), Uri.UnescapeDataString(v.Replace('+', ' '))));
        }
        return Parse(pairs);
    }

    private static JsonNode Step(JsonNode container, string segment, JsonNode? leaf, bool nextIsIndex)
    {
        if (container is JsonArray array)
        {
            // An empty segment ("expand[]") appends; an index names a slot, filled up to it.
            var index = segment.Length == 0 ? array.Count : int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture);
            while (array.Count <= index) array.Add(null);
            if (leaf is not null) { array[index] = leaf; return leaf; }
            return array[index] ??= nextIsIndex ? new JsonArray() : new JsonObject();
        }
        var obj = (JsonObject)container;
        if (leaf is not null) { obj[segment] = leaf; return leaf; }
        if (obj[segment] is JsonObject or JsonArray) return obj[segment]!;
        var child = nextIsIndex ? (JsonNode)new JsonArray() : new JsonObject();
        obj[segment] = child;
        return child;
    }

    private static List<string> Segments(string key)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open < 0) return [key];
        var segments = new List<string> { key[..open] };
        var rest = key[open..];
        while (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) break;
            segments.Add(rest[1..close]);
            rest = rest[(close + 1)..];
        }
        return segments;
    }
}
