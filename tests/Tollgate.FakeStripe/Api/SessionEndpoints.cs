using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe.Api;

/// <summary><c>/v1/checkout/sessions</c> and <c>/v1/billing_portal/sessions</c>: create returns an object with a <c>url</c>.</summary>
internal static class SessionEndpoints
{
    private static readonly string[] Modes = ["payment", "setup", "subscription"];

    public static void Map(StripeRoutes r)
    {
        r.Post("/v1/checkout/sessions", CreateCheckout);
        r.Get("/v1/checkout/sessions/{id}", c => Public(StripeJson.Render(c.Store.Get("checkout.session", c.Route("id")), c)));
        r.Post("/v1/billing_portal/sessions", CreatePortal);
    }

    private static JsonObject CreateCheckout(StripeCall c)
    {
        var mode = c.Required("mode");
        if (!Modes.Contains(mode))
            throw StripeApiException.Invalid("mode", "Invalid mode: must be one of payment, setup, or subscription", "parameter_invalid_string");
        if (c.Str("customer") is { } customer) c.Store.Get("customer", customer, "customer");
        var lineItems = new JsonArray();
        if (c.Node("line_items") is JsonArray items)
            for (var i = 0; i < items.Count; i++)
            {
                var priceId = items[i]?["price"]?.ToString() ?? throw StripeApiException.MissingParam($"line_items[{i}][price]");
                c.Store.Get("price", priceId, $"line_items[{i}][price]");
                lineItems.Add(new JsonObject { ["price"] = priceId, ["quantity"] = StripeCall.Long(items[i]!.AsObject(), "quantity", $"line_items[{i}][quantity]") ?? 1 });
            }
        if (mode == "subscription" && lineItems.Count == 0) throw StripeApiException.MissingParam("line_items");
        var id = "cs_test_" + StripeIds.New("x")[2..];
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["cancel_url"] = c.Str("cancel_url"),
            ["client_reference_id"] = c.Str("client_reference_id"),
            ["created"] = c.Now,
            ["currency"] = null,
            ["customer"] = c.Str("customer"),
            ["customer_email"] = c.Str("customer_email"),
            ["expires_at"] = c.Now + 86_400,
            ["livemode"] = false,
            ["metadata"] = c.Metadata(),
            ["mode"] = mode,
            ["payment_status"] = "unpaid",
            ["status"] = "open",
            ["subscription"] = null,
            ["success_url"] = c.Str("success_url"),
            ["ui_mode"] = c.Str("ui_mode") ?? "hosted_page",
            ["url"] = $"{c.Server.BaseUrl}/c/pay/{id}",
        };
        // Kept for the simulator's CompleteCheckout; Stripe exposes line items only through a sub-resource.
        session["_line_items"] = lineItems;
        c.Store.Add(session);
        return Public(StripeJson.Render(session, c));
    }

    /// <summary>Strips the fake's private fields (prefixed <c>_</c>) before answering.</summary>
    internal static JsonObject Public(JsonObject session)
    {
        session.Remove("_line_items");
        return session;
    }

    private static JsonObject CreatePortal(StripeCall c)
    {
        var customer = c.Required("customer");
        c.Store.Get("customer", customer, "customer");
        var id = StripeIds.New("bps");
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "billing_portal.session",
            ["configuration"] = c.Str("configuration") ?? "bpc_default",
            ["created"] = c.Now,
            ["customer"] = customer,
            // flow_data is kept in the request log; echoing its string leaves would not type-check as Stripe's flow object.
            ["flow"] = null,
            ["livemode"] = false,
            ["locale"] = null,
            ["on_behalf_of"] = null,
            ["return_url"] = c.Str("return_url"),
            ["url"] = $"{c.Server.BaseUrl}/p/session/{id}",
        };
        c.Store.Add(session);
        return session.DeepClone().AsObject();
    }
}
