using System.Net;
using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe.Api;

/// <summary><c>/v1/products</c> and <c>/v1/prices</c>.</summary>
internal static class CatalogEndpoints
{
    private static readonly string[] Intervals = ["day", "week", "month", "year"];

    public static void Map(StripeRoutes r)
    {
        r.Post("/v1/products", c => c.Store.Emit("product.created", c.Store.Add(NewProduct(c)))["data"]!["object"]!.DeepClone());
        r.Get("/v1/products/{id}", c => StripeJson.Render(c.Store.Get("product", c.Route("id")), c));
        r.Post("/v1/products/{id}", c => Update(c, c.Store.Get("product", c.Route("id")), "product.updated", ApplyProduct));
        r.Delete("/v1/products/{id}", DeleteProduct);
        r.Get("/v1/products", c => StripeJson.List(c, c.Store.All("product").Where(p => Active(c, p)), "/v1/products"));

        r.Post("/v1/prices", c => c.Store.Emit("price.created", c.Store.Add(NewPrice(c)))["data"]!["object"]!.DeepClone());
        r.Get("/v1/prices/{id}", c => StripeJson.Render(c.Store.Get("price", c.Route("id")), c));
        r.Post("/v1/prices/{id}", c => Update(c, c.Store.Get("price", c.Route("id")), "price.updated", ApplyPrice));
        r.Get("/v1/prices", c => StripeJson.List(c, c.Store.All("price").Where(p => Active(c, p)
            && (c.Str("product") is not { } product || (string?)p["product"] == product)
            && (c.Str("type") is not { } type || (string?)p["type"] == type)), "/v1/prices"));
    }

    /// <summary>Applies an update, emits <paramref name="eventType"/> with previous_attributes, returns the object.</summary>
    internal static JsonObject Update(StripeCall c, JsonObject obj, string eventType, Action<StripeCall, JsonObject> apply)
    {
        var before = obj.DeepClone().AsObject();
        apply(c, obj);
        if (StripeJsonDiff(before, obj) is { } previous) c.Store.Emit(eventType, obj, previous);
        return StripeJson.Render(obj, c);
    }

    private static JsonObject? StripeJsonDiff(JsonObject before, JsonObject after) => FakeStripeStore.Diff(before, after);

    private static bool Active(StripeCall c, JsonObject o) => c.Bool("active") is not { } active || (bool)o["active"]! == active;

    private static JsonObject NewProduct(StripeCall c)
    {
        var product = new JsonObject
        {
            ["id"] = c.Str("id") ?? StripeIds.New("prod"),
            ["object"] = "product",
            ["active"] = true,
            ["created"] = c.Now,
            ["default_price"] = null,
            ["description"] = null,
            ["livemode"] = false,
            ["marketing_features"] = new JsonArray(),
            ["metadata"] = new JsonObject(),
            ["name"] = c.Required("name"),
            ["type"] = "service",
            ["updated"] = c.Now,
        };
        if (c.Store.Find((string)product["id"]!) is not null)
            throw new StripeApiException(HttpStatusCode.BadRequest, "invalid_request_error", "resource_already_exists", "Product already exists.", "id");
        ApplyProduct(c, product);
        return product;
    }

    private static void ApplyProduct(StripeCall c, JsonObject product)
    {
        if (c.Str("name") is { } name) product["name"] = name;
        if (c.Str("description") is { } description) product["description"] = description;
        if (c.Bool("active") is { } active) product["active"] = active;
        product["metadata"] = c.Metadata(product["metadata"] as JsonObject);
        product["updated"] = c.Now;
    }

    private static JsonObject DeleteProduct(StripeCall c)
    {
        var product = c.Store.Get("product", c.Route("id"));
        var id = (string)product["id"]!;
        if (c.Store.All("price").Any(p => (string?)p["product"] == id))
            throw new StripeApiException(HttpStatusCode.BadRequest, "invalid_request_error", null,
                "This product cannot be deleted because it has one or more user-created prices.");
        c.Store.Remove(id);
        c.Store.Emit("product.deleted", product);
        return new JsonObject { ["id"] = id, ["object"] = "product", ["deleted"] = true };
    }

    private static JsonObject NewPrice(StripeCall c)
    {
        var productId = c.Str("product");
        if (productId is null && c.Node("product_data") is JsonObject data)
        {
            var product = c.Store.Add(new JsonObject
            {
                ["id"] = StripeIds.New("prod"), ["object"] = "product", ["active"] = true, ["created"] = c.Now,
                ["livemode"] = false, ["marketing_features"] = new JsonArray(), ["metadata"] = new JsonObject(),
                ["name"] = data["name"]?.ToString() ?? throw StripeApiException.MissingParam("product_data[name]"),
                ["type"] = "service", ["updated"] = c.Now,
            });
            c.Store.Emit("product.created", product);
            productId = (string)product["id"]!;
        }
        if (productId is null) throw StripeApiException.MissingParam("product");
        c.Store.Get("product", productId, "product");
        var currency = c.Required("currency").ToLowerInvariant();
        var unitAmount = c.Long("unit_amount");
        var price = new JsonObject
        {
            ["id"] = StripeIds.New("price"),
            ["object"] = "price",
            ["active"] = c.Bool("active") ?? true,
            ["billing_scheme"] = "per_unit",
            ["created"] = c.Now,
            ["currency"] = currency,
            ["custom_unit_amount"] = null,
            ["livemode"] = false,
            ["lookup_key"] = c.Str("lookup_key"),
            ["metadata"] = c.Metadata(),
            ["nickname"] = c.Str("nickname"),
            ["product"] = productId,
            ["recurring"] = Recurring(c),
            ["tax_behavior"] = c.Str("tax_behavior") ?? "unspecified",
            ["tiers_mode"] = null,
            ["transform_quantity"] = null,
            ["type"] = c.Node("recurring") is JsonObject ? "recurring" : "one_time",
            ["unit_amount"] = unitAmount,
            ["unit_amount_decimal"] = unitAmount?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (unitAmount is null && c.Str("unit_amount_decimal") is null) throw StripeApiException.MissingParam("unit_amount");
        return price;
    }

    private static JsonObject? Recurring(StripeCall c)
    {
        if (c.Node("recurring") is not JsonObject recurring) return null;
        var interval = recurring["interval"]?.ToString() ?? throw StripeApiException.MissingParam("recurring[interval]");
        if (!Intervals.Contains(interval))
            throw StripeApiException.Invalid("recurring[interval]", $"Invalid recurring[interval]: must be one of day, week, month, or year", "parameter_invalid_string");
        var usageType = recurring["usage_type"]?.ToString() ?? "licensed";
        var meter = recurring["meter"]?.ToString();
        if (usageType == "metered")
        {
            if (meter is null) throw StripeApiException.MissingParam("recurring[meter]");
            c.Store.Get("billing.meter", meter, "recurring[meter]");
        }
        return new JsonObject
        {
            ["interval"] = interval,
            ["interval_count"] = StripeCall.Long(recurring, "interval_count", "recurring[interval_count]") ?? 1,
            ["meter"] = meter,
            ["trial_period_days"] = null,
            ["usage_type"] = usageType,
        };
    }

    private static void ApplyPrice(StripeCall c, JsonObject price)
    {
        if (c.Bool("active") is { } active) price["active"] = active;
        if (c.Str("nickname") is { } nickname) price["nickname"] = nickname;
        if (c.Str("lookup_key") is { } lookupKey) price["lookup_key"] = lookupKey;
        price["metadata"] = c.Metadata(price["metadata"] as JsonObject);
    }
}
