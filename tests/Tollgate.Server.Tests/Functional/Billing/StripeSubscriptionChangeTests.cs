using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// Subscription changes from Tollgate: the base plan item gets the new price and quantity with the proration behaviour
/// asked. The company's billing state is written by the test from the fake's subscription (the inbound sync is not on
/// this branch; see <see cref="OutboundGiven.FollowSubscriptionAsync"/>).
/// </summary>
public abstract class StripeSubscriptionChangeTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task AnUpgradeReplacesTheBaseItemsPriceAndQuantityWithTheProrationBehaviour()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (company, subscriptionId, itemId) = await SubscribedCompanyAsync(world, seats: 2);
        var (business, _, businessMonthly, _) = await OutboundGiven.PushedPlanAsync(world, "Business", 3000, 30000);

        var changed = (await world.Api.PostAsync("/billing/stripe/subscription-changes", new
        {
            companyId = company, planId = business, seats = 5, prorationBehavior = "always_invoice",
        })).ShouldBe(HttpStatusCode.OK).Data;

        var request = Assert.Single(world.Stripe.RequestsTo($"/v1/subscriptions/{subscriptionId}", "POST")).Params;
        Assert.Equal((itemId, businessMonthly, "5"), ((string?)request["items"]![0]!["id"], (string?)request["items"]![0]!["price"], (string?)request["items"]![0]!["quantity"]));
        Assert.Single(request["items"]!.AsArray());
        Assert.Equal("always_invoice", (string?)request["proration_behavior"]);
        var item = world.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]![0]!;
        Assert.Equal((businessMonthly, 5L), ((string?)item["price"]!["id"], (long)item["quantity"]!));
        Assert.Equal((businessMonthly, 5L), (changed.GetProperty("items")[0].GetProperty("price_id").GetString(), changed.GetProperty("items")[0].GetProperty("quantity").GetInt64()));
        // The inbound sync is registered, so the change is in Tollgate before the answer: no webhook needed.
        Assert.True(changed.GetProperty("synced").GetBoolean());
        var after = (await world.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(business, after.GetProperty("plan").GetProperty("id").GetString());
        var status = (await world.Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetProperty("outbound").GetProperty("last");
        Assert.Equal(subscriptionId, status.GetProperty("subscription_change").GetProperty("details").GetProperty("subscription_id").GetString());
    }

    [Fact]
    public async Task AChangeOfPlanSwapsTheOldVersionsMeteredItemsForTheNewVersions()
    {
        var world = await StripeWorld.CreateAsync(server);
        var meter = await OutboundGiven.MeterAsync(world, "api_calls");
        var (pro, proVersion) = await OutboundGiven.PlanAsync(world.Api, "Pro");
        var (business, businessVersion) = await OutboundGiven.PlanAsync(world.Api, "Business");
        var proPrices = await PushAsync(world, proVersion, 1500, 3, meter);
        var businessPrices = await PushAsync(world, businessVersion, 3000, 1, meter);
        var company = await Given.CompanyAsync(world.Api, "acme");
        var checkout = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId = pro, seats = 2, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;
        var line = world.Stripe.RequestsTo("/v1/checkout/sessions", "POST").Single().Params["line_items"]![1]!;
        Assert.Equal((proPrices.Metered, null), ((string?)line["price"], (string?)line["quantity"]));
        var subscriptionId = (string)world.Stripe.Simulate.CompleteCheckout(checkout.GetProperty("id").GetString()!)["subscription"]!;
        await OutboundGiven.FollowSubscriptionAsync(world, company, subscriptionId);
        var before = world.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]!.AsArray();
        var oldMeteredItem = (string)before.Single(i => (string?)i!["price"]!["id"] == proPrices.Metered)!["id"]!;

        (await world.Api.PostAsync("/billing/stripe/subscription-changes", new { companyId = company, planId = business })).ShouldBe(HttpStatusCode.OK);

        var items = world.Stripe.RequestsTo($"/v1/subscriptions/{subscriptionId}", "POST").Single().Params["items"]!.AsArray();
        Assert.Equal(3, items.Count);
        Assert.Equal((businessPrices.Base, "2"), ((string?)items[0]!["price"], (string?)items[0]!["quantity"]));
        Assert.Equal((oldMeteredItem, "true"), ((string?)items[1]!["id"], (string?)items[1]!["deleted"]));
        Assert.Equal((businessPrices.Metered, null), ((string?)items[2]!["price"], (string?)items[2]!["id"]));
        var after = world.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]!.AsArray().Select(i => (string?)i!["price"]!["id"]).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { businessPrices.Base, businessPrices.Metered }.Order(StringComparer.Ordinal), after);
    }

    [Fact]
    public async Task SeatsOnAFlatPriceAreRefused()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (company, subscriptionId, _) = await SubscribedCompanyAsync(world, seats: 1, interval: "year");

        (await world.Api.PostAsync("/billing/stripe/subscription-changes", new { companyId = company, seats = 3 })).ShouldFail(HttpStatusCode.BadRequest, "seats");

        Assert.Empty(world.Stripe.RequestsTo($"/v1/subscriptions/{subscriptionId}", "POST"));
    }

    [Fact]
    public async Task SeatsAloneKeepThePriceAndTheDefaultProrationIsCreateProrations()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (company, subscriptionId, itemId) = await SubscribedCompanyAsync(world, seats: 2);

        (await world.Api.PostAsync("/billing/stripe/subscription-changes", new { companyId = company, seats = 7 })).ShouldBe(HttpStatusCode.OK);
        (await world.Api.PostAsync("/billing/stripe/subscription-changes", new { companyId = company, cancelAtPeriodEnd = true, prorationBehavior = "none" })).ShouldBe(HttpStatusCode.OK);

        var requests = world.Stripe.RequestsTo($"/v1/subscriptions/{subscriptionId}", "POST");
        Assert.Equal((itemId, null, "7", "create_prorations"),
            ((string?)requests[0].Params["items"]![0]!["id"], (string?)requests[0].Params["items"]![0]!["price"], (string?)requests[0].Params["items"]![0]!["quantity"], (string?)requests[0].Params["proration_behavior"]));
        Assert.Null(requests[1].Params["items"]);
        Assert.Equal(("true", "none"), ((string?)requests[1].Params["cancel_at_period_end"], (string?)requests[1].Params["proration_behavior"]));
        Assert.True((bool)world.Stripe.Store.Snapshot(subscriptionId)!["cancel_at_period_end"]!);
    }

    [Fact]
    public async Task ACompanyWithoutBillingIsAnswered409AndBadChangesNameTheField()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (company, _, _) = await SubscribedCompanyAsync(world, seats: 1);
        var unbilled = await Given.CompanyAsync(world.Api, "hooli");
        const string Path = "/billing/stripe/subscription-changes";

        (await world.Api.PostAsync(Path, new { companyId = unbilled, seats = 2 })).ShouldFail(HttpStatusCode.Conflict, "no Stripe subscription");
        (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId = (await OutboundGiven.PlanAsync(world.Api, "Other")).PlanId, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldFail(HttpStatusCode.Conflict, "already has a Stripe subscription");
        (await world.Api.PostAsync(Path, new { companyId = company, seats = 2, prorationBehavior = "sometimes" })).ShouldFail(HttpStatusCode.BadRequest, "proration_behavior");
        (await world.Api.PostAsync(Path, new { companyId = company })).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await world.Api.PostAsync(Path, new { companyId = company, seats = 0 })).ShouldFail(HttpStatusCode.BadRequest, "seats");
        (await world.Api.PostAsync(Path, new { companyId = company, planId = "plan_missing" })).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await world.Api.PostAsync(Path, new { seats = 2 })).ShouldFail(HttpStatusCode.BadRequest, "company_id");
        (await world.Api.SendRawAsync(HttpMethod.Post, Path, """{"company_id":"x","seats":"two"}""")).ShouldFail(HttpStatusCode.BadRequest, "body.seats");
        Assert.DoesNotContain(world.Stripe.Requests, r => r.Method == "POST" && r.Path.StartsWith("/v1/subscriptions/", StringComparison.Ordinal));
    }

    /// <summary>Pushes a per-seat monthly price and a metered one (api_call on <paramref name="meter"/>); answers their ids.</summary>
    private static async Task<(string Base, string Metered)> PushAsync(StripeWorld world, string versionId, long amount, long perCall, string meter)
    {
        var prices = (await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", new
        {
            prices = new object[] { new { interval = "month", unitAmount = amount, perSeat = true } },
            metered = new object[] { new { eventSubtype = "api_call", unitAmount = perCall, meterId = meter } },
        })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("prices");
        return (prices[0].GetProperty("id").GetString()!, prices[1].GetProperty("id").GetString()!);
    }

    /// <summary>A company subscribed through checkout to a pushed Pro plan (monthly per seat, yearly flat), its billing state written as the sync would.</summary>
    private static async Task<(string Company, string SubscriptionId, string ItemId)> SubscribedCompanyAsync(StripeWorld world, long seats, string interval = "month")
    {
        var (pro, _, _, _) = await OutboundGiven.PushedPlanAsync(world, "Pro", 1500, 15000);
        var company = await Given.CompanyAsync(world.Api, "acme");
        var checkout = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId = pro, interval, seats, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;
        var subscriptionId = (string)world.Stripe.Simulate.CompleteCheckout(checkout.GetProperty("id").GetString()!)["subscription"]!;
        await OutboundGiven.FollowSubscriptionAsync(world, company, subscriptionId);
        var itemId = (string)world.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]![0]!["id"]!;
        return (company, subscriptionId, itemId);
    }
}

/// <summary>On SQLite.</summary>
public sealed class StripeSubscriptionChangeTestsOnSqlite(StripeSqliteServer server) : StripeSubscriptionChangeTests(server), IClassFixture<StripeSqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class StripeSubscriptionChangeTestsOnPostgres(StripePostgresServer server) : StripeSubscriptionChangeTests(server), IClassFixture<StripePostgresServer>;
