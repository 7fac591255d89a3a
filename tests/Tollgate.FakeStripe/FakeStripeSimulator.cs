using System.Text.Json.Nodes;
using Tollgate.FakeStripe.Api;

namespace Tollgate.FakeStripe;

/// <summary>
/// Changes Stripe makes on its own (renewals, trials, failed payments, checkout completion), applied directly to the
/// fake's state with the events Stripe would emit. Each method returns the updated object (a copy).
/// </summary>
public sealed class FakeStripeSimulator
{
    private readonly FakeStripeStore _store;

    internal FakeStripeSimulator(FakeStripeStore store) => _store = store;

    /// <summary>
    /// Renews: every item's period moves to [old end, old end + interval); a trial that has ended turns active; a
    /// subscription set to cancel at period end is canceled instead. Emits invoice events and
    /// <c>customer.subscription.updated</c> (or <c>deleted</c>).
    /// </summary>
    public JsonObject AdvancePeriod(string subscriptionId) => Change(subscriptionId, sub =>
    {
        if ((bool?)sub["cancel_at_period_end"] == true)
        {
            SubscriptionEndpoints.Cancel(_store, sub);
            return false;
        }
        var start = SubscriptionBook.CurrentPeriodEnd(sub);
        SubscriptionBook.SetPeriods(sub, start);
        if ((string?)sub["status"] == "trialing") sub["status"] = "active";
        SubscriptionBook.Invoice(_store, sub, "subscription_cycle", paid: true);
        return true;
    });

    /// <summary>Puts the subscription on a trial of <paramref name="days"/> days from now (status trialing).</summary>
    public JsonObject StartTrial(string subscriptionId, int days) => Change(subscriptionId, sub =>
    {
        var end = _store.Now + (days * 86_400L);
        sub["status"] = "trialing";
        sub["trial_start"] = _store.Now;
        sub["trial_end"] = end;
        SubscriptionBook.SetPeriods(sub, _store.Now, end);
        return true;
    });

    /// <summary>Ends the trial now: status active, a new paid period starts. Emits <c>trial_will_end</c> first, as Stripe does.</summary>
    public JsonObject EndTrial(string subscriptionId) => Change(subscriptionId, sub =>
    {
        _store.Emit("customer.subscription.trial_will_end", sub);
        sub["trial_end"] = _store.Now;
        sub["status"] = "active";
        SubscriptionBook.SetPeriods(sub, _store.Now);
        SubscriptionBook.Invoice(_store, sub, "subscription_cycle", paid: true);
        return true;
    });

    /// <summary>A renewal payment fails: an open invoice (<c>invoice.payment_failed</c>) and status past_due.</summary>
    public JsonObject FailPayment(string subscriptionId) => Change(subscriptionId, sub =>
    {
        SubscriptionBook.SetPeriods(sub, SubscriptionBook.CurrentPeriodEnd(sub));
        SubscriptionBook.Invoice(_store, sub, "subscription_cycle", paid: false);
        sub["status"] = "past_due";
        return true;
    });

    /// <summary>The open invoice gets paid: status active again, <c>invoice.paid</c>.</summary>
    public JsonObject RecoverPayment(string subscriptionId) => Change(subscriptionId, sub =>
    {
        if (sub["latest_invoice"]?.ToString() is { } invoiceId && _store.Find(invoiceId) is { } invoice && (string?)invoice["status"] == "open")
        {
            invoice["status"] = "paid";
            invoice["amount_paid"] = invoice["amount_due"]!.DeepClone();
            invoice["amount_remaining"] = 0;
            _store.Emit("invoice.paid", invoice);
        }
        sub["status"] = "active";
        return true;
    });

    /// <summary>Cancels now (e.g. dunning gave up or the customer canceled in the portal).</summary>
    public JsonObject Cancel(string subscriptionId) => Change(subscriptionId, sub =>
    {
        SubscriptionEndpoints.Cancel(_store, sub);
        return false;
    });

