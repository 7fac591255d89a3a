using System.Net;
using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>A plan version pushed to Stripe becomes the plan's product and the version's prices, once, however often it is pushed.</summary>
public abstract class StripeCatalogPushTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task APushedVersionCreatesTheProductAndPricesWithTollgatesIdsAndStoresTheLinks()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (planId, versionId) = await OutboundGiven.PlanAsync(world.Api, "Pro");
        var meter = await OutboundGiven.MeterAsync(world, "api_calls");

        var pushed = (await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", new
        {
            prices = new object[] { new { interval = "month", unitAmount = 1500, perSeat = true }, new { interval = "year", unitAmount = 15000, currency = "EUR" } },
            metered = new object[] { new { eventSubtype = "api_call", unitAmount = 2, meterId = meter } },
        })).ShouldBe(HttpStatusCode.OK).Data;

        var product = Assert.Single(await OutboundGiven.StripeProductsAsync(world));
        Assert.Equal(("Pro", planId, world.Api.EnvironmentId), (product.Name, product.Metadata["tollgate_plan_id"], product.Metadata["tollgate_environment_id"]));
        Assert.Equal(product.Id, pushed.GetProperty("product").GetProperty("id").GetString());
        Assert.True(pushed.GetProperty("product").GetProperty("created").GetBoolean());
        var prices = (await OutboundGiven.StripePricesAsync(world)).ToDictionary(p => p.Id);
        Assert.Equal(3, prices.Count);
        var answered = pushed.GetProperty("prices");
        var monthly = prices[answered[0].GetProperty("id").GetString()!];
        var yearly = prices[answered[1].GetProperty("id").GetString()!];
        var metered = prices[answered[2].GetProperty("id").GetString()!];
        Assert.Equal((product.Id, 1500L, "usd", "month", "licensed", versionId, "per_seat"),
            (monthly.ProductId, monthly.UnitAmount!.Value, monthly.Currency, monthly.Recurring.Interval, monthly.Recurring.UsageType, monthly.Metadata["tollgate_plan_version_id"], monthly.Metadata["tollgate_price_kind"]));
        Assert.Equal((15000L, "eur", "year", "flat"), (yearly.UnitAmount!.Value, yearly.Currency, yearly.Recurring.Interval, yearly.Metadata["tollgate_price_kind"]));
        Assert.Equal(("metered", meter, "api_call", 2L), (metered.Recurring.UsageType, metered.Recurring.Meter, metered.Metadata["tollgate_event_subtype"], metered.UnitAmount!.Value));
        Assert.All(world.Stripe.Requests.Where(r => r.Method == "POST" && r.Path is "/v1/products" or "/v1/prices"),
            r => Assert.StartsWith("tollgate-", r.IdempotencyKey, StringComparison.Ordinal));

        // The links are stored: a checkout for the plan finds the monthly price.
        var company = await Given.CompanyAsync(world.Api, "acme");
        var checkout = (await world.Api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(monthly.Id, checkout.GetProperty("price_id").GetString());
    }

    [Fact]
    public async Task PushingTheSameVersionTwiceCreatesNothingNew()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (_, versionId) = await OutboundGiven.PlanAsync(world.Api, "Team");
        var body = new { prices = new object[] { new { interval = "month", unitAmount = 900 }, new { interval = "year", unitAmount = 9000 } } };

        var first = (await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", body)).ShouldBe(HttpStatusCode.OK).Data;
        var requestsAfterFirst = world.Stripe.Requests.Count(r => r.Method == "POST");
        var second = (await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", body)).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(requestsAfterFirst, world.Stripe.Requests.Count(r => r.Method == "POST"));
        Assert.Single(await OutboundGiven.StripeProductsAsync(world));
        Assert.Equal(2, (await OutboundGiven.StripePricesAsync(world)).Count);
        Assert.Equal(first.GetProperty("product").GetProperty("id").GetString(), second.GetProperty("product").GetProperty("id").GetString());
        Assert.False(second.GetProperty("product").GetProperty("created").GetBoolean());
        Assert.All(second.GetProperty("prices").EnumerateArray(), p => Assert.False(p.GetProperty("created").GetBoolean()));
        Assert.Equal(
            first.GetProperty("prices").EnumerateArray().Select(p => p.GetProperty("id").GetString()),
            second.GetProperty("prices").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task ATransient500DuringThePushThenARetryCompletesWithoutDuplicates()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (_, versionId) = await OutboundGiven.PlanAsync(world.Api, "Scale");
        var body = new { prices = new object[] { new { interval = "month", unitAmount = 4900 }, new { interval = "year", unitAmount = 49000 } } };
        // The second price fails: the product and the first price are already made in Stripe.
        server.Fake.Faults.Enqueue(new Fault(null), "/v1/prices", times: 1, method: "POST");
        server.Fake.Faults.Enqueue(Fault.ServerError(500), "/v1/prices", times: 1, method: "POST");

        var failed = await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", body);
        var retried = await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", body);

        failed.ShouldFail(HttpStatusCode.BadGateway, "stripe");
        retried.ShouldBe(HttpStatusCode.OK);
        Assert.Single(await OutboundGiven.StripeProductsAsync(world));
        var prices = await OutboundGiven.StripePricesAsync(world);
        Assert.Equal(["month", "year"], prices.Select(p => p.Recurring.Interval).Order(StringComparer.Ordinal));
        var status = (await world.Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetProperty("outbound");
        Assert.Equal("push", status.GetProperty("last_error").GetProperty("operation").GetString());
        Assert.Equal(versionId, status.GetProperty("last").GetProperty("push").GetProperty("details").GetProperty("plan_version_id").GetString());
    }

    [Fact]
    public async Task APushCutShortAfterStripeAnsweredIsReplayedByStripeInsteadOfCreatingTwice()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (_, versionId) = await OutboundGiven.PlanAsync(world.Api, "Growth");
        var body = new { prices = new object[] { new { interval = "month", unitAmount = 2900, perSeat = true } } };
        var first = (await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", body)).ShouldBe(HttpStatusCode.OK).Data;

        await OutboundGiven.ForgetStoredLinksAsync(world);
        var again = (await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", body)).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Single(await OutboundGiven.StripeProductsAsync(world));
        Assert.Single(await OutboundGiven.StripePricesAsync(world));
        Assert.Equal(first.GetProperty("prices")[0].GetProperty("id").GetString(), again.GetProperty("prices")[0].GetProperty("id").GetString());
        Assert.Equal([false, true], world.Stripe.RequestsTo("/v1/products", "POST").Select(r => r.Replayed));
        Assert.Equal([false, true], world.Stripe.RequestsTo("/v1/prices", "POST").Select(r => r.Replayed));
    }

    [Fact]
    public async Task AChangedAmountMakesANewPriceAndArchivesTheOldOne()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (_, versionId) = await OutboundGiven.PlanAsync(world.Api, "Starter");
        var old = (await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", new { prices = new object[] { new { interval = "month", unitAmount = 1000 } } }))
            .ShouldBe(HttpStatusCode.OK).Data.GetProperty("prices")[0].GetProperty("id").GetString()!;

        var replacement = (await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", new { prices = new object[] { new { interval = "month", unitAmount = 1200 } } }))
            .ShouldBe(HttpStatusCode.OK).Data.GetProperty("prices")[0];

        Assert.True(replacement.GetProperty("created").GetBoolean());
        Assert.NotEqual(old, replacement.GetProperty("id").GetString());
        Assert.False((bool)world.Stripe.Store.Snapshot(old)!["active"]!);
        Assert.Equal($"tollgate_{versionId}_month", (string?)world.Stripe.Store.Snapshot(replacement.GetProperty("id").GetString()!)!["lookup_key"]);
    }

    [Fact]
    public async Task BadPushesAreRefusedNamingTheField()
    {
        var world = await StripeWorld.CreateAsync(server);
        var (_, versionId) = await OutboundGiven.PlanAsync(world.Api, "Edge");
        var path = $"/billing/stripe/plan-versions/{versionId}/push";

        (await world.Api.PostAsync(path, new { prices = Array.Empty<object>() })).ShouldFail(HttpStatusCode.BadRequest, "prices");
        (await world.Api.PostAsync(path, new { prices = new object[] { new { interval = "week", unitAmount = 1 } } })).ShouldFail(HttpStatusCode.BadRequest, "prices[0].interval");
        (await world.Api.PostAsync(path, new { prices = new object[] { new { interval = "month" } } })).ShouldFail(HttpStatusCode.BadRequest, "prices[0].unit_amount");
        (await world.Api.PostAsync(path, new { prices = new object[] { new { interval = "month", unitAmount = -1 } } })).ShouldFail(HttpStatusCode.BadRequest, "prices[0].unit_amount");
        (await world.Api.PostAsync(path, new { prices = new object[] { new { interval = "month", unitAmount = 1, currency = "dollars" } } })).ShouldFail(HttpStatusCode.BadRequest, "prices[0].currency");
        (await world.Api.PostAsync(path, new { prices = new object[] { new { interval = "month", unitAmount = 1 }, new { interval = "month", unitAmount = 2 } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "prices[1]");
        (await world.Api.PostAsync(path, new { metered = new object[] { new { unitAmount = 1 } } })).ShouldFail(HttpStatusCode.BadRequest, "metered[0].event_subtype");
        (await world.Api.PostAsync(path, new { metered = new object[] { new { eventSubtype = "api_call", unitAmount = 1 } } })).ShouldFail(HttpStatusCode.BadRequest, "metered[0].meter_id");
        (await world.Api.PostAsync(path, new { metered = new object[] { new { eventSubtype = "api_call", unitAmount = 1, meterId = "mtr_missing" } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "metered[0].meter_id");
        (await world.Api.SendRawAsync(HttpMethod.Post, path, """{"prices":"many"}""")).ShouldFail(HttpStatusCode.BadRequest, "body.prices");
        (await world.Api.PostAsync("/billing/stripe/plan-versions/plvr_missing/push", new { prices = new object[] { new { interval = "month", unitAmount = 1 } } }))
            .ShouldFail(HttpStatusCode.NotFound, "plan version");
        Assert.Empty(await OutboundGiven.StripePricesAsync(world));
    }

    [Fact]
    public async Task AnEnvironmentWithoutStripeIsAnswered409()
    {
        var world = await StripeWorld.CreateAsync(server, connect: false);
        var (_, versionId) = await OutboundGiven.PlanAsync(world.Api, "Lonely");

        (await world.Api.PostAsync($"/billing/stripe/plan-versions/{versionId}/push", new { prices = new object[] { new { interval = "month", unitAmount = 1 } } }))
            .ShouldFail(HttpStatusCode.Conflict, "not connected");
    }
}

/// <summary>On SQLite.</summary>
public sealed class StripeCatalogPushTestsOnSqlite(StripeSqliteServer server) : StripeCatalogPushTests(server), IClassFixture<StripeSqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class StripeCatalogPushTestsOnPostgres(StripePostgresServer server) : StripeCatalogPushTests(server), IClassFixture<StripePostgresServer>;
