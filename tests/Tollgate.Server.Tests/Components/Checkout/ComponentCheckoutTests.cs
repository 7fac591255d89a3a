using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Stripe;
using Tollgate.FakeStripe;
using Tollgate.Server.Subscriptions;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Components.Checkout;

/// <summary>
/// The components' checkout routes (issue 13) against the fake Stripe, called with a temporary access token as the
/// components call them: the preview shows Stripe's prorations, the checkout changes the subscription in Stripe and
/// Tollgate follows it, downgrades follow the plan group, a new subscription is bought with a card saved through a
/// setup intent, and a token reaches only its own company.
/// </summary>
public abstract class ComponentCheckoutTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task AnUpgradeIsPreviewedWithStripesProrationThenCheckedOutAndTollgateFollowsTheSubscription()
    {
        var w = await CheckoutWorld.CreateAsync(server, new { prorationBehavior = "invoice_immediately" });
        var (company, subscriptionId, itemId) = await w.SubscribedToProAsync("acme", seats: 2);
        server.Time.Advance(TimeSpan.FromDays(10));
        var browser = await w.TokenAsync("acme");
        var body = new { newPlanId = w.Enterprise, newPriceId = w.EnterpriseMonthly, payInAdvance = new[] { new { priceId = w.EnterpriseMonthly, quantity = 3 } } };

        var preview = (await browser.PostAsync("/checkout/preview", body)).ShouldBe(HttpStatusCode.OK).Data;

        var asked = Assert.Single(w.Stripe.Stripe.RequestsTo("/v1/invoices/create_preview", "POST")).Params;
        Assert.Equal(subscriptionId, (string?)asked["subscription"]);
        var details = asked["subscription_details"]!;
        Assert.Equal(("always_invoice", itemId, w.EnterpriseMonthly, "3"), (
            (string?)details["proration_behavior"], (string?)details["items"]![0]!["id"], (string?)details["items"]![0]!["price"], (string?)details["items"]![0]!["quantity"]));

        // Stripe's proration, by the second over the item's period: credit 2 Pro seats, charge 3 Enterprise seats.
        var item = w.Stripe.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]![0]!;
        var (start, end) = ((long)item["current_period_start"]!, (long)item["current_period_end"]!);
        var left = end - long.Parse((string)details["proration_date"]!, System.Globalization.CultureInfo.InvariantCulture);
        long Prorated(long amount) => (long)Math.Round((decimal)amount * left / (end - start), MidpointRounding.AwayFromZero);
        var proration = Prorated(3 * 5000) - Prorated(2 * 1500);
        Assert.InRange(proration, 8000, 11000);
        Assert.Equal(proration, preview.GetProperty("proration").GetInt64());
        Assert.Equal(proration, preview.GetProperty("due_now").GetInt64());
        Assert.Equal(15000, preview.GetProperty("new_charges").GetInt64());
        Assert.False(preview.GetProperty("is_scheduled_downgrade").GetBoolean());
        var finance = preview.GetProperty("finance");
        Assert.Equal(15000, finance.GetProperty("total_per_billing_period").GetInt64());
        var lines = finance.GetProperty("upcoming_invoice_line_items").EnumerateArray().ToList();
        Assert.Equal(new[] { -Prorated(3000), Prorated(15000) }, lines.Select(l => l.GetProperty("amount").GetInt64()));
        Assert.All(lines, l => Assert.True(l.GetProperty("proration").GetBoolean()));
        Assert.Empty(w.Stripe.Stripe.RequestsTo($"/v1/subscriptions/{subscriptionId}", "POST"));

        // The portal's plan card: the price Acme's subscription bills Pro at (a seat's price), per month.
        var card = (await browser.GetAsync("/components/hydrate")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("company").GetProperty("plan");
        Assert.Equal((w.Pro, 1500L, "month"), (card.GetProperty("id").GetString(), card.GetProperty("plan_price").GetInt64(), card.GetProperty("plan_period").GetString()));
        var proProduct = (string)w.Stripe.Stripe.Store.Snapshot(w.ProMonthly)!["product"]!;
        Assert.Equal((proProduct, proProduct), (card.GetProperty("billing_product_id").GetString(), card.GetProperty("billing_product_external_id").GetString()));

        var checkout = (await browser.PostAsync("/checkout", body)).ShouldBe(HttpStatusCode.OK).Data;

        var change = Assert.Single(w.Stripe.Stripe.RequestsTo($"/v1/subscriptions/{subscriptionId}", "POST")).Params;
        Assert.Equal(("always_invoice", itemId, w.EnterpriseMonthly, "3"), (
            (string?)change["proration_behavior"], (string?)change["items"]![0]!["id"], (string?)change["items"]![0]!["price"], (string?)change["items"]![0]!["quantity"]));
        Assert.Equal((subscriptionId, subscriptionId, "active", "stripe", company), (
            checkout.GetProperty("id").GetString(), checkout.GetProperty("subscription_external_id").GetString(), checkout.GetProperty("status").GetString(),
            checkout.GetProperty("provider_type").GetString(), checkout.GetProperty("company_id").GetString()));
        Assert.Equal((15000L, "month", end), (checkout.GetProperty("total_price").GetInt64(), checkout.GetProperty("interval").GetString(), checkout.GetProperty("period_end").GetInt64()));

        // Tollgate wrote nothing itself: the company's plan is Stripe's subscription, read back through the sync.
        var after = (await w.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal((w.Enterprise, 5000L), (after.GetProperty("plan").GetProperty("id").GetString(), after.GetProperty("plan").GetProperty("plan_price").GetInt64()));
    }

    [Fact]
    public async Task DowngradesFollowThePlanGroupRefusedOrKeptUntilThePeriodEnds()
    {
        var w = await CheckoutWorld.CreateAsync(server, new { preventSelfServiceDowngrade = true });
        var (company, subscriptionId, itemId) = await w.SubscribedToProAsync("acme", seats: 1);
        (await w.Api.PostAsync("/billing/stripe/subscription-changes", new { companyId = company, planId = w.Enterprise })).ShouldBe(HttpStatusCode.OK);
        var browser = await w.TokenAsync("acme");
        var body = new { newPlanId = w.Pro, newPriceId = w.ProMonthly };

        (await browser.PostAsync("/checkout/preview", body)).ShouldFail(HttpStatusCode.Conflict, "new_plan_id");
        (await browser.PostAsync("/checkout", body)).ShouldFail(HttpStatusCode.Conflict, "new_plan_id");

        await w.SetGroupAsync(new { scheduledDowngradeBehavior = "end_of_billing_period", prorationBehavior = "invoice_immediately" });
        var preview = (await browser.PostAsync("/checkout/preview", body)).ShouldBe(HttpStatusCode.OK).Data;
        var periodEnd = DateTimeOffset.FromUnixTimeSeconds((long)w.Stripe.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]![0]!["current_period_end"]!);
        Assert.True(preview.GetProperty("is_scheduled_downgrade").GetBoolean());
        Assert.Equal(periodEnd, preview.GetProperty("scheduled_change_time").GetDateTimeOffset());
        Assert.Equal((0L, 0L), (preview.GetProperty("proration").GetInt64(), preview.GetProperty("due_now").GetInt64()));
        Assert.Equal("none", (string?)w.Stripe.Stripe.RequestsTo("/v1/invoices/create_preview", "POST").Single().Params["subscription_details"]!["proration_behavior"]);

        // The checkout holds the downgrade: Stripe is not called, the company keeps Enterprise until the period ends and
        // shows the scheduled downgrade (to the portal too).
        var changesBefore = w.Stripe.Stripe.RequestsTo($"/v1/subscriptions/{subscriptionId}", "POST").Count;
        var checkout = (await browser.PostAsync("/checkout", body)).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(changesBefore, w.Stripe.Stripe.RequestsTo($"/v1/subscriptions/{subscriptionId}", "POST").Count);
        Assert.Equal("end_of_billing_period", checkout.GetProperty("scheduled_downgrade_behavior").GetString());
        Assert.Equal(periodEnd, checkout.GetProperty("scheduled_change_time").GetDateTimeOffset());
        Assert.Equal((subscriptionId, 5000L), (checkout.GetProperty("subscription_external_id").GetString(), checkout.GetProperty("total_price").GetInt64()));
        var held = (await w.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(w.Enterprise, held.GetProperty("plan").GetProperty("id").GetString());
        var scheduled = held.GetProperty("scheduled_downgrade");
        Assert.Equal((w.Enterprise, w.Pro, periodEnd), (
            scheduled.GetProperty("from_plan_id").GetString(), scheduled.GetProperty("to_plan_id").GetString(), scheduled.GetProperty("effective_after").GetDateTimeOffset()));
        Assert.Equal(w.Pro, (await browser.GetAsync("/components/hydrate")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("scheduled_downgrade").GetProperty("to_plan_id").GetString());

        // The period ends: the scheduled-change loop makes the change in Stripe, without proration, and the plans follow.
        server.Time.Advance(periodEnd - server.Time.GetUtcNow() + TimeSpan.FromMinutes(2));
        var after = await Events.EventuallyAsync(
            async () => (await w.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data,
            c => c.GetProperty("plan").GetProperty("id").GetString() == w.Pro);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("scheduled_downgrade").ValueKind);
        var change = Assert.Single(w.Stripe.Stripe.RequestsTo($"/v1/subscriptions/{subscriptionId}", "POST").Skip(changesBefore)).Params;
        Assert.Equal(("none", itemId, w.ProMonthly), ((string?)change["proration_behavior"], (string?)change["items"]![0]!["id"], (string?)change["items"]![0]!["price"]));
    }

    [Fact]
    public async Task AHeldDowngradeStripeKeepsRefusingIsRetriedWithGrowingPausesThenGivenUpWithItsReasonOnTheCompany()
    {
        var w = await CheckoutWorld.CreateAsync(server, new { scheduledDowngradeBehavior = "end_of_billing_period" });
        var (company, subscriptionId, _) = await w.SubscribedToProAsync("acme", seats: 1);
        (await w.Api.PostAsync("/billing/stripe/subscription-changes", new { companyId = company, planId = w.Enterprise })).ShouldBe(HttpStatusCode.OK);
        var browser = await w.TokenAsync("acme");
        (await browser.PostAsync("/checkout", new { newPlanId = w.Pro, newPriceId = w.ProMonthly })).ShouldBe(HttpStatusCode.OK);
        var scheduleId = (await w.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("scheduled_downgrade").GetProperty("id").GetString();
        var periodEnd = DateTimeOffset.FromUnixTimeSeconds((long)w.Stripe.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]![0]!["current_period_end"]!);

        // Stripe refuses every change of the subscription (a 400, which Stripe.net does not retry): each pass that tries
        // takes one fault off the queue, so the faults taken count the attempts.
        const int Queued = 50;
        server.Fake.Faults.Enqueue(new Fault(400, ShouldRetry: false), $"/v1/subscriptions/{subscriptionId}", times: Queued, method: "POST");
        int Attempts() => Queued - server.Fake.Faults.Pending;
        var runner = server.Services.GetRequiredService<ScheduledChangeRunner>();
        async Task AfterAsync(TimeSpan wait)
        {
            server.Time.Advance(wait);
            // One pass of our own at this instant (the background loop may hold the lock for its own: then wait for it).
            while (await runner.RunOnceAsync(CancellationToken.None) is null)
            {
                await Task.Delay(50);
            }
        }

        try
        {
            await AfterAsync(periodEnd - server.Time.GetUtcNow() + TimeSpan.FromMinutes(1));
            Assert.Equal(1, Attempts());
            var retry = (await w.Api.GetAsync($"/audit-log?resource_id={scheduleId}")).ShouldBe(HttpStatusCode.OK).Data[0];
            Assert.Equal(("retry", 1), (retry.GetProperty("action").GetString(), retry.GetProperty("after").GetProperty("failures").GetInt32()));
            Assert.Contains("Stripe refused", retry.GetProperty("after").GetProperty("last_failure").GetString(), StringComparison.Ordinal);

            // Five minutes' pause after the first failure, then ten, twenty… each pause is checked half a minute before
            // its end (not tried) and half a minute after (tried). The clock moves a millisecond at each reading, so the
            // instants are not exact to the millisecond.
            var pauses = new[] { 5, 10, 20, 40, 80, 160 };
            for (var i = 0; i < pauses.Length; i++)
            {
                await AfterAsync(TimeSpan.FromMinutes(pauses[i]) - TimeSpan.FromSeconds(30));
                Assert.Equal(i + 1, Attempts());
                await AfterAsync(TimeSpan.FromMinutes(1));
                Assert.Equal(i + 2, Attempts());
            }

            // The eighth failure gives up: the company stays on Enterprise, its schedule says why (support reads it on
            // the company and in the audit log), the portal no longer promises the downgrade, and no pass tries again.
            var lastPauseEnds = server.Time.GetUtcNow() + TimeSpan.FromMinutes(320);
            await AfterAsync(TimeSpan.FromMinutes(320) + TimeSpan.FromSeconds(30));
            Assert.Equal(8, Attempts());
            var held = (await w.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data;
            Assert.Equal(w.Enterprise, held.GetProperty("plan").GetProperty("id").GetString());
            var failed = held.GetProperty("scheduled_downgrade");
            Assert.Equal(scheduleId, failed.GetProperty("id").GetString());
            Assert.InRange(failed.GetProperty("failed_at").GetDateTimeOffset(), lastPauseEnds, server.Time.GetUtcNow());
            Assert.Contains("Stripe refused the subscription change", failed.GetProperty("failure_reason").GetString(), StringComparison.Ordinal);
            var gaveUp = (await w.Api.GetAsync($"/audit-log?resource_id={scheduleId}")).ShouldBe(HttpStatusCode.OK).Data[0];
            Assert.Equal(("give_up", 8), (gaveUp.GetProperty("action").GetString(), gaveUp.GetProperty("before").GetProperty("failures").GetInt32()));
            // A fresh token: the first expired fifteen minutes after it was minted, hours ago on the test's clock.
            var portal = await w.TokenAsync("acme");
            Assert.Equal(JsonValueKind.Null, (await portal.GetAsync("/components/hydrate")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("scheduled_downgrade").ValueKind);
            await AfterAsync(TimeSpan.FromDays(1));
            Assert.Equal(8, Attempts());
        }
        finally
        {
            server.Fake.Faults.Clear();
        }
    }

    [Fact]
    public async Task ADowngradeOverTheNewPlansLimitIsRefusedWhenThePlanGroupSaysSoAndAnUpgradeReplacesAHeldDowngrade()
    {
        // Pro allows 100 API calls a month, Enterprise 1,000; Acme is on Enterprise and has used 150.
        var w = await CheckoutWorld.CreateAsync(server, new { preventDowngradesWhenOverLimit = true, scheduledDowngradeBehavior = "end_of_billing_period" });
        var calls = await Given.EventFeatureAsync(w.Api, "api-calls", "api_call");
        await Given.EntitlementAsync(w.Api, new { planId = w.Pro, featureId = calls, valueType = "numeric", valueNumeric = 100, metricPeriod = "current_month" });
        await Given.EntitlementAsync(w.Api, new { planId = w.Enterprise, featureId = calls, valueType = "numeric", valueNumeric = 1000, metricPeriod = "current_month" });
        var (company, subscriptionId, _) = await w.SubscribedToProAsync("acme", seats: 1);
        (await w.Api.PostAsync("/billing/stripe/subscription-changes", new { companyId = company, planId = w.Enterprise })).ShouldBe(HttpStatusCode.OK);
        await Events.SendAsync(w.Api, Events.Track("api_call", "acme", quantity: 150));
        var browser = await w.TokenAsync("acme");
        var hydrate = await Events.EventuallyAsync(
            async () => (await browser.GetAsync("/components/hydrate")).ShouldBe(HttpStatusCode.OK).Data,
            h => h.GetProperty("feature_usage").GetProperty("features").EnumerateArray().Any(f => f.GetProperty("usage").ValueKind == JsonValueKind.Number && f.GetProperty("usage").GetInt64() == 150));
        var down = new { newPlanId = w.Pro, newPriceId = w.ProMonthly };

        // The portal shows Pro as over its limit (the components draw "Over plan limit" and the usage); Enterprise is fine.
        var plans = hydrate.GetProperty("active_plans").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        Assert.Equal((false, "feature_usage_exceeded"), (plans[w.Pro].GetProperty("valid").GetBoolean(), plans[w.Pro].GetProperty("invalid_reason").GetString()));
        var violation = Assert.Single(plans[w.Pro].GetProperty("usage_violations").EnumerateArray());
        Assert.Equal((calls, 150L), (violation.GetProperty("feature").GetProperty("id").GetString(), violation.GetProperty("usage").GetInt64()));
        Assert.True(plans[w.Enterprise].GetProperty("valid").GetBoolean());

        var refused = (await browser.PostAsync("/checkout/preview", down)).ShouldFail(HttpStatusCode.BadRequest, "new_plan_id");
        Assert.Contains("uses 150", refused.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        (await browser.PostAsync("/checkout", down)).ShouldFail(HttpStatusCode.BadRequest, "new_plan_id");

        // Without the rule the downgrade is held; checking out Enterprise again (no downgrade) clears the held one.
        await w.SetGroupAsync(new { scheduledDowngradeBehavior = "end_of_billing_period" });
        (await browser.PostAsync("/checkout", down)).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(w.Pro, (await w.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("scheduled_downgrade").GetProperty("to_plan_id").GetString());
        (await browser.PostAsync("/checkout", new { newPlanId = w.Enterprise, newPriceId = w.EnterpriseMonthly })).ShouldBe(HttpStatusCode.OK);
        var kept = (await w.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal((w.Enterprise, JsonValueKind.Null), (kept.GetProperty("plan").GetProperty("id").GetString(), kept.GetProperty("scheduled_downgrade").ValueKind));
        Assert.Equal(subscriptionId, kept.GetProperty("billing_subscription").GetProperty("subscription_external_id").GetString());
    }

    [Fact]
    public async Task ANewSubscriptionIsBoughtWithACardSavedThroughASetupIntentThenItsBalanceShownAndItEndsAtThePeriodEnd()
    {
        var w = await CheckoutWorld.CreateAsync(server);
        var company = await Given.CompanyAsync(w.Api, "hooli");
        var browser = await w.TokenAsync("hooli");
        var body = new { newPlanId = w.Pro, newPriceId = w.ProMonthly };

        var preview = (await browser.PostAsync("/checkout/preview", body)).ShouldBe(HttpStatusCode.OK).Data;
        Assert.True(preview.GetProperty("payment_method_required").GetBoolean());
        Assert.Equal((1500L, 1500L), (preview.GetProperty("due_now").GetInt64(), preview.GetProperty("new_charges").GetInt64()));
        (await browser.PostAsync("/checkout", body)).ShouldFail(HttpStatusCode.BadRequest, "payment_method_id");
        Assert.Empty(w.Stripe.Stripe.RequestsTo("/v1/subscriptions", "POST"));
        Assert.Empty((await browser.GetAsync("/checkout/balance")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("balances").EnumerateArray());

        var intent = (await browser.PostAsync("/components/setup-intent", new { })).ShouldBe(HttpStatusCode.OK).Data;
        var secret = intent.GetProperty("setup_intent_client_secret").GetString()!;
        var setupIntentId = secret[..secret.IndexOf("_secret_", StringComparison.Ordinal)];
        Assert.StartsWith("seti_", setupIntentId, StringComparison.Ordinal);
        Assert.StartsWith("seti_", (await browser.GetAsync("/components/cmpn_portal/setup-intent")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("setup_intent_client_secret").GetString(), StringComparison.Ordinal);
        var card = (string)w.Stripe.Stripe.Simulate.ConfirmSetupIntent(setupIntentId)["id"]!;
        var method = (await browser.PostAsync("/checkout/paymentmethod/update", new { paymentMethodId = card })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal((card, "visa", "4242", company), (
            method.GetProperty("external_id").GetString(), method.GetProperty("card_brand").GetString(), method.GetProperty("card_last4").GetString(), method.GetProperty("company_id").GetString()));
        var customerId = method.GetProperty("customer_external_id").GetString()!;
        Assert.Equal(card, (string?)w.Stripe.Stripe.Store.Snapshot(customerId)!["invoice_settings"]!["default_payment_method"]);
        Assert.False((await browser.PostAsync("/checkout/preview", body)).ShouldBe(HttpStatusCode.OK).Data.GetProperty("payment_method_required").GetBoolean());

        var checkout = (await browser.PostAsync("/checkout", body)).ShouldBe(HttpStatusCode.OK).Data;
        var created = Assert.Single(w.Stripe.Stripe.RequestsTo("/v1/subscriptions", "POST")).Params;
        Assert.Equal((customerId, card, w.ProMonthly, "1"), (
            (string?)created["customer"], (string?)created["default_payment_method"], (string?)created["items"]![0]!["price"], (string?)created["items"]![0]!["quantity"]));
        var subscriptionId = checkout.GetProperty("subscription_external_id").GetString()!;
        Assert.Equal(w.Pro, (await w.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("plan").GetProperty("id").GetString());

        await w.Stripe.Stripe.CreateClient().V1.Customers.UpdateAsync(customerId, new CustomerUpdateOptions { Balance = -700 });
        var balances = (await browser.GetAsync("/checkout/balance")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("balances");
        Assert.Equal((-700L, "usd"), (balances[0].GetProperty("balance").GetInt64(), balances[0].GetProperty("currency").GetString()));

        Assert.True((await browser.DeleteAsync("/checkout/unsubscribe")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("deleted").GetBoolean());
        Assert.True((bool)w.Stripe.Stripe.Store.Snapshot(subscriptionId)!["cancel_at_period_end"]!);
        Assert.True((await browser.DeleteAsync($"/checkout/paymentmethod/{card}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("deleted").GetBoolean());
        Assert.Null(w.Stripe.Stripe.Store.Snapshot(card)!["customer"]);
    }

    [Fact]
    public async Task BadInputNamesTheFieldAndATokenReachesOnlyItsOwnCompany()
    {
        var w = await CheckoutWorld.CreateAsync(server, new
        {
            optInEnabled = true, optInTitle = "Terms",
            customCheckoutFields = new[] { new { id = "cf_vat", name = "VAT number", required = true, stripeMetadataKey = "vat" } },
        });
        await Given.CompanyAsync(w.Api, "acme");
        await Given.CompanyAsync(w.Api, "hooli");
        var acme = await w.TokenAsync("acme");
        var hooli = await w.TokenAsync("hooli");
        var fields = new[] { new { id = "cf_vat", value = "GB123" } };
        object Body(object? changes = null)
        {
            var body = new Dictionary<string, object?>
            {
                ["new_plan_id"] = w.Pro, ["new_price_id"] = w.ProMonthly, ["opt_in_accepted"] = true, ["custom_field_values"] = fields,
            };
            foreach (var property in changes?.GetType().GetProperties() ?? [])
            {
                body[System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)] = property.GetValue(changes);
            }

            return body;
        }

        (await acme.PostAsync("/checkout/preview", Body())).ShouldBe(HttpStatusCode.OK);
        (await acme.PostAsync("/checkout/preview", Body(new { newPlanId = (string?)null }))).ShouldFail(HttpStatusCode.BadRequest, "new_plan_id");
        (await acme.PostAsync("/checkout/preview", Body(new { newPlanId = "plan_missing" }))).ShouldFail(HttpStatusCode.BadRequest, "new_plan_id");
        (await acme.PostAsync("/checkout/preview", Body(new { newPriceId = w.EnterpriseMonthly }))).ShouldFail(HttpStatusCode.BadRequest, "new_price_id");
        (await acme.PostAsync("/checkout/preview", Body(new { newPriceId = "price_missing" }))).ShouldFail(HttpStatusCode.BadRequest, "price_id");
        (await acme.PostAsync("/checkout/preview", Body(new { optInAccepted = false }))).ShouldFail(HttpStatusCode.BadRequest, "opt_in_accepted");
        (await acme.PostAsync("/checkout/preview", Body(new { customFieldValues = Array.Empty<object>() }))).ShouldFail(HttpStatusCode.BadRequest, "custom_field_values");
        (await acme.PostAsync("/checkout/preview", Body(new { customFieldValues = new[] { new { id = "cf_other", value = "x" } } }))).ShouldFail(HttpStatusCode.BadRequest, "custom_field_values[0].id");
        (await acme.PostAsync("/checkout/preview", Body(new { payInAdvance = new[] { new { priceId = w.ProMonthly, quantity = 0 } } }))).ShouldFail(HttpStatusCode.BadRequest, "pay_in_advance[0].quantity");
        (await acme.PostAsync("/checkout/preview", Body(new { payInAdvance = new[] { new { priceId = w.EnterpriseMonthly, quantity = 2 } } }))).ShouldFail(HttpStatusCode.BadRequest, "pay_in_advance[0].price_id");
        (await acme.PostAsync("/checkout/preview", Body(new { addOnIds = new[] { new { addOnId = w.Enterprise, priceId = w.EnterpriseMonthly } } }))).ShouldFail(HttpStatusCode.BadRequest, "add_on_ids[0].add_on_id");
        (await acme.PostAsync("/checkout/preview", Body(new { promoCode = "SAVE10" }))).ShouldFail(HttpStatusCode.BadRequest, "promo_code");
        (await acme.PostAsync("/checkout/preview", Body(new { creditBundles = new[] { new { bundleId = "bndl_x", quantity = 1 } } }))).ShouldFail(HttpStatusCode.BadRequest, "credit_bundles");
        (await acme.SendRawAsync(HttpMethod.Post, "/checkout", """{"new_plan_id": 5}""")).ShouldFail(HttpStatusCode.BadRequest, "new_plan_id");
        (await acme.PostAsync("/checkout/paymentmethod/update", new { })).ShouldFail(HttpStatusCode.BadRequest, "payment_method_id");
        (await acme.PostAsync("/checkout/custom-field-values", new { values = new[] { new { id = "cf_nope", value = "x" } } })).ShouldFail(HttpStatusCode.BadRequest, "values[0].id");
        (await acme.DeleteAsync("/checkout/unsubscribe")).ShouldFail(HttpStatusCode.Conflict, "subscription");

        // Custom field values land on the token's company's Stripe customer, under the field's metadata key.
        (await acme.PostAsync("/checkout/custom-field-values", new { values = fields })).ShouldBe(HttpStatusCode.OK);
        var acmeCustomer = w.Stripe.Stripe.RequestsTo("/v1/customers", "POST").Select(r => r.Params).Single(p => (string?)p["metadata"]!["id"] == "acme");
        var customers = await w.Stripe.Stripe.CreateClient().V1.Customers.ListAsync(new CustomerListOptions { Limit = 100 });
        Assert.Equal("GB123", customers.Data.Single(c => c.Metadata.GetValueOrDefault("id") == "acme").Metadata["vat"]);
        Assert.NotNull(acmeCustomer);

        // Hooli's token cannot use or remove a card saved for Acme; the routes take no company, so there is nothing to point at Acme.
        var secret = (await acme.PostAsync("/components/setup-intent", new { })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("setup_intent_client_secret").GetString()!;
        var acmeCard = (string)w.Stripe.Stripe.Simulate.ConfirmSetupIntent(secret[..secret.IndexOf("_secret_", StringComparison.Ordinal)])["id"]!;
        (await hooli.PostAsync("/checkout/paymentmethod/update", new { paymentMethodId = acmeCard })).ShouldFail(HttpStatusCode.BadRequest, "payment_method_id");
        (await hooli.DeleteAsync($"/checkout/paymentmethod/{acmeCard}")).ShouldFail(HttpStatusCode.NotFound, "payment method");
        Assert.NotNull(w.Stripe.Stripe.Store.Snapshot(acmeCard)!["customer"]);
        (await hooli.PostAsync("/checkout", new { newPlanId = w.Pro, newPriceId = w.ProMonthly, optInAccepted = true, customFieldValues = fields, paymentMethodId = acmeCard }))
            .ShouldFail(HttpStatusCode.BadRequest, "payment_method_id");
        Assert.Empty(w.Stripe.Stripe.RequestsTo("/v1/subscriptions", "POST"));

        // A secret key does not say which company it speaks for: the checkout routes take tokens only.
        (await w.Api.PostAsync("/checkout/preview", Body())).ShouldFail(HttpStatusCode.Forbidden, "temporary access token");
        (await w.Api.GetAsync("/checkout/balance")).ShouldFail(HttpStatusCode.Forbidden, "temporary access token");
    }
}

/// <summary>On SQLite.</summary>
public sealed class ComponentCheckoutTestsOnSqlite(StripeSqliteServer server) : ComponentCheckoutTests(server), IClassFixture<StripeSqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class ComponentCheckoutTestsOnPostgres(StripePostgresServer server) : ComponentCheckoutTests(server), IClassFixture<StripePostgresServer>;
