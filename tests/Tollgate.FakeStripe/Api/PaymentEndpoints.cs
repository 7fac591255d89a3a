using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe.Api;

/// <summary>
/// <c>/v1/setup_intents</c> and <c>/v1/payment_methods</c>: what a card form needs. Stripe.js confirms a setup intent
/// in the browser; here <see cref="FakeStripeSimulator.ConfirmSetupIntent"/> stands in for it (a card payment method
/// attached to the intent's customer).
/// </summary>
internal static class PaymentEndpoints
{
    public static void Map(StripeRoutes r)
    {
        r.Post("/v1/setup_intents", CreateSetupIntent);
        r.Get("/v1/setup_intents/{id}", c => StripeJson.Render(c.Store.Get("setup_intent", c.Route("id")), c));
        r.Get("/v1/payment_methods/{id}", c => StripeJson.Render(c.Store.Get("payment_method", c.Route("id")), c));
        r.Post("/v1/payment_methods/{id}/attach", Attach);
        r.Post("/v1/payment_methods/{id}/detach", Detach);
        r.Get("/v1/customers/{id}/payment_methods", c =>
        {
            var customer = (string)c.Store.Get("customer", c.Route("id"))["id"]!;
            return StripeJson.List(c, c.Store.All("payment_method").Where(p => (string?)p["customer"] == customer), $"/v1/customers/{customer}/payment_methods");
        });
    }

    /// <summary>A Visa card payment method (unattached unless <paramref name="customer"/> is given).</summary>
    internal static JsonObject NewCard(FakeStripeStore store, string? customer) => store.Add(new JsonObject
    {
        ["id"] = StripeIds.New("pm"),
        ["object"] = "payment_method",
        ["billing_details"] = new JsonObject { ["email"] = null, ["name"] = null },
        ["card"] = new JsonObject { ["brand"] = "visa", ["exp_month"] = 12, ["exp_year"] = 2034, ["last4"] = "4242", ["country"] = "US", ["funding"] = "credit" },
        ["created"] = store.Now,
        ["customer"] = customer,
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["type"] = "card",
    });

    private static JsonObject CreateSetupIntent(StripeCall c)
    {
        var customer = c.Str("customer");
        if (customer is not null) c.Store.Get("customer", customer, "customer");
        var id = StripeIds.New("seti");
        var intent = c.Store.Add(new JsonObject
        {
            ["id"] = id,
            ["object"] = "setup_intent",
            ["client_secret"] = $"{id}_secret_{StripeIds.New("s")[2..]}",
            ["created"] = c.Now,
            ["customer"] = customer,
            ["livemode"] = false,
            ["metadata"] = c.Metadata(),
            ["payment_method"] = null,
            ["payment_method_types"] = new JsonArray("card"),
            ["status"] = "requires_payment_method",
            ["usage"] = c.Str("usage") ?? "off_session",
        });
        c.Store.Emit("setup_intent.created", intent);
        return StripeJson.Render(intent, c);
    }

    private static JsonObject Attach(StripeCall c)
    {
        var customer = (string)c.Store.Get("customer", c.Required("customer"), "customer")["id"]!;
        // pm_card_visa is Stripe's test token: attaching it makes a new card payment method.
        var method = c.Route("id") == "pm_card_visa" ? NewCard(c.Store, null) : c.Store.Get("payment_method", c.Route("id"));
        if (method["customer"]?.ToString() is { } owner && owner != customer)
            throw StripeApiException.Invalid("customer", "The payment method is attached to another customer.", "payment_method_unexpected_state");
        method["customer"] = customer;
        c.Store.Emit("payment_method.attached", method);
        return StripeJson.Render(method, c);
    }

    private static JsonObject Detach(StripeCall c)
    {
        var method = c.Store.Get("payment_method", c.Route("id"));
        if (method["customer"] is null)
            throw StripeApiException.Invalid("payment_method", "The payment method is not attached to a customer.", "payment_method_unexpected_state");
        var customer = c.Store.Get("customer", (string)method["customer"]!);
        if (customer["invoice_settings"]?["default_payment_method"]?.ToString() == (string?)method["id"])
            customer["invoice_settings"]!["default_payment_method"] = null;
        method["customer"] = null;
        c.Store.Emit("payment_method.detached", method);
        return StripeJson.Render(method, c);
    }
}
