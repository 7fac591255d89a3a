using System.Text.Json;
using System.Text.Json.Nodes;
using Tollgate.Client.Internal;

namespace Tollgate.Client;

/// <summary><c>Identify</c> and <c>Track</c>: fire and forget, never throwing; the events go out in batches.</summary>
public sealed partial class TollgateClient
{
    /// <summary>Identifies a user (and the company they belong to), creating or updating them and their traits.</summary>
    public void Identify(Dictionary<string, string> keys, IdentifyCompany? company = null, string? name = null, Dictionary<string, object?>? traits = null, TrackOptions? options = null)
    {
        if (_events is null || keys is null)
        {
            return;
        }

        var body = new JsonObject { ["keys"] = Map(keys) };
        if (name is not null)
        {
            body["name"] = name;
        }

        if (traits is not null)
        {
            body["traits"] = Traits(traits);
        }

        if (company is not null)
        {
            var c = new JsonObject { ["keys"] = Map(company.Keys) };
            if (company.Name is not null)
            {
                c["name"] = company.Name;
            }

            if (company.Traits is not null)
            {
                c["traits"] = Traits(company.Traits);
            }

            body["company"] = c;
        }

        Enqueue("identify", body, options);
    }

    /// <summary>
    /// Tracks usage of <paramref name="eventName"/> (<paramref name="quantity"/> defaults to 1). With a live datastream,
    /// the company's replicated usage grows at once, so the next local check already counts it.
    /// </summary>
    public void Track(string eventName, Dictionary<string, string>? company = null, Dictionary<string, string>? user = null, Dictionary<string, object?>? traits = null, int? quantity = null, TrackOptions? options = null)
    {
        if (_events is null || string.IsNullOrEmpty(eventName))
        {
            return;
        }

        var body = new JsonObject { ["event"] = eventName, ["quantity"] = quantity ?? 1 };
        if (company is not null)
        {
            body["company"] = Map(company);
        }

        if (user is not null)
        {
            body["user"] = Map(user);
        }

        if (traits is not null)
        {
            body["traits"] = Traits(traits);
        }

        Enqueue("track", body, options);
        if (_replica is not null && company is { Count: > 0 })
        {
            _replica.AddUsage(company, eventName, quantity ?? 1);
        }
    }

    private void Enqueue(string type, JsonObject body, TrackOptions? options) =>
        _events!.Push(new PendingEvent(type, body, _options.TimeProvider.GetUtcNow(), options?.IdempotencyKey ?? Guid.NewGuid().ToString("N")));

    private static JsonObject Map(IReadOnlyDictionary<string, string> keys)
    {
        var o = new JsonObject();
        foreach (var (k, v) in keys)
        {
            o[k] = v;
        }

        return o;
    }

    private static JsonObject Traits(IReadOnlyDictionary<string, object?> traits)
    {
        var o = new JsonObject();
        foreach (var (k, v) in traits)
        {
            o[k] = v is null ? null : JsonSerializer.SerializeToNode(v, v.GetType());
        }

        return o;
    }
}
