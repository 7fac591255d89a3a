using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe.Api;

/// <summary><c>/v1/subscription_items</c>; each change emits <c>customer.subscription.updated</c>.</summary>
internal static class SubscriptionItemEndpoints
{
    public static void Map(StripeRoutes r)
    {
        r.Get("/v1/subscription_items", c =>
        {
            var sub = c.Store.Get("subscription", c.Required("subscription"), "subscription");
            return StripeJson.List(c, SubscriptionBook.ItemObjects(sub).Reverse(), "/v1/subscription_items");
        });
        r.Get("/v1/subscription_items/{id}", c => StripeJson.Render(SubscriptionBook.FindItem(c.Store, c.Route("id")).Item, c));
        r.Post("/v1/subscription_items", Create);
        r.Post("/v1/subscription_items/{id}", Update);
        r.Delete("/v1/subscription_items/{id}", Delete);
    }

    private static JsonObject Create(StripeCall c)
    {
        var sub = c.Store.Get("subscription", c.Required("subscription"), "subscription");
        var price = c.Store.Get("price", c.Required("price"), "price");
        var before = sub.DeepClone().AsObject();
        var first = SubscriptionBook.ItemObjects(sub).FirstOrDefault();
        var item = SubscriptionBook.NewItem(c.Store, (string)sub["id"]!, price, c.Long("quantity"),
            first?["current_period_start"]?.GetValue<long>() ?? c.Now, first?["current_period_end"]?.GetValue<long>());
        item["metadata"] = c.Metadata();
        SubscriptionBook.Items(sub).Add(item);
        c.Store.Emit("customer.subscription.updated", sub, FakeStripeStore.Diff(before, sub));
        return StripeJson.Render(item, c);
    }

    private static JsonObject Update(StripeCall c)
    {
        var (sub, item) = SubscriptionBook.FindItem(c.Store, c.Route("id"));
        var before = sub.DeepClone().AsObject();
        if (c.Str("price") is { } priceId) item["price"] = c.Store.Get("price", priceId, "price").DeepClone();
        if (c.Long("quantity") is { } quantity) item["quantity"] = quantity;
        item["metadata"] = c.Metadata(item["metadata"] as JsonObject);
        if (FakeStripeStore.Diff(before, sub) is { } previous) c.Store.Emit("customer.subscription.updated", sub, previous);
        return StripeJson.Render(item, c);
    }

    private static JsonObject Delete(StripeCall c)
    {
        var (sub, item) = SubscriptionBook.FindItem(c.Store, c.Route("id"));
        var before = sub.DeepClone().AsObject();
        SubscriptionBook.Items(sub).Remove(item);
        c.Store.Emit("customer.subscription.updated", sub, FakeStripeStore.Diff(before, sub));
        return new JsonObject { ["id"] = (string?)item["id"], ["object"] = "subscription_item", ["deleted"] = true };
    }
}
