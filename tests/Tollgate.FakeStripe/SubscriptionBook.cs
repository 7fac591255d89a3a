using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe;

/// <summary>Subscription mechanics shared by the API handlers and the simulator (periods, items, invoices).</summary>
internal static class SubscriptionBook
{
    public static long PeriodEnd(JsonObject price, long start)
    {
        var recurring = price["recurring"] as JsonObject;
        var count = (int)(recurring?["interval_count"]?.GetValue<long>() ?? 1);
        var from = DateTimeOffset.FromUnixTimeSeconds(start);
        var end = (string?)recurring?["interval"] switch
        {
            "day" => from.AddDays(count),
            "week" => from.AddDays(7 * count),
            "year" => from.AddYears(count),
            _ => from.AddMonths(count),
        };
        return end.ToUnixTimeSeconds();
    }

    public static JsonObject NewItem(FakeStripeStore store, string subscriptionId, JsonObject price, long? quantity, long start, long? end)
    {
        var item = new JsonObject
        {
            ["id"] = StripeIds.New("si"),
            ["object"] = "subscription_item",
            ["created"] = store.Now,
            ["current_period_end"] = end ?? PeriodEnd(price, start),
            ["current_period_start"] = start,
            ["discounts"] = new JsonArray(),
            ["metadata"] = new JsonObject(),
            ["price"] = price.DeepClone(),
            ["subscription"] = subscriptionId,
            ["tax_rates"] = new JsonArray(),
        };
        // Metered items carry no quantity; usage comes from the meter.
        if ((string?)price["recurring"]?["usage_type"] != "metered") item["quantity"] = quantity ?? 1;
        return item;
    }

    public static JsonArray Items(JsonObject subscription) => (JsonArray)subscription["items"]!["data"]!;

    public static IEnumerable<JsonObject> ItemObjects(JsonObject subscription) => Items(subscription).Select(i => i!.AsObject());

    public static (JsonObject Subscription, JsonObject Item) FindItem(FakeStripeStore store, string itemId, string param = "id")
    {
        foreach (var sub in store.All("subscription"))
            if (ItemObjects(sub).FirstOrDefault(i => (string?)i["id"] == itemId) is { } item) return (sub, item);
        throw StripeApiException.Missing("subscription item", itemId, param);
    }

    /// <summary>Starts every item's period at <paramref name="start"/> (ending at <paramref name="end"/> or by the price's interval).</summary>
    public static void SetPeriods(JsonObject subscription, long start, long? end = null)
    {
        foreach (var item in ItemObjects(subscription))
        {
            item["current_period_start"] = start;
            item["current_period_end"] = end ?? PeriodEnd((JsonObject)item["price"]!, start);
        }
    }

    public static long CurrentPeriodEnd(JsonObject subscription) =>
        ItemObjects(subscription).Select(i => i["current_period_end"]!.GetValue<long>()).DefaultIfEmpty(0).Max();

    /// <summary>Creates an invoice for the subscription's items, links it as <c>latest_invoice</c> and emits invoice events.</summary>
    public static JsonObject Invoice(FakeStripeStore store, JsonObject subscription, string billingReason, bool paid, bool free = false)
    {
        var id = StripeIds.New("in");
        var lines = new JsonArray();
        long total = 0;
        foreach (var item in ItemObjects(subscription))
        {
            var price = (JsonObject)item["price"]!;
            var quantity = item["quantity"]?.GetValue<long>() ?? 0;
            var amount = free ? 0 : (price["unit_amount"]?.GetValue<long>() ?? 0) * quantity;
            total += amount;
            lines.Add(new JsonObject
            {
                ["id"] = StripeIds.New("il"),
                ["object"] = "line_item",
                ["amount"] = amount,
                ["currency"] = (string?)price["currency"],
                ["description"] = null,
                ["invoice"] = id,
                ["livemode"] = false,
                ["metadata"] = new JsonObject(),
                ["parent"] = new JsonObject
                {
                    ["type"] = "subscription_item_details",
                    ["subscription_item_details"] = new JsonObject
                    {
                        ["subscription"] = (string?)subscription["id"], ["subscription_item"] = (string?)item["id"], ["proration"] = false,
                    },
                },
                ["period"] = new JsonObject { ["start"] = item["current_period_start"]!.DeepClone(), ["end"] = item["current_period_end"]!.DeepClone() },
                ["pricing"] = new JsonObject
                {
                    ["type"] = "price_details",
                    ["price_details"] = new JsonObject { ["price"] = (string?)price["id"], ["product"] = (string?)price["product"] },
                    ["unit_amount_decimal"] = (string?)price["unit_amount_decimal"],
                },
                ["quantity"] = quantity,
            });
        }
        var invoice = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["amount_due"] = total,
            ["amount_paid"] = paid ? total : 0,
            ["amount_remaining"] = paid ? 0 : total,
            ["attempt_count"] = paid && total == 0 ? 0 : 1,
            ["attempted"] = true,
            ["billing_reason"] = billingReason,
            ["collection_method"] = "charge_automatically",
            ["created"] = store.Now,
            ["currency"] = (string?)subscription["currency"],
            ["customer"] = (string?)subscription["customer"],
            ["lines"] = StripeJson.EmbeddedList(lines, $"/v1/invoices/{id}/lines"),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["subscription_details"] = new JsonObject { ["subscription"] = (string?)subscription["id"], ["metadata"] = new JsonObject() },
            },
            ["period_end"] = store.Now,
            ["period_start"] = store.Now,
            ["status"] = paid ? "paid" : "open",
            ["subtotal"] = total,
            ["total"] = total,
        };
        store.Add(invoice);
        subscription["latest_invoice"] = id;
        store.Emit("invoice.created", invoice);
        store.Emit("invoice.finalized", invoice);
        store.Emit(paid ? "invoice.paid" : "invoice.payment_failed", invoice);
        if (paid) store.Emit("invoice.payment_succeeded", invoice);
        return invoice;
    }
}
