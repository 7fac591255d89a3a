using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>Checkout sessions (customer made and linked, the plan's price and seats) and Billing Portal sessions for a company.</summary>
public abstract class StripeSessionTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task CheckoutForACompanyWithoutACustomerMakesOneLinksItAndSellsThePlansPriceForTheSeats()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (planId, versionId, monthly, _) = await OutboundGiven.PushedPlanAsync(world, "Pro", 1500, 15000);
        var company = await Given.CompanyAsync(world.Api, "acme");

        var session = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId, seats = 3, successUrl = "https://app.test/ok?s={CHECKOUT_SESSION_ID}", cancelUrl = "https://app.test/no", trialDays = 14,
        })).ShouldBe(HttpStatusCode.OK).Data;

        var customerId = session.GetProperty("customer_id").GetString()!;
        var customer = world.Stripe.Store.Snapshot(customerId)!;
        Assert.Equal((company, "acme", world.Api.EnvironmentId), ((string?)customer["metadata"]!["tollgate_company_id"], (string?)customer["metadata"]!["id"], (string?)customer["metadata"]!["tollgate_environment_id"]));
        Assert.Equal(company, (await world.Api.GetAsync($"/companies/lookup?keys[stripe_customer_id]={customerId}")).ShouldBe(HttpStatusCode.OK).Id);
        Assert.Equal(company, (await world.Api.GetAsync("/companies/lookup?keys[id]=acme")).ShouldBe(HttpStatusCode.OK).Id);
        var request = Assert.Single(world.Stripe.RequestsTo("/v1/checkout/sessions", "POST")).Params;
        Assert.Equal(("subscription", customerId, company), ((string?)request["mode"], (string?)request["customer"], (string?)request["client_reference_id"]));
        Assert.Equal((monthly, "3"), ((string?)request["line_items"]![0]!["price"], (string?)request["line_items"]![0]!["quantity"]));
        Assert.Equal("14", (string?)request["subscription_data"]!["trial_period_days"]);
        Assert.Equal(versionId, (string?)request["metadata"]!["tollgate_plan_version_id"]);
        Assert.Equal((monthly, 3L), (session.GetProperty("price_id").GetString(), session.GetProperty("quantity").GetInt64()));
        Assert.StartsWith(server.Fake.BaseUrl, session.GetProperty("url").GetString(), StringComparison.Ordinal);

        var recorded = await server.Services.GetRequiredService<CreatedCheckoutSessions>().FindAsync(world.Api.EnvironmentId!, session.GetProperty("id").GetString()!, default);
        Assert.Equal(new CreatedCheckoutSession(session.GetProperty("id").GetString()!, company, customerId), recorded);

        var completed = world.Stripe.Simulate.CompleteCheckout(session.GetProperty("id").GetString()!);
        var subscription = world.Stripe.Store.Snapshot((string)completed["subscription"]!)!;
        Assert.Equal(customerId, (string?)subscription["customer"]);
        Assert.Equal((monthly, 3L), ((string?)subscription["items"]!["data"]![0]!["price"]!["id"], (long)subscription["items"]!["data"]![0]!["quantity"]!));
    }

    [Fact]
    public async Task ASecondCheckoutReusesTheLinkedCustomerAndTheIntervalChoosesThePrice()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (planId, _, _, yearly) = await OutboundGiven.PushedPlanAsync(world, "Pro", 1500, 15000);
        var company = await Given.CompanyAsync(world.Api, "globex");
        var body = new { companyId = company, planId, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no" };
        var first = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", body)).ShouldBe(HttpStatusCode.OK).Data;

        var yearlySession = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId, interval = "year", successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Single(world.Stripe.RequestsTo("/v1/customers", "POST"));
        Assert.Equal(first.GetProperty("customer_id").GetString(), yearlySession.GetProperty("customer_id").GetString());
        Assert.Equal(yearly, yearlySession.GetProperty("price_id").GetString());
        Assert.Equal("1", (string?)world.Stripe.RequestsTo("/v1/checkout/sessions", "POST")[1].Params["line_items"]![0]!["quantity"]);
        (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId, interval = "year", seats = 4, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldFail(HttpStatusCode.BadRequest, "seats");
        var byPrice = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, priceId = yearly, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(yearly, byPrice.GetProperty("price_id").GetString());
        Assert.Equal(yearly, (string?)world.Stripe.RequestsTo("/v1/checkout/sessions", "POST")[^1].Params["line_items"]![0]!["price"]);
    }

    [Fact]
    public async Task BadCheckoutRequestsAreRefusedNamingTheField()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (planId, _, _, _) = await OutboundGiven.PushedPlanAsync(world, "Pro", 1500, 15000);
        var (unpushed, _) = await OutboundGiven.PlanAsync(world.Api, "Unpushed");
        var company = await Given.CompanyAsync(world.Api, "initech");
        const string Ok = "https://app.test/ok";
        const string Path = "/billing/stripe/checkout-sessions";

        (await world.Api.PostAsync(Path, new { planId, successUrl = Ok, cancelUrl = Ok })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await world.Api.PostAsync(Path, new { companyId = "comp_missing", planId, successUrl = Ok, cancelUrl = Ok })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await world.Api.PostAsync(Path, new { companyId = company, successUrl = Ok, cancelUrl = Ok })).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await world.Api.PostAsync(Path, new { companyId = company, planId = unpushed, successUrl = Ok, cancelUrl = Ok })).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await world.Api.PostAsync(Path, new { companyId = company, priceId = "price_missing", successUrl = Ok, cancelUrl = Ok })).ShouldFail(HttpStatusCode.BadRequest, "price_id");
        (await world.Api.PostAsync(Path, new { companyId = company, planId, interval = "week", successUrl = Ok, cancelUrl = Ok })).ShouldFail(HttpStatusCode.BadRequest, "interval");
        (await world.Api.PostAsync(Path, new { companyId = company, planId, cancelUrl = Ok })).ShouldFail(HttpStatusCode.BadRequest, "success_url");
        (await world.Api.PostAsync(Path, new { companyId = company, planId, successUrl = Ok, cancelUrl = "/relative" })).ShouldFail(HttpStatusCode.BadRequest, "cancel_url");
        (await world.Api.PostAsync(Path, new { companyId = company, planId, successUrl = Ok, cancelUrl = Ok, seats = 0 })).ShouldFail(HttpStatusCode.BadRequest, "seats");
        (await world.Api.PostAsync(Path, new { companyId = company, planId, successUrl = Ok, cancelUrl = Ok, trialDays = 0 })).ShouldFail(HttpStatusCode.BadRequest, "trial_days");
        (await world.Api.SendRawAsync(HttpMethod.Post, Path, """{"company_id":1}""")).ShouldFail(HttpStatusCode.BadRequest, "body.company_id");
        Assert.Empty(world.Stripe.RequestsTo("/v1/customers", "POST"));
        Assert.Empty(world.Stripe.RequestsTo("/v1/checkout/sessions", "POST"));
    }

    [Fact]
    public async Task APortalSessionOpensForALinkedCompanyAndNotForOneWithoutACustomer()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (planId, _, _, _) = await OutboundGiven.PushedPlanAsync(world, "Pro", 1500, 15000);
        var linked = await Given.CompanyAsync(world.Api, "acme");
        var unlinked = await Given.CompanyAsync(world.Api, "hooli");
        var checkout = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = linked, planId, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;

        var portal = (await world.Api.PostAsync("/billing/stripe/portal-sessions", new { companyId = linked, returnUrl = "https://app.test/billing" })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.StartsWith(server.Fake.BaseUrl, portal.GetProperty("url").GetString(), StringComparison.Ordinal);
        var request = Assert.Single(world.Stripe.RequestsTo("/v1/billing_portal/sessions", "POST")).Params;
        Assert.Equal((checkout.GetProperty("customer_id").GetString(), "https://app.test/billing"), ((string?)request["customer"], (string?)request["return_url"]));
        (await world.Api.PostAsync("/billing/stripe/portal-sessions", new { companyId = unlinked, returnUrl = "https://app.test/billing" }))
            .ShouldFail(HttpStatusCode.Conflict, "no Stripe customer");
        (await world.Api.PostAsync("/billing/stripe/portal-sessions", new { companyId = linked, returnUrl = "https://app.test/billing", flow = "subscription_update" }))
            .ShouldFail(HttpStatusCode.Conflict, "no Stripe subscription");
        (await world.Api.PostAsync("/billing/stripe/portal-sessions", new { companyId = linked, returnUrl = "https://app.test/billing", flow = "pause" }))
            .ShouldFail(HttpStatusCode.BadRequest, "flow");
        (await world.Api.PostAsync("/billing/stripe/portal-sessions", new { companyId = linked })).ShouldFail(HttpStatusCode.BadRequest, "return_url");
        var status = (await world.Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetProperty("outbound").GetProperty("last");
        Assert.Equal(linked, status.GetProperty("portal_session").GetProperty("details").GetProperty("company_id").GetString());
        Assert.Equal(checkout.GetProperty("id").GetString(), status.GetProperty("checkout_session").GetProperty("details").GetProperty("session_id").GetString());
    }

    [Fact]
    public async Task APortalFlowActsOnTheCompanysSubscription()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (planId, _, _, _) = await OutboundGiven.PushedPlanAsync(world, "Pro", 1500, 15000);
        var company = await Given.CompanyAsync(world.Api, "acme");
        var checkout = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;
        var subscriptionId = (string)world.Stripe.Simulate.CompleteCheckout(checkout.GetProperty("id").GetString()!)["subscription"]!;
        await OutboundGiven.FollowSubscriptionAsync(world, company, subscriptionId);

        (await world.Api.PostAsync("/billing/stripe/portal-sessions", new { companyId = company, returnUrl = "https://app.test/billing", flow = "subscription_cancel" }))
            .ShouldBe(HttpStatusCode.OK);

        var flow = Assert.Single(world.Stripe.RequestsTo("/v1/billing_portal/sessions", "POST")).Params["flow_data"]!;
        Assert.Equal(("subscription_cancel", subscriptionId), ((string?)flow["type"], (string?)flow["subscription_cancel"]!["subscription"]));
    }
}

/// <summary>On SQLite.</summary>
public sealed class StripeSessionTestsOnSqlite(StripeSqliteServer server) : StripeSessionTests(server), IClassFixture<StripeSqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class StripeSessionTestsOnPostgres(StripePostgresServer server) : StripeSessionTests(server), IClassFixture<StripePostgresServer>;
