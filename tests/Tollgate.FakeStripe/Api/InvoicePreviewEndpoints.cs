using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe.Api;

/// <summary>
/// <c>POST /v1/invoices/create_preview</c>: the invoice a subscription change (or a new subscription) would produce.
/// Prorations are by the second, as Stripe's: for each changed licensed item, a credit for the unused time of the old
/// price and quantity and a charge for the remaining time of the new ones, both marked
/// <c>parent.subscription_item_details.proration</c>. Without <c>always_invoice</c> the preview is the next period's
/// invoice, so the next period's full charges follow the prorations; with it, only the prorations are billed now.
/// Nothing is stored.
/// </summary>
internal static class InvoicePreviewEndpoints
{
    public static void Map(StripeRoutes r) => r.Post("/v1/invoices/create_preview", Preview);

    private static JsonObject Preview(StripeCall c)
    {
        var details = c.Node("subscription_details") as JsonObject ?? [];
        var proration = details["proration_behavior"]?.ToString() ?? "create_prorations";
        if (!SubscriptionEndpoints.ProrationBehaviors.Contains(proration))
            throw StripeApiException.Invalid("subscription_details[proration_behavior]", "Invalid proration_behavior", "parameter_invalid_string");
        var now = StripeCall.Long(details, "proration_date", "subscription_details[proration_date]") ?? c.Now;
        var specs = details["items"] as JsonArray ?? [];
        var subscriptionId = c.Str("subscription");
        var sub = subscriptionId is null ? null : c.Store.Get("subscription", subscriptionId, "subscription");
        var customer = c.Str("customer") ?? sub?["customer"]?.ToString() ?? throw StripeApiException.MissingParam("customer");
        c.Store.Get("customer", customer, "customer");
        var items = sub is null ? [] : SubscriptionBook.ItemObjects(sub).Select(i => i.DeepClone().AsObject()).ToList();
        var lines = new JsonArray();
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i] as JsonObject ?? [];
            var quantity = StripeCall.Long(spec, "quantity", $"subscription_details[items][{i}][quantity]");
            var priceId = spec["price"]?.ToString();
            JsonObject? Price() => priceId is null ? null : c.Store.Get("price", priceId, $"subscription_details[items][{i}][price]");
            if (spec["id"]?.ToString() is { } itemId)
            {
                var item = items.FirstOrDefault(x => (string?)x["id"] == itemId) ?? throw StripeApiException.Missing("subscription item", itemId, $"subscription_details[items][{i}][id]");
                var (start, end) = Period(item);
                if (proration != "none")
                    lines.Add(Line((JsonObject)item["price"]!, Quantity(item), -Prorate(item, start, end, now), "Unused time", true, subscriptionId, now, end));
                if (spec["deleted"]?.ToString() == "true") { items.Remove(item); continue; }
                if (Price() is { } price) item["price"] = price.DeepClone();
                if (quantity is not null) item["quantity"] = quantity;
                if (proration != "none")
                    lines.Add(Line((JsonObject)item["price"]!, Quantity(item), Prorate(item, start, end, now), "Remaining time", true, subscriptionId, now, end));
                continue;
            }
            var added = new JsonObject { ["id"] = null, ["price"] = (Price() ?? throw StripeApiException.MissingParam($"subscription_details[items][{i}][price]")).DeepClone(), ["quantity"] = quantity ?? 1 };
            if (items.FirstOrDefault() is { } first && sub is not null)
            {
                var (start, end) = Period(first);
                added["current_period_start"] = start;
                added["current_period_end"] = end;
                if (proration != "none")
                    lines.Add(Line((JsonObject)added["price"]!, Quantity(added), Prorate(added, start, end, now), "Remaining time", true, subscriptionId, now, end));
            }
            items.Add(added);
        }
        var periodStart = sub is null ? now : items.Select(x => Period(x).End).DefaultIfEmpty(now).Max();
        if (proration != "always_invoice" || sub is null)
        {
            foreach (var item in items.Where(x => ((JsonObject)x["price"]!)["recurring"]?["usage_type"]?.ToString() != "metered"))
            {
                var price = (JsonObject)item["price"]!;
                lines.Add(Line(price, Quantity(item), Unit(price) * Quantity(item), null, false, subscriptionId, periodStart, SubscriptionBook.PeriodEnd(price, periodStart)));
            }
        }
        var total = lines.Sum(l => l!["amount"]!.GetValue<long>());
        return new JsonObject
        {
            ["id"] = $"upcoming_{StripeIds.New("in")}",
            ["object"] = "invoice",
            ["amount_due"] = Math.Max(0, total),
            ["amount_paid"] = 0,
            ["amount_remaining"] = Math.Max(0, total),
            ["billing_reason"] = sub is null ? "subscription_create" : "upcoming",
            ["created"] = c.Now,
            ["currency"] = items.Select(x => x["price"]!["currency"]?.ToString()).FirstOrDefault() ?? "usd",
            ["customer"] = customer,
            ["lines"] = StripeJson.EmbeddedList(lines, "/v1/invoices/upcoming/lines"),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["period_end"] = periodStart,
            ["period_start"] = sub is null ? now : items.Select(x => Period(x).Start).DefaultIfEmpty(now).Min(),
            ["status"] = "draft",
            ["subtotal"] = total,
            ["total"] = total,
            ["total_discount_amounts"] = new JsonArray(),
            ["total_taxes"] = new JsonArray(),
        };
    }

    private static (long Start, long End) Period(JsonObject item) =>
        (item["current_period_start"]?.GetValue<long>() ?? 0, item["current_period_end"]?.GetValue<long>() ?? 0);

    private static long Quantity(JsonObject item) => item["quantity"]?.GetValue<long>() ?? 0;

    private static long Unit(JsonObject price) => price["unit_amount"]?.GetValue<long>() ?? 0;

    /// <summary>The item's charge for the part of [start, end) left after <paramref name="now"/>, rounded to the cent.</summary>
    private static long Prorate(JsonObject item, long start, long end, long now)
    {
        var price = (JsonObject)item["price"]!;
        if (price["recurring"]?["usage_type"]?.ToString() == "metered" || end <= start) return 0;
        var left = Math.Clamp(end - now, 0, end - start);
        return (long)Math.Round((decimal)Unit(price) * Quantity(item) * left / (end - start), MidpointRounding.AwayFromZero);
    }

    private static JsonObject Line(JsonObject price, long quantity, long amount, string? what, bool proration, string? subscription, long start, long end) => new()
    {
        ["id"] = StripeIds.New("il"),
        ["object"] = "line_item",
        ["amount"] = amount,
        ["currency"] = (string?)price["currency"],
        ["description"] = what is null ? $"{quantity} × {price["product"]}" : $"{what} on {quantity} × {price["product"]}",
        ["livemode"] = false,
        ["metadata"] = new JsonObject(),
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_item_details",
            ["subscription_item_details"] = new JsonObject { ["subscription"] = subscription, ["subscription_item"] = null, ["proration"] = proration },
        },
        ["period"] = new JsonObject { ["start"] = start, ["end"] = end },
        ["pricing"] = new JsonObject
        {
            ["type"] = "price_details",
            ["price_details"] = new JsonObject { ["price"] = (string?)price["id"], ["product"] = (string?)price["product"] },
            ["unit_amount_decimal"] = (string?)price["unit_amount_decimal"],
        },
        ["quantity"] = quantity,
    };
}
