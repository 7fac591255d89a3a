using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe.Api;

/// <summary><c>/v1/events</c>: the event log, newest first, filterable by <c>type</c> / <c>types[]</c>.</summary>
internal static class EventEndpoints
{
    public static void Map(StripeRoutes r)
    {
        r.Get("/v1/events/{id}", c => c.Store.AllEvents().FirstOrDefault(e => (string?)e["id"] == c.Route("id"))?.DeepClone()
            ?? throw StripeApiException.Missing("event", c.Route("id")));
        r.Get("/v1/events", c =>
        {
            var types = c.Node("types") is JsonArray a ? a.Select(t => t!.ToString()).ToHashSet() : null;
            var type = c.Str("type");
            return StripeJson.List(c, c.Store.AllEvents().Where(e =>
                (type is null || Matches((string)e["type"]!, type)) && (types is null || types.Contains((string)e["type"]!))), "/v1/events");
        });
    }

    // Stripe's type filter accepts a trailing wildcard, e.g. customer.subscription.*.
    private static bool Matches(string type, string filter) =>
        filter.EndsWith('*') ? type.StartsWith(filter[..^1], StringComparison.Ordinal) : type == filter;
}
