using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe;

/// <summary>Rendering helpers: <c>expand[]</c> and Stripe list pages.</summary>
internal static class StripeJson
{
    /// <summary>A copy of <paramref name="obj"/> with each <c>expand[]</c> path's id replaced by the object it names.</summary>
    public static JsonObject Render(JsonObject obj, StripeCall call)
    {
        var copy = obj.DeepClone().AsObject();
        foreach (var path in call.Expand()) Expand(copy, path.Split('.'), call.Store);
        return copy;
    }

    /// <summary>
    /// A list page: <c>{object:"list", url, has_more, data}</c> with <c>limit</c>, <c>starting_after</c> and
    /// <c>ending_before</c> (cursors are ids; <paramref name="items"/> come newest first).
    /// </summary>
    public static JsonObject List(StripeCall call, IEnumerable<JsonObject> items, string url)
    {
        var all = items.Where(o => InCreatedRange(call, o)).ToList();
        var limit = call.Limit();
        int start = 0, end = all.Count;
        if (call.Str("starting_after") is { } after)
            start = IndexOf(all, after, "starting_after") + 1;
        else if (call.Str("ending_before") is { } before)
        {
            end = IndexOf(all, before, "ending_before");
            start = Math.Max(0, end - limit);
        }
        var page = all.Skip(start).Take(Math.Min(limit, end - start)).ToList();
        var hasMore = call.Str("ending_before") is not null ? start > 0 : start + page.Count < end;
        var list = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. page.Select(o => (JsonNode)o.DeepClone())]),
            ["has_more"] = hasMore,
            ["url"] = url,
        };
        foreach (var path in call.Expand()) Expand(list, path.Split('.'), call.Store);
        return list;
    }

    /// <summary>An embedded list such as <c>subscription.items</c>.</summary>
    public static JsonObject EmbeddedList(JsonArray data, string url) =>
        new() { ["object"] = "list", ["data"] = data, ["has_more"] = false, ["total_count"] = data.Count, ["url"] = url };

    /// <summary><c>created</c> as an exact unix time or a range <c>created[gt|gte|lt|lte]</c>.</summary>
    private static bool InCreatedRange(StripeCall call, JsonObject o)
    {
        if (o["created"] is not JsonValue value || !value.TryGetValue<long>(out var created)) return true;
        switch (call.Node("created"))
        {
            case JsonValue:
                return created == call.Long("created");
            case JsonObject range:
                return Bound(range, "gt", v => created > v) && Bound(range, "gte", v => created >= v)
                    && Bound(range, "lt", v => created < v) && Bound(range, "lte", v => created <= v);
            default:
                return true;
        }
    }

    private static bool Bound(JsonObject range, string op, Func<long, bool> holds) =>
        StripeCall.Long(range, op, $"created[{op}]") is not { } bound || holds(bound);

    private static int IndexOf(List<JsonObject> all, string id, string param)
    {
        var index = all.FindIndex(o => (string?)o["id"] == id);
        return index >= 0 ? index : throw StripeApiException.Invalid(param, $"No such object: '{id}'", "resource_missing");
    }

    private static void Expand(JsonNode? node, ReadOnlySpan<string> path, FakeStripeStore store)
    {
        if (path.IsEmpty) return;
        if (node is JsonArray array)
        {
            foreach (var element in array) Expand(element, path, store);
            return;
        }
        if (node is not JsonObject obj) return;
        if (path.Length > 1)
        {
            Expand(obj[path[0]], path[1..], store);
            return;
        }
        if (obj[path[0]] is JsonValue v && v.TryGetValue<string>(out var id) && store.Find(id) is { } target)
            obj[path[0]] = target.DeepClone();
    }
}
