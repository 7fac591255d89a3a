using System.Text;
using System.Text.Json.Nodes;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// Seeded random request bodies: a valid body with one part replaced, removed or added; a random object over the API's
/// field names; or valid JSON text cut or corrupted. Values favour the edges: nulls, wrong types, extreme numbers and
/// dates, long and odd strings, enum names used in the wrong place, ids of real resources, nesting beyond the parser's
/// depth limit.
/// </summary>
public sealed class JsonFuzzer(int seed, IReadOnlyList<string> realIds)
{
    private static readonly string[] FieldNames =
    [
        "name", "description", "feature_type", "event_subtype", "trait_id", "flag", "key", "default_value", "rules", "rule_type", "priority", "value",
        "conditions", "condition_groups", "condition_type", "operator", "resource_ids", "trait_value", "comparison_trait_id", "metric_value",
        "metric_period", "metric_period_month_reset", "credit_id", "consumption_rate", "entity_type", "comparable_type", "plan_type", "plan_id",
        "company_id", "feature_id", "value_type", "value_bool", "value_numeric", "value_trait_id", "value_credit_id", "credit_consumption_rate",
        "soft_limit", "warning_tiers", "expiration_date", "note", "keys", "traits", "base_plan_id", "add_on_ids", "subscription", "period_start",
        "period_end", "id", "last_seen_at", "update_only", "company", "companies", "company_ids", "user", "preflight", "usage", "event_usage",
        "quantity", "credit_cost", "contexts", "trait", "set", "incr", "kind", "email",
    ];

    private static readonly string[] Words =
    [
        "boolean", "event", "trait", "numeric", "unlimited", "credit", "company", "user", "plan", "add_on", "int", "string", "bool", "date",
        "current_month", "current_day", "current_week", "all_time", "billing_cycle", "first_of_month", "standard", "global_override", "default",
        "plan_entitlement", "eq", "ne", "gt", "lt", "gte", "lte", "is_empty", "not_empty", "metric", "base_plan", "plan_version", "billing_product",
        "secret", "publishable", "acme", "seats", "api_call", "ai_credits",
        "", " ", "x", "\u0000", "😀", "\ud800", "../../etc/passwd", "'; DROP TABLE resources; --", "%s%n", "2025-06-01T00:00:00Z",
        "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "not-a-date", "1e400", "-0", "NaN", "Infinity",
    ];

    private readonly Random _random = new(seed);

    /// <summary>A body for an endpoint whose valid body is <paramref name="valid"/>.</summary>
    public string Next(string valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        return _random.Next(10) switch
        {
            < 5 => Mutate(JsonNode.Parse(valid)!).ToJsonString(),
            < 7 => RandomObject(depth: 0).ToJsonString(),
            8 => Corrupt(valid),
            _ => _random.Next(3) switch
            {
                0 => Deep(70),
                1 => RandomValue(0)?.ToJsonString() ?? "null",
                _ => Mutate(Mutate(JsonNode.Parse(valid)!)).ToJsonString(),
            },
        };
    }

    private JsonNode Mutate(JsonNode root)
    {
        var containers = new List<JsonNode>();
        Collect(root, containers);
        var target = containers[_random.Next(containers.Count)];
        switch (target)
        {
            case JsonObject obj when obj.Count > 0 && _random.Next(3) == 0:
                obj.Remove(obj.ElementAt(_random.Next(obj.Count)).Key);
                break;
            case JsonObject obj when obj.Count > 0 && _random.Next(2) == 0:
                obj[obj.ElementAt(_random.Next(obj.Count)).Key] = RandomValue(1);
                break;
            case JsonObject obj:
                obj[Pick(FieldNames)] = RandomValue(1);
                break;
            case JsonArray array when array.Count > 0 && _random.Next(2) == 0:
                array[_random.Next(array.Count)] = RandomValue(1);
                break;
            case JsonArray array:
                array.Add(RandomValue(1));
                break;
        }

        return root;
    }

    private static void Collect(JsonNode? node, List<JsonNode> containers)
    {
        switch (node)
        {
            case JsonObject obj:
                containers.Add(obj);
                foreach (var (_, child) in obj)
                {
                    Collect(child, containers);
                }

                break;
            case JsonArray array:
                containers.Add(array);
                foreach (var child in array)
                {
                    Collect(child, containers);
                }

                break;
        }
    }

    private JsonObject RandomObject(int depth)
    {
        var obj = new JsonObject();
        for (var i = _random.Next(6); i > 0; i--)
        {
            obj[Pick(FieldNames)] = RandomValue(depth + 1);
        }

        return obj;
    }

    private JsonNode? RandomValue(int depth) => _random.Next(depth > 3 ? 12 : 17) switch
    {
        0 or 16 => null,
        1 => JsonValue.Create(_random.Next(2) == 0),
        2 => JsonValue.Create(Pick([0L, -1L, 1L, 2147483648L, long.MinValue, long.MaxValue, 7L])),
        3 => JsonNode.Parse(Pick(["9223372036854775808", "-9223372036854775809", "1e308", "-1e308", "1e-320", "1.5", "-0.0", "123456789012345678901234567890"])),
        4 or 5 or 6 => JsonValue.Create(Pick(Words)),
        7 => JsonValue.Create(new string(Pick(['a', 'é', '\'', '"', '\\']), Pick([200, 501, 5000]))),
        8 or 9 => JsonValue.Create(realIds[_random.Next(realIds.Count)]),
        10 => JsonValue.Create(Pick(["id", "email", "stripe"])),
        11 => JsonValue.Create(_random.NextDouble() * Pick([1.0, -1.0, 1e6])),
        12 => new JsonArray([.. Enumerable.Range(0, _random.Next(4)).Select(_ => RandomValue(depth + 1))]),
        13 => RandomObject(depth),
        14 => new JsonObject { [Pick(["id", "email", "", "ai_credits"])] = RandomValue(depth + 1) },
        _ => new JsonArray([.. Enumerable.Range(0, _random.Next(3)).Select(_ => (JsonNode?)RandomObject(depth))]),
    };

    private string Corrupt(string valid)
    {
        var bytes = Encoding.UTF8.GetBytes(valid);
        switch (_random.Next(3))
        {
            case 0:
                return valid[.._random.Next(valid.Length)];
            case 1:
                bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
                return Encoding.UTF8.GetString(bytes);
            default:
                var at = _random.Next(valid.Length);
                return valid[..at] + Pick(["\"", "}", "]", ",", ":", "\\u12", "\u0000", "{\"a\":"]) + valid[at..];
        }
    }

    private static string Deep(int depth) => new string('[', depth) + new string(']', depth);

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
