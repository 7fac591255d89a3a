using System.Net;
using System.Text.Json.Nodes;

namespace Tollgate.FakeStripe.Api;

/// <summary><c>/v1/subscriptions</c>: create, retrieve, update (items, quantity, trial, cancel_at_period_end), cancel, list.</summary>
internal static class SubscriptionEndpoints
{
    private static readonly string[] Statuses = ["active", "all", "canceled", "ended", "incomplete", "incomplete_expired", "past_due", "paused", "trialing", "unpaid"];
    internal static readonly string[] ProrationBehaviors = ["always_invoice", "create_prorations", "none"];

    public static void Map(StripeRoutes r)
    {
        r.Post("/v1/subscriptions", Create);
        r.Get("/v1/subscriptions/{id}", c => StripeJson.Render(c.Store.Get("subscription", c.Route("id")), c));
        r.Post("/v1/subscriptions/{id}", Update);
        r.Delete("/v1/subscriptions/{id}", c => StripeJson.Render(Cancel(c.Store, c.Store.Get("subscription", c.Route("id"))), c));
        r.Get("/v1/subscriptions", List);
    }

    /// <summary>Cancels now: status canceled, canceled_at/ended_at set, emits customer.subscription.deleted.</summary>
    internal static JsonObject Cancel(FakeStripeStore store, JsonObject sub)
    {
        if ((string?)sub["status"] == "canceled") return sub;
        sub["status"] = "canceled";
        sub["canceled_at"] ??= store.Now;
        sub["ended_at"] = store.Now;
        sub["cancel_at_period_end"] = false;
        store.Emit("customer.subscription.deleted", sub);
        return sub;
    }