    /// <summary>
    /// The customer completes a subscription-mode checkout: a customer is created if the session had none, a
    /// subscription on the session's line items starts, the session becomes complete/paid; emits
    /// <c>customer.subscription.created</c>, invoice events and <c>checkout.session.completed</c>.
    /// </summary>
    public JsonObject CompleteCheckout(string sessionId)
    {
        lock (_store.Gate)
        {
            var session = _store.Get("checkout.session", sessionId);
            var customerId = session["customer"]?.ToString();
            if (customerId is null)
            {
                var customer = _store.Add(new JsonObject
                {
                    ["id"] = StripeIds.New("cus"), ["object"] = "customer", ["balance"] = 0, ["created"] = _store.Now, ["delinquent"] = false,
                    ["email"] = session["customer_email"]?.DeepClone(), ["livemode"] = false, ["metadata"] = new JsonObject(),
                });
                _store.Emit("customer.created", customer);
                customerId = (string)customer["id"]!;
                session["customer"] = customerId;
            }
            if ((string?)session["mode"] == "subscription")
            {
                var id = StripeIds.New("sub");
                var items = new JsonArray();
                foreach (var line in (JsonArray)session["_line_items"]!)
                    items.Add(SubscriptionBook.NewItem(_store, id, _store.Get("price", (string)line!["price"]!), line["quantity"]!.GetValue<long>(), _store.Now, null));
                var sub = _store.Add(new JsonObject
                {
                    ["id"] = id, ["object"] = "subscription", ["billing_cycle_anchor"] = _store.Now, ["cancel_at"] = null,
                    ["cancel_at_period_end"] = false, ["canceled_at"] = null, ["collection_method"] = "charge_automatically",
                    ["created"] = _store.Now, ["currency"] = (string?)items[0]!["price"]!["currency"], ["customer"] = customerId,
                    ["ended_at"] = null, ["items"] = StripeJson.EmbeddedList(items, $"/v1/subscription_items?subscription={id}"),
                    ["latest_invoice"] = null, ["livemode"] = false, ["metadata"] = session["metadata"]!.DeepClone(),
                    ["start_date"] = _store.Now, ["status"] = "active", ["trial_end"] = null, ["trial_start"] = null,
                });
                _store.Emit("customer.subscription.created", sub);
                SubscriptionBook.Invoice(_store, sub, "subscription_create", paid: true);
                session["subscription"] = id;
            }
            session["status"] = "complete";
            session["payment_status"] = "paid";
            var shown = SessionEndpoints.Public(session.DeepClone().AsObject());
            _store.Emit("checkout.session.completed", shown);
            return shown;
        }
    }

    /// <summary>
    /// The buyer confirms a setup intent in Stripe.js: a Visa card payment method is made, attached to the intent's
    /// customer and set on the intent, which succeeds; emits <c>setup_intent.succeeded</c>. Answers the payment method.
    /// </summary>
    public JsonObject ConfirmSetupIntent(string setupIntentId)
    {
        lock (_store.Gate)
        {
            var intent = _store.Get("setup_intent", setupIntentId);
            var method = PaymentEndpoints.NewCard(_store, intent["customer"]?.ToString());
            intent["payment_method"] = (string?)method["id"];
            intent["status"] = "succeeded";
            _store.Emit("payment_method.attached", method);
            _store.Emit("setup_intent.succeeded", intent);
            return method.DeepClone().AsObject();
        }
    }

    private JsonObject Change(string subscriptionId, Func<JsonObject, bool> change)
    {
        lock (_store.Gate)
        {
            var sub = _store.Get("subscription", subscriptionId);
            var before = sub.DeepClone().AsObject();
            if (change(sub) && FakeStripeStore.Diff(before, sub) is { } previous)
                _store.Emit("customer.subscription.updated", sub, previous);
            return sub.DeepClone().AsObject();
        }
    }
}
