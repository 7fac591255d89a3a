using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Stripe;
using Tollgate.FakeStripe;
using Tollgate.Server.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// End to end: state changed in the fake Stripe reaches Tollgate only through signed webhook deliveries to
/// <c>POST /webhooks/stripe/{environment}</c> (the worker re-reads each object and syncs it), and the checks follow —
/// also when deliveries come twice and out of order.
/// </summary>
public abstract class StripeWebhookLifecycleTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task ASubscriptionsLifecycleThroughWebhooksChangesTheChecks()
    {
        var s = await BillingScenario.CreateAsync(server);
        s.World.Webhooks.Collect(s.World.Stripe);

        var subscription = await s.SubscribeAsync(s.Acme, 14, (s.ProMonthly, 3), (s.SupportMonthly, 1));
        await s.DeliverWebhooksAsync();
        await BillingScenario.EventuallyAsync(() => s.CheckAsync("sso", s.Acme.Id), "the trial's plan grants sso");
        var trialing = await s.CompanyOfAsync(s.Acme.Id);
        Assert.Equal((s.AcmeCompany, "trialing"), (Text(trialing, "id"), Text(trialing.GetProperty("billing_subscription"), "status")));
        Assert.True(await s.CheckAsync("priority-support", s.Acme.Id));

        s.World.Stripe.Simulate.EndTrial(subscription.Id);
        await s.DeliverWebhooksAsync();
        await BillingScenario.EventuallyAsync(async () => Text((await s.CompanyOfAsync(s.Acme.Id)).GetProperty("billing_subscription"), "status") == "active", "the trial ends");

        await s.Stripe.V1.Subscriptions.UpdateAsync(subscription.Id, new SubscriptionUpdateOptions
        {
            Items = [new() { Id = subscription.Items.Data.Single(i => i.Price.Id == s.SupportMonthly.Id).Id, Deleted = true }],
        });
        await s.DeliverWebhooksAsync();
        await BillingScenario.EventuallyAsync(async () => !await s.CheckAsync("priority-support", s.Acme.Id), "the add-on is removed");

        s.World.Stripe.Simulate.FailPayment(subscription.Id);
        await s.DeliverWebhooksAsync();
        await BillingScenario.EventuallyAsync(async () => Text((await s.CompanyOfAsync(s.Acme.Id)).GetProperty("billing_subscription"), "status") == "past_due", "the payment fails");
        Assert.True(await s.CheckAsync("sso", s.Acme.Id));

        s.World.Stripe.Simulate.Cancel(subscription.Id);
        await s.DeliverWebhooksAsync();
        await BillingScenario.EventuallyAsync(async () => !await s.CheckAsync("sso", s.Acme.Id), "the canceled subscription no longer grants sso");
        Assert.Equal(s.Free, Text(await s.CompanyOfAsync(s.Acme.Id), "base_plan_id"));
    }

    [Fact]
    public async Task DuplicatedAndShuffledWebhooksConvergeOnStripesFinalState()
    {
        var s = await BillingScenario.CreateAsync(server);
        s.World.Webhooks.Collect(s.World.Stripe);
        var globex = await s.CustomerAsync("Globex Inc", "it@globex.test");
        var subscription = await s.SubscribeAsync(globex, null, (s.StarterMonthly, 2));
        var item = subscription.Items.Data[0].Id;
        await s.Stripe.V1.Subscriptions.UpdateAsync(subscription.Id, new SubscriptionUpdateOptions { Items = [new() { Id = item, Price = s.ProMonthly.Id, Quantity = 5 }] });
        await s.Stripe.V1.Subscriptions.UpdateAsync(subscription.Id, new SubscriptionUpdateOptions { Items = [new() { Id = item, Quantity = 7 }] });

        await s.DeliverWebhooksAsync(new WebhookDeliveryPlan(Copies: 2, Order: WebhookOrder.Shuffled, Seed: 11));

        await BillingScenario.EventuallyAsync(
            async () => (await s.Api.GetAsync($"/companies/lookup?keys[stripe_customer_id]={globex.Id}")) is { Status: HttpStatusCode.OK } found
                && found.Data.GetProperty("traits").TryGetProperty("seats", out var seats) && seats.GetInt32() == 7,
            "Globex has 7 seats");
        var company = await s.CompanyOfAsync(globex.Id);
        Assert.Equal((s.Pro, "Globex Inc"), (Text(company, "base_plan_id"), Text(company, "name")));
        Assert.True(await s.CheckAsync("sso", globex.Id));
        Assert.Equal(2, (await s.Api.GetAsync("/companies/count")).Data.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task ACheckoutTollgateCreatedCompletedThroughAWebhookPutsItsCompanyOnThePlan()
    {
        var s = await BillingScenario.CreateAsync(server);
        var initech = await Given.CompanyAsync(s.Api, "initech");
        s.World.Webhooks.Collect(s.World.Stripe);
        var customer = await s.CustomerAsync("Initech", "boss@initech.test");
        var session = await s.Stripe.V1.Checkout.Sessions.CreateAsync(new global::Stripe.Checkout.SessionCreateOptions
        {
            Mode = "subscription", SuccessUrl = "https://app.test/ok", Customer = customer.Id, ClientReferenceId = initech,
            Metadata = new() { ["tollgate_company_id"] = initech }, LineItems = [new() { Price = s.ProMonthly.Id, Quantity = 4 }],
        });
        // As POST /billing/stripe/checkout-sessions records the sessions it makes: only those link a company.
        await server.Services.GetRequiredService<CreatedCheckoutSessions>().RecordAsync(s.Api.EnvironmentId!, new CreatedCheckoutSession(session.Id, initech, customer.Id), default);

        s.World.Stripe.Simulate.CompleteCheckout(session.Id);
        await s.DeliverWebhooksAsync();

        await BillingScenario.EventuallyAsync(
            async () => (await s.Api.PostAsync("/flags/sso/check", new { company = Given.Keys("initech") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("value").GetBoolean(),
            "initech gets sso from its checkout");
        var company = (await s.Api.GetAsync($"/companies/{initech}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Contains(company.GetProperty("keys").EnumerateArray(), k => Text(k, "key") == "stripe_customer_id");
        Assert.Equal(2, (await s.Api.GetAsync("/companies/count")).Data.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task AMeterMadeInStripeIsKnownOnceItsWebhookArrives()
    {
        var s = await BillingScenario.CreateAsync(server);
        var meter = await s.Stripe.V1.Billing.Meters.CreateAsync(new global::Stripe.Billing.MeterCreateOptions
        {
            DisplayName = "Exports", EventName = "export",
            DefaultAggregation = new() { Formula = "sum" },
            CustomerMapping = new() { EventPayloadKey = "stripe_customer_id", Type = "by_id" },
        });

        var delivery = await s.World.Webhooks.SendAsync(s.World.WebhookUri, WebhookSender.BuildEvent(
            "billing.meter.created", new System.Text.Json.Nodes.JsonObject { ["id"] = meter.Id, ["object"] = "billing.meter" }, created: server.Time.GetUtcNow()));

        Assert.Equal(200, delivery.Status);
        await BillingScenario.EventuallyAsync(
            async () => (await s.Api.GetAsync("/billing/meters")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
                .Any(m => Text(m, "id") == meter.Id && Text(m, "event_subtype") == "export"),
            "the meter is listed for the subtype export");
    }

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;
}

public sealed class StripeWebhookLifecycleTestsOnSqlite(StripeSqliteServer server) : StripeWebhookLifecycleTests(server), IClassFixture<StripeSqliteServer>;

public sealed class StripeWebhookLifecycleTestsOnPostgres(StripePostgresServer server) : StripeWebhookLifecycleTests(server), IClassFixture<StripePostgresServer>;