    private static JsonObject Create(StripeCall c)
    {
        var customer = c.Required("customer");
        var customerObject = c.Store.Get("customer", customer, "customer");
        if (c.Node("items") is not JsonArray { Count: > 0 } items) throw StripeApiException.MissingParam("items");
        CheckProration(c);
        var now = c.Now;
        var trialEnd = TrialEnd(c, now);
        var id = StripeIds.New("sub");
        var data = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            var spec = items[i] as JsonObject ?? throw StripeApiException.MissingParam($"items[{i}][price]");
            var price = c.Store.Get("price", spec["price"]?.ToString() ?? throw StripeApiException.MissingParam($"items[{i}][price]"), $"items[{i}][price]");
            data.Add(SubscriptionBook.NewItem(c.Store, id, price, StripeCall.Long(spec, "quantity", $"items[{i}][quantity]"), now, trialEnd));
        }
        var firstPrice = (JsonObject)data[0]!["price"]!;
        var sub = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["billing_cycle_anchor"] = trialEnd ?? now,
            ["cancel_at"] = null,
            ["cancel_at_period_end"] = false,
            ["canceled_at"] = null,
            ["collection_method"] = "charge_automatically",
            ["created"] = now,
            ["currency"] = (string?)firstPrice["currency"],
            ["customer"] = customer,
            ["default_payment_method"] = c.Str("default_payment_method") is { } method ? DefaultPaymentMethod(c, customer, method) : null,
            ["ended_at"] = null,
            ["items"] = StripeJson.EmbeddedList(data, $"/v1/subscription_items?subscription={id}"),
            ["latest_invoice"] = null,
            ["livemode"] = false,
            ["metadata"] = c.Metadata(),
            ["pause_collection"] = null,
            ["start_date"] = now,
            ["status"] = trialEnd is null ? "active" : "trialing",
            ["trial_end"] = trialEnd,
            ["trial_start"] = trialEnd is null ? null : now,
        };
        c.Store.Add(sub);
        // A customer's currency is set by its first subscription, as at Stripe (its balance is kept in it).
        customerObject["currency"] ??= (string?)firstPrice["currency"];
        c.Store.Emit("customer.subscription.created", sub);
        SubscriptionBook.Invoice(c.Store, sub, "subscription_create", paid: true, free: trialEnd is not null);
        if (c.Bool("cancel_at_period_end") == true) SetCancelAtPeriodEnd(c, sub, true);
        return StripeJson.Render(sub, c);
    }

    /// <summary>A subscription's default payment method must be attached to its customer, as at Stripe.</summary>
    private static string DefaultPaymentMethod(StripeCall c, string customer, string method) =>
        (string?)c.Store.Get("payment_method", method, "default_payment_method")["customer"] == customer
            ? method
            : throw StripeApiException.Invalid("default_payment_method", "The customer does not have a payment method with the ID " + method + ".", "resource_missing");

    private static long? TrialEnd(StripeCall c, long now)
    {
        if (c.Str("trial_end") is { } end)
            return end == "now" ? null : c.Long("trial_end");
        return c.Long("trial_period_days") is { } days ? now + (days * 86_400) : null;
    }

    private static void CheckProration(StripeCall c)
    {
        if (c.Str("proration_behavior") is { } p && !ProrationBehaviors.Contains(p))
            throw StripeApiException.Invalid("proration_behavior", $"Invalid proration_behavior: must be one of {string.Join(", ", ProrationBehaviors)}", "parameter_invalid_string");
    }

    private static JsonObject Update(StripeCall c)
    {
        var sub = c.Store.Get("subscription", c.Route("id"));
        if ((string?)sub["status"] == "canceled")
            throw new StripeApiException(HttpStatusCode.BadRequest, "invalid_request_error", null,
                "A canceled subscription can only update its cancellation_details and metadata.");
        CheckProration(c);
        var before = sub.DeepClone().AsObject();
        if (c.Node("items") is JsonArray items) ApplyItems(c, sub, items);
        if (c.Bool("cancel_at_period_end") is { } atPeriodEnd) SetCancelAtPeriodEnd(c, sub, atPeriodEnd);
        if (c.Str("trial_end") == "now" && (string?)sub["status"] == "trialing")
        {
            sub["trial_end"] = c.Now;
            sub["status"] = "active";
            SubscriptionBook.SetPeriods(sub, c.Now);
        }
        else if (c.Str("trial_end") is { } movedEnd && movedEnd != "now")
        {
            // Moving a running trial's end: the trial (and the period it is) now ends then.
            if ((string?)sub["status"] != "trialing")
                throw StripeApiException.Invalid("trial_end", "The subscription is not trialing.", "parameter_invalid_integer");
            if (c.Long("trial_end") is not { } end || end <= c.Now)
                throw StripeApiException.Invalid("trial_end", "Invalid timestamp: must be an integer Unix timestamp in the future.", "parameter_invalid_integer");
            sub["trial_end"] = end;
            foreach (var item in SubscriptionBook.ItemObjects(sub))
                item["current_period_end"] = end;
        }
        sub["metadata"] = c.Metadata(sub["metadata"] as JsonObject);
        if (FakeStripeStore.Diff(before, sub) is { } previous)
        {
            c.Store.Emit("customer.subscription.updated", sub, previous);
            if (c.Str("proration_behavior") == "always_invoice") SubscriptionBook.Invoice(c.Store, sub, "subscription_update", paid: true);
        }
        return StripeJson.Render(sub, c);
    }

    private static void SetCancelAtPeriodEnd(StripeCall c, JsonObject sub, bool atPeriodEnd)
    {
        sub["cancel_at_period_end"] = atPeriodEnd;
        sub["cancel_at"] = atPeriodEnd ? SubscriptionBook.CurrentPeriodEnd(sub) : null;
        sub["canceled_at"] = atPeriodEnd ? c.Now : null;
    }

    private static void ApplyItems(StripeCall c, JsonObject sub, JsonArray items)
    {
        var data = SubscriptionBook.Items(sub);
        for (var i = 0; i < items.Count; i++)
        {
            var spec = items[i] as JsonObject ?? [];
            var priceId = spec["price"]?.ToString();
            var quantity = StripeCall.Long(spec, "quantity", $"items[{i}][quantity]");
            if (spec["id"]?.ToString() is { } itemId)
            {
                var item = SubscriptionBook.ItemObjects(sub).FirstOrDefault(x => (string?)x["id"] == itemId)
                    ?? throw StripeApiException.Missing("subscription item", itemId, $"items[{i}][id]");
                if (spec["deleted"]?.ToString() == "true") { data.Remove(item); continue; }
                if (priceId is not null) item["price"] = c.Store.Get("price", priceId, $"items[{i}][price]").DeepClone();
                if (quantity is not null) item["quantity"] = quantity;
                continue;
            }
            var price = c.Store.Get("price", priceId ?? throw StripeApiException.MissingParam($"items[{i}][price]"), $"items[{i}][price]");
            var first = SubscriptionBook.ItemObjects(sub).FirstOrDefault();
            var start = first?["current_period_start"]?.GetValue<long>() ?? c.Now;
            data.Add(SubscriptionBook.NewItem(c.Store, (string)sub["id"]!, price, quantity, start, first?["current_period_end"]?.GetValue<long>()));
        }
    }

    private static JsonObject List(StripeCall c)
    {
        var status = c.Str("status");
        if (status is not null && !Statuses.Contains(status))
            throw StripeApiException.Invalid("status", $"Invalid status: must be one of {string.Join(", ", Statuses)}", "parameter_invalid_string");
        var subs = c.Store.All("subscription").Where(s => status switch
        {
            // Without a status filter Stripe leaves canceled (and expired incomplete) subscriptions out.
            null => (string?)s["status"] is not ("canceled" or "incomplete_expired"),
            "all" => true,
            "ended" => (string?)s["status"] is "canceled" or "incomplete_expired",
            _ => (string?)s["status"] == status,
        });
        if (c.Str("customer") is { } customer) subs = subs.Where(s => (string?)s["customer"] == customer);
        if (c.Str("price") is { } price) subs = subs.Where(s => SubscriptionBook.ItemObjects(s).Any(i => (string?)i["price"]!["id"] == price));
        return StripeJson.List(c, subs, "/v1/subscriptions");
    }
}
