using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Stripe;
using Tollgate.Server.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// <see cref="IStripeObjectSync"/>, one object at a time as the webhook worker calls it: whatever the fake Stripe's
/// simulator changes (seats, upgrade, trial end, failed payment, cancellation, deletion, checkout) is re-read and
/// reflected in the company and in its checks.
/// </summary>
public abstract class StripeObjectSyncTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task ASubscriptionSyncedBeforeItsCustomerAndPricesWereImportedBringsThemAlong()
    {
        var s = await BillingScenario.CreateAsync(server);
        var subscription = await s.SubscribeAsync(s.Acme, null, (s.ProMonthly, 4));

        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);

        var acme = await s.CompanyOfAsync(s.Acme.Id);
        Assert.Equal((s.AcmeCompany, s.Pro), (Text(acme, "id"), Text(acme, "base_plan_id")));
        Assert.Equal(4, acme.GetProperty("traits").GetProperty("seats").GetInt32());
        Assert.True(await s.CheckAsync("sso", s.Acme.Id));
        var price = (await s.Api.GetAsync($"/billing/prices?product_id={s.ProProduct.Id}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(s.ProMonthly.Id, Text(price[0], "id"));
    }

    [Fact]
    public async Task SeatChangesUpgradesAndCancelAtPeriodEndAreFollowed()
    {
        var s = await BillingScenario.CreateAsync(server);
        var subscription = await s.SubscribeAsync(s.Acme, null, (s.StarterMonthly, 2));
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        Assert.False(await s.CheckAsync("sso", s.Acme.Id));

        var item = subscription.Items.Data[0].Id;
        await s.Stripe.V1.Subscriptions.UpdateAsync(subscription.Id, new SubscriptionUpdateOptions { Items = [new() { Id = item, Price = s.ProMonthly.Id, Quantity = 9 }] });
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);

        var upgraded = await s.CompanyOfAsync(s.Acme.Id);
        Assert.Equal(s.Pro, Text(upgraded, "base_plan_id"));
        Assert.Equal(9, upgraded.GetProperty("traits").GetProperty("seats").GetInt32());
        Assert.True(await s.CheckAsync("sso", s.Acme.Id));

        await s.Stripe.V1.Subscriptions.UpdateAsync(subscription.Id, new SubscriptionUpdateOptions { CancelAtPeriodEnd = true });
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        var canceling = (await s.CompanyOfAsync(s.Acme.Id)).GetProperty("billing_subscription");
        Assert.True(canceling.GetProperty("cancel_at_period_end").GetBoolean());
        Assert.Equal(JsonValueKind.Number, canceling.GetProperty("cancel_at").ValueKind);
        Assert.True(await s.CheckAsync("sso", s.Acme.Id));

        s.World.Stripe.Simulate.AdvancePeriod(subscription.Id);
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        var ended = await s.CompanyOfAsync(s.Acme.Id);
        Assert.Equal(s.Free, Text(ended, "base_plan_id"));
        Assert.Equal("canceled", Text(ended.GetProperty("billing_subscription"), "status"));
        Assert.False(await s.CheckAsync("sso", s.Acme.Id));
    }

    [Fact]
    public async Task ARenewalMovesThePeriodAndATrialEndingKeepsThePlan()
    {
        var s = await BillingScenario.CreateAsync(server);
        var subscription = await s.SubscribeAsync(s.Acme, 14, (s.ProMonthly, 1));
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        var trialing = await s.CompanyOfAsync(s.Acme.Id);
        Assert.Equal("trialing", Text(trialing.GetProperty("billing_subscription"), "status"));
        Assert.True(await s.CheckAsync("sso", s.Acme.Id));

        var renewed = s.World.Stripe.Simulate.EndTrial(subscription.Id);
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);

        var active = await s.CompanyOfAsync(s.Acme.Id);
        Assert.Equal("active", Text(active.GetProperty("billing_subscription"), "status"));
        var periodStart = DateTimeOffset.FromUnixTimeSeconds((long)renewed["items"]!["data"]![0]!["current_period_start"]!);
        Assert.Equal(periodStart, active.GetProperty("subscription").GetProperty("period_start").GetDateTimeOffset());
        Assert.NotEqual(trialing.GetProperty("subscription").GetProperty("period_end").GetDateTimeOffset(), active.GetProperty("subscription").GetProperty("period_end").GetDateTimeOffset());
        Assert.True(await s.CheckAsync("sso", s.Acme.Id));
    }

    [Theory]
    [InlineData("keep")]
    [InlineData("fallback")]
    public async Task AFailedPaymentFollowsThePastDuePolicyAndARecoveryRestoresThePlan(string policy)
    {
        var s = await BillingScenario.CreateAsync(server, pastDuePolicy: policy);
        var subscription = await s.SubscribeAsync(s.Acme, null, (s.ProMonthly, 1), (s.SupportMonthly, 1));
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);

        s.World.Stripe.Simulate.FailPayment(subscription.Id);
        var invoice = (string)s.World.Stripe.Store.Snapshot(subscription.Id)!["latest_invoice"]!;
        await s.SyncAsync(StripeObjectTypes.Invoice, invoice);

        var pastDue = await s.CompanyOfAsync(s.Acme.Id);
        Assert.Equal("past_due", Text(pastDue.GetProperty("billing_subscription"), "status"));
        Assert.Equal(policy == "keep" ? s.Pro : s.Free, Text(pastDue, "base_plan_id"));
        Assert.Equal(policy == "keep" ? 1 : 0, pastDue.GetProperty("add_on_ids").GetArrayLength());
        Assert.Equal(policy == "keep", await s.CheckAsync("sso", s.Acme.Id));

        s.World.Stripe.Simulate.RecoverPayment(subscription.Id);
        await s.SyncAsync(StripeObjectTypes.Invoice, invoice);
        Assert.Equal(s.Pro, Text(await s.CompanyOfAsync(s.Acme.Id), "base_plan_id"));
        Assert.True(await s.CheckAsync("priority-support", s.Acme.Id));
    }

    [Fact]
    public async Task ACustomerWithANewSubscriptionAfterAnEndedOneFollowsTheLiveOne()
    {
        var s = await BillingScenario.CreateAsync(server);
        var first = await s.SubscribeAsync(s.Acme, null, (s.StarterMonthly, 1));
        await s.Stripe.V1.Subscriptions.CancelAsync(first.Id);
        var second = await s.SubscribeAsync(s.Acme, null, (s.ProMonthly, 3));

        await s.SyncAsync(StripeObjectTypes.Subscription, second.Id);
        await s.SyncAsync(StripeObjectTypes.Subscription, first.Id);

        var acme = await s.CompanyOfAsync(s.Acme.Id);
        Assert.Equal(second.Id, Text(acme.GetProperty("billing_subscription"), "subscription_external_id"));
        Assert.Equal(s.Pro, Text(acme, "base_plan_id"));
    }

    [Fact]
    public async Task ADeletedCustomerLeavesItsCompanyOnTheFallbackPlanWithoutBilling()
    {
        var s = await BillingScenario.CreateAsync(server);
        var subscription = await s.SubscribeAsync(s.Acme, null, (s.ProMonthly, 1));
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);

        await s.Stripe.V1.Customers.DeleteAsync(s.Acme.Id);
        await s.SyncAsync(StripeObjectTypes.Customer, s.Acme.Id);

        var acme = (await s.Api.GetAsync($"/companies/{s.AcmeCompany}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(s.Free, Text(acme, "base_plan_id"));
        Assert.Equal(JsonValueKind.Null, acme.GetProperty("billing_subscription").ValueKind);
        Assert.False(await s.CheckAsync("sso", s.Acme.Id));

        // A customer Tollgate never knew that is already gone is nothing to do.
        var ghost = await s.CustomerAsync("Ghost");
        await s.Stripe.V1.Customers.DeleteAsync(ghost.Id);
        await s.SyncAsync(StripeObjectTypes.Customer, ghost.Id);
        (await s.Api.GetAsync($"/companies/lookup?keys[stripe_customer_id]={ghost.Id}")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ADeletedProductAndAnArchivedPriceAreMarkedSo()
    {
        var s = await BillingScenario.CreateAsync(server);
        var lonely = await s.Stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Lonely" });
        await s.SyncAsync(StripeObjectTypes.Product, lonely.Id);
        await s.SyncAsync(StripeObjectTypes.Price, s.ProYearly.Id);

        await s.Stripe.V1.Products.DeleteAsync(lonely.Id);
        await s.Stripe.V1.Prices.UpdateAsync(s.ProYearly.Id, new PriceUpdateOptions { Active = false });
        await s.SyncAsync(StripeObjectTypes.Product, lonely.Id);
        await s.SyncAsync(StripeObjectTypes.Price, s.ProYearly.Id);

        var products = (await s.Api.GetAsync("/billing/products")).Data.EnumerateArray().ToDictionary(p => Text(p, "id"));
        Assert.True(products[lonely.Id].GetProperty("deleted").GetBoolean());
        Assert.False(products[lonely.Id].GetProperty("is_active").GetBoolean());
        Assert.True(products[s.ProProduct.Id].GetProperty("is_active").GetBoolean());
        var yearly = (await s.Api.GetAsync($"/billing/prices?product_id={s.ProProduct.Id}")).Data.EnumerateArray().Single(p => Text(p, "id") == s.ProYearly.Id);
        Assert.False(yearly.GetProperty("is_active").GetBoolean());
    }

    [Fact]
    public async Task ACompletedCheckoutTollgateCreatedLinksItsCustomerToTheCompanyItWasCreatedFor()
    {
        var s = await BillingScenario.CreateAsync(server);
        var initech = await Given.CompanyAsync(s.Api, "initech");
        var customer = await s.CustomerAsync("Initech", "boss@initech.test");
        var session = await s.Stripe.V1.Checkout.Sessions.CreateAsync(new global::Stripe.Checkout.SessionCreateOptions
        {
            Mode = "subscription", SuccessUrl = "https://app.test/ok", ClientReferenceId = initech, Customer = customer.Id,
            LineItems = [new() { Price = s.ProMonthly.Id, Quantity = 6 }],
        });
        // As POST /billing/stripe/checkout-sessions records the sessions it makes (StripeSessionTests drive that path).
        await s.World.Server.Services.GetRequiredService<CreatedCheckoutSessions>()
            .RecordAsync(s.Api.EnvironmentId!, new CreatedCheckoutSession(session.Id, initech, customer.Id), default);
        // customer.created came first and made a company of the customer alone; the session names the real one.
        await s.SyncAsync(StripeObjectTypes.Customer, customer.Id);
        s.World.Stripe.Simulate.CompleteCheckout(session.Id);

        await s.SyncAsync(StripeObjectTypes.CheckoutSession, session.Id);

        var company = await s.CompanyOfAsync(customer.Id);
        Assert.Equal(initech, Text(company, "id"));
        Assert.Equal(s.Pro, Text(company, "base_plan_id"));
        Assert.Equal(6, company.GetProperty("traits").GetProperty("seats").GetInt32());
        Assert.True((await s.Api.PostAsync("/flags/sso/check", new { company = Given.Keys("initech") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("value").GetBoolean());
        Assert.Equal(1, (await s.Api.GetAsync("/companies/count")).Data.GetProperty("count").GetInt32() - 1);
    }

    [Fact]
    public async Task ACheckoutTollgateDidNotCreateLinksNoCompanyWhateverItsClientReferenceIdOrMetadataName()
    {
        var s = await BillingScenario.CreateAsync(server);
        var initech = await Given.CompanyAsync(s.Api, "initech");
        // A Payment Link or pricing table: the buyer puts any company's id in client_reference_id through the URL.
        var session = await s.Stripe.V1.Checkout.Sessions.CreateAsync(new global::Stripe.Checkout.SessionCreateOptions
        {
            Mode = "subscription", SuccessUrl = "https://app.test/ok", ClientReferenceId = initech, CustomerEmail = "mallory@evil.test",
            Metadata = new() { ["tollgate_company_id"] = initech },
            LineItems = [new() { Price = s.ProMonthly.Id, Quantity = 6 }],
        });
        var completed = s.World.Stripe.Simulate.CompleteCheckout(session.Id);

        await s.SyncAsync(StripeObjectTypes.CheckoutSession, session.Id);

        var customerId = (string)completed["customer"]!;
        var buyer = await s.CompanyOfAsync(customerId);
        Assert.NotEqual(initech, Text(buyer, "id"));
        Assert.Equal(s.Pro, Text(buyer, "base_plan_id"));
        var victim = (await s.Api.GetAsync($"/companies/{initech}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.DoesNotContain(victim.GetProperty("keys").EnumerateArray(), k => k.GetProperty("key").GetString() == "stripe_customer_id");
        Assert.NotEqual(s.Pro, victim.TryGetProperty("base_plan_id", out var plan) && plan.ValueKind == JsonValueKind.String ? plan.GetString() : null);
        Assert.False((await s.Api.PostAsync("/flags/sso/check", new { company = Given.Keys("initech") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task AManualMappingMovesBilledCompaniesAtOnceAndSurvivesLaterSyncs()
    {
        var s = await BillingScenario.CreateAsync(server);
        var subscription = await s.SubscribeAsync(s.Acme, null, (s.ApiMetered, null), (s.StarterMonthly, 1));
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        Assert.Equal(s.Starter, Text(await s.CompanyOfAsync(s.Acme.Id), "base_plan_id"));

        var mapped = (await s.Api.PutAsync($"/billing/products/{s.StarterProduct.Id}", new { plan_id = s.Pro })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal((s.Pro, true), (Text(mapped, "plan_id"), mapped.GetProperty("plan_mapped_manually").GetBoolean()));
        Assert.Equal(s.Pro, Text(await s.CompanyOfAsync(s.Acme.Id), "base_plan_id"));
        Assert.True(await s.CheckAsync("sso", s.Acme.Id));

        await s.Stripe.V1.Products.UpdateAsync(s.StarterProduct.Id, new ProductUpdateOptions { Metadata = new() { ["tollgate_plan_id"] = s.Starter } });
        await s.SyncAsync(StripeObjectTypes.Product, s.StarterProduct.Id);
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        var product = (await s.Api.GetAsync("/billing/products")).Data.EnumerateArray().Single(p => Text(p, "id") == s.StarterProduct.Id);
        Assert.Equal(s.Pro, Text(product, "plan_id"));
        Assert.Equal(s.Starter, Text(product.GetProperty("metadata"), "tollgate_plan_id"));
        Assert.Equal(s.Pro, Text(await s.CompanyOfAsync(s.Acme.Id), "base_plan_id"));

        var version = (await s.Api.PutAsync($"/billing/prices/{s.StarterMonthly.Id}", new { plan_version_id = s.ProVersion })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(s.ProVersion, Text(version, "plan_version_id"));
        (await s.Api.PutAsync($"/billing/products/{s.StarterProduct.Id}", new { plan_id = "plan_nope" })).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await s.Api.PutAsync($"/billing/prices/{s.StarterMonthly.Id}", new { plan_version_id = "plvr_nope" })).ShouldFail(HttpStatusCode.BadRequest, "plan_version_id");
        (await s.Api.PutAsync("/billing/products/prod_nope", new { plan_id = s.Pro })).ShouldFail(HttpStatusCode.NotFound, "billing product");
    }

    [Fact]
    public async Task AProductWhoseMetadataChangesMovesTheCompaniesBilledForIt()
    {
        var s = await BillingScenario.CreateAsync(server);
        var addOnOnly = await s.Stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Extras" });
        var extras = await s.Stripe.V1.Prices.CreateAsync(new PriceCreateOptions { Product = addOnOnly.Id, Currency = "usd", UnitAmount = 100, Recurring = new PriceRecurringOptions { Interval = "month" } });
        var subscription = await s.SubscribeAsync(s.Acme, null, (s.ProMonthly, 1), (extras, 1));
        await s.SyncAsync(StripeObjectTypes.Subscription, subscription.Id);
        Assert.False(await s.CheckAsync("priority-support", s.Acme.Id));

        await s.Stripe.V1.Products.UpdateAsync(addOnOnly.Id, new ProductUpdateOptions { Metadata = new() { ["tollgate_plan_id"] = s.Support } });
        await s.SyncAsync(StripeObjectTypes.Product, addOnOnly.Id);

        Assert.Equal([s.Support], (await s.CompanyOfAsync(s.Acme.Id)).GetProperty("add_on_ids").EnumerateArray().Select(a => a.GetString()));
        Assert.True(await s.CheckAsync("priority-support", s.Acme.Id));
    }

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;
}

public sealed class StripeObjectSyncTestsOnSqlite(StripeSqliteServer server) : StripeObjectSyncTests(server), IClassFixture<StripeSqliteServer>;

public sealed class StripeObjectSyncTestsOnPostgres(StripePostgresServer server) : StripeObjectSyncTests(server), IClassFixture<StripePostgresServer>;
