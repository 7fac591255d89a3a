using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe.Api;

/// <summary><c>/v1/customers</c>.</summary>
internal static class CustomerEndpoints
{
    public static void Map(StripeRoutes r)
    {
        r.Post("/v1/customers", Create);
        r.Get("/v1/customers/{id}", c => StripeJson.Render(c.Store.Get("customer", c.Route("id")), c));
        r.Post("/v1/customers/{id}", c => CatalogEndpoints.Update(c, c.Store.Get("customer", c.Route("id")), "customer.updated", Apply));
        r.Delete("/v1/customers/{id}", Delete);
        r.Get("/v1/customers", c => StripeJson.List(c, c.Store.All("customer")
            .Where(x => c.Str("email") is not { } email || (string?)x["email"] == email), "/v1/customers"));
    }

    private static JsonObject Create(StripeCall c)
    {
        var customer = new JsonObject
        {
            ["id"] = StripeIds.New("cus"),
            ["object"] = "customer",
            ["balance"] = 0,
            ["created"] = c.Now,
            ["invoice_settings"] = new JsonObject { ["default_payment_method"] = null },
            ["currency"] = null,
            ["delinquent"] = false,
            ["description"] = null,
            ["email"] = null,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["name"] = null,
            ["phone"] = null,
        };
        Apply(c, customer);
        c.Store.Add(customer);
        c.Store.Emit("customer.created", customer);
        return StripeJson.Render(customer, c);
    }

    private static void Apply(StripeCall c, JsonObject customer)
    {
        foreach (var field in (string[])["email", "name", "description", "phone"])
            if (c.Str(field) is { } value) customer[field] = value;
        if (c.Long("balance") is { } balance) customer["balance"] = balance;
        if (c.Node("invoice_settings") is JsonObject settings && settings["default_payment_method"]?.ToString() is { } method)
        {
            if (method.Length > 0 && (string?)c.Store.Get("payment_method", method, "invoice_settings[default_payment_method]")["customer"] != (string?)customer["id"])
                throw StripeApiException.Invalid("invoice_settings[default_payment_method]", "The payment method is not attached to this customer.", "resource_missing");
            customer["invoice_settings"] = new JsonObject { ["default_payment_method"] = method.Length > 0 ? method : null };
        }
        customer["metadata"] = c.Metadata(customer["metadata"] as JsonObject);
    }

    private static JsonObject Delete(StripeCall c)
    {
        var customer = c.Store.Get("customer", c.Route("id"));
        var id = (string)customer["id"]!;
        c.Store.Remove(id);
        c.Store.Emit("customer.deleted", customer);
        return new JsonObject { ["id"] = id, ["object"] = "customer", ["deleted"] = true };
    }
}
