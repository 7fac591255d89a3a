using System.Text.Json.Nodes;
using Stripe;

namespace Tollgate.FakeStripe;

/// <summary>Builds Stripe <c>event</c> objects (snapshot events) in the shape of Stripe.net's pinned API version.</summary>
public static class StripeEventJson
{
    /// <summary>The API version events carry by default: Stripe.net's pinned one (never null: a null one crashes parsing).</summary>
    public static string ApiVersion => StripeConfiguration.ApiVersion;

    /// <summary>An event <c>{id evt_…, object event, api_version, created, livemode, pending_webhooks, request, type, data}</c>.</summary>
    public static JsonObject Build(string type, JsonObject dataObject, JsonObject? previousAttributes, long created, string? apiVersion = null)
    {
        var data = new JsonObject { ["object"] = dataObject };
        if (previousAttributes is not null) data["previous_attributes"] = previousAttributes;
        return new JsonObject
        {
            ["id"] = StripeIds.New("evt"),
            ["object"] = "event",
            ["api_version"] = apiVersion ?? ApiVersion,
            ["created"] = created,
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
            ["type"] = type,
            ["data"] = data,
        };
    }
}
