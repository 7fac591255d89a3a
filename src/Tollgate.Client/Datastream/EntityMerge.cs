using System.Text.Json.Nodes;

namespace Tollgate.Client.Datastream;

/// <summary>
/// The datastream's partial merge rules (spec/schematic.md §2, as the official SDKs' <c>Merge</c>): only fields present
/// apply; <c>keys</c> and <c>credit_balances</c> merge per map key; <c>metrics</c> upsert by (event_subtype, period,
/// month_reset); every other field replaces.
/// </summary>
internal static class EntityMerge
{
    public static JsonObject Merge(JsonObject held, JsonObject partial)
    {
        var merged = (JsonObject)held.DeepClone();
        foreach (var (name, value) in partial)
        {
            switch (name)
            {
                case "keys" or "credit_balances" when value is JsonObject map && merged[name] is JsonObject heldMap:
                    foreach (var (k, v) in map)
                    {
                        heldMap[k] = v?.DeepClone();
                    }

                    break;
                case "metrics" when value is JsonArray metrics && merged[name] is JsonArray heldMetrics:
                    foreach (var metric in metrics)
                    {
                        Upsert(heldMetrics, metric);
                    }

                    break;
                default:
                    merged[name] = value?.DeepClone();
                    break;
            }
        }

        return merged;
    }

    /// <summary>Adds <paramref name="quantity"/> to every metric of the event and to the usage of entitlements counting it.</summary>
    public static JsonObject AddUsage(JsonObject held, string eventSubtype, long quantity)
    {
        var bumped = (JsonObject)held.DeepClone();
        if (bumped["metrics"] is JsonArray metrics)
        {
            foreach (var metric in metrics)
            {
                if (metric is JsonObject m && (string?)m["event_subtype"] == eventSubtype && m["value"] is JsonValue value)
                {
                    m["value"] = value.GetValue<long>() + quantity;
                }
            }
        }

        if (bumped["entitlements"] is JsonArray entitlements)
        {
            foreach (var entitlement in entitlements)
            {
                if (entitlement is JsonObject e && (string?)e["event_subtype"] == eventSubtype && e["usage"] is JsonValue usage)
                {
                    e["usage"] = usage.GetValue<long>() + quantity;
                }
            }
        }

        return bumped;
    }

    private static void Upsert(JsonArray heldMetrics, JsonNode? metric)
    {
        if (metric is not JsonObject m)
        {
            return;
        }

        for (var i = 0; i < heldMetrics.Count; i++)
        {
            if (heldMetrics[i] is JsonObject h && Same(h, m, "event_subtype") && Same(h, m, "period") && Same(h, m, "month_reset"))
            {
                heldMetrics[i] = m.DeepClone();
                return;
            }
        }

        heldMetrics.Add(m.DeepClone());
    }

    private static bool Same(JsonObject a, JsonObject b, string name) => (string?)a[name] == (string?)b[name];
}
