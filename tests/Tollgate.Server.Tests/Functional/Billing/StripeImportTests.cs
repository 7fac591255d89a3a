using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// <c>POST /billing/stripe/import</c>: a catalog, customers and subscriptions made in the fake Stripe become billing
/// products and prices mapped to plans, companies, and plans/add-ons/seats/period/trial on them; an import that fails
/// part-way resumes from its cursor; importing again changes nothing.
/// </summary>
public abstract class StripeImportTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task ImportMapsProductsAndPricesToPlansByMetadataAndByName()
    {
        var s = await BillingScenario.CreateAsync(server);

        var progress = await s.ImportAsync();

        Assert.Equal(("completed", "done"), (Text(progress, "status"), Text(progress, "phase")));
        Assert.Equal((4, 5), (progress.GetProperty("counts").GetProperty("products").GetInt32(), progress.GetProperty("counts").GetProperty("prices").GetInt32()));
        var products = (await s.Api.GetAsync("/billing/products")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToDictionary(p => Text(p, "id"));
        Assert.Equal(s.Pro, Text(products[s.ProProduct.Id], "plan_id"));
        Assert.Equal(s.Starter, Text(products[s.StarterProduct.Id], "plan_id"));
        Assert.Equal(s.Support, Text(products[s.SupportProduct.Id], "plan_id"));
        Assert.Equal(JsonValueKind.Null, products[s.ApiProduct.Id].GetProperty("plan_id").ValueKind);
        Assert.True(products[s.ProProduct.Id].GetProperty("is_active").GetBoolean());
        var prices = (await s.Api.GetAsync($"/billing/prices?product_id={s.ProProduct.Id}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToDictionary(p => Text(p, "id"));
        Assert.Equal(new[] { s.ProMonthly.Id, s.ProYearly.Id }.Order(StringComparer.Ordinal), prices.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((s.ProVersion, "month", 2_000L), (Text(prices[s.ProMonthly.Id], "plan_version_id"), Text(prices[s.ProMonthly.Id], "interval"), prices[s.ProMonthly.Id].GetProperty("price").GetInt64()));
        Assert.Equal("year", Text(prices[s.ProYearly.Id], "interval"));
        var metered = (await s.Api.GetAsync($"/billing/prices?product_id={s.ApiProduct.Id}")).ShouldBe(HttpStatusCode.OK).Data[0];
        Assert.Equal("metered", Text(metered, "usage_type"));
        Assert.StartsWith("mtr_", Text(metered, "meter_id"), StringComparison.Ordinal);
        Assert.Equal(4, (await s.Api.GetAsync("/billing/products/count")).Data.GetProperty("count").GetInt32());
        Assert.Contains(s.ApiProduct.Id, progress.GetProperty("unmapped_products").EnumerateArray().Select(p => Text(p, "id")));
    }

    [Fact]
    public async Task ImportedSubscriptionsPutCompaniesOnTheirPlanAddOnsSeatsPeriodAndTrial()
    {
        var s = await BillingScenario.CreateAsync(server);
        var acmeSubscription = await s.SubscribeAsync(s.Acme, null, (s.ProMonthly, 5), (s.SupportMonthly, 1), (s.ApiMetered, null));
        var globex = await s.CustomerAsync("Globex Inc", "it@globex.test");
        var globexSubscription = await s.SubscribeAsync(globex, 14, (s.StarterMonthly, 1));
        var initech = await s.CustomerAsync("Initech");
        var ended = await s.SubscribeAsync(initech, null, (s.ProMonthly, 2));
        await s.Stripe.V1.Subscriptions.CancelAsync(ended.Id);

        var progress = await s.ImportAsync();

        Assert.Equal("completed", Text(progress, "status"));
        Assert.Equal((3, 3), (progress.GetProperty("counts").GetProperty("customers").GetInt32(), progress.GetProperty("counts").GetProperty("subscriptions").GetInt32()));
        var unmapped = progress.GetProperty("unmapped_products").EnumerateArray().Single(p => Text(p, "id") == s.ApiProduct.Id);
        Assert.True(unmapped.GetProperty("subscribed").GetBoolean());

        // Acme existed (key id=acme, matched by the customer's metadata): Pro at the price's version, the add-on, 5 seats.
        var acme = await s.CompanyOfAsync(s.Acme.Id);
        Assert.Equal(s.AcmeCompany, Text(acme, "id"));
        Assert.Equal(s.Pro, Text(acme, "base_plan_id"));
        Assert.Equal([s.Support], acme.GetProperty("add_on_ids").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains(s.ProVersion, acme.GetProperty("plan_version_ids").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(5, acme.GetProperty("traits").GetProperty("seats").GetInt32());
        var billing = acme.GetProperty("billing_subscription");
        Assert.Equal((acmeSubscription.Id, s.Acme.Id, "active", 5L), (Text(billing, "subscription_external_id"), Text(billing, "customer_external_id"), Text(billing, "status"), billing.GetProperty("seats").GetInt64()));
        Assert.Equal(3, billing.GetProperty("products").GetArrayLength());
        var item = acmeSubscription.Items.Data.Single(i => i.Price.Id == s.ProMonthly.Id);
        Assert.Equal(new DateTimeOffset(item.CurrentPeriodStart, TimeSpan.Zero), DateTimeOffset.FromUnixTimeSeconds(billing.GetProperty("period_start").GetInt64()));
        Assert.Equal(new DateTimeOffset(item.CurrentPeriodEnd, TimeSpan.Zero), acme.GetProperty("subscription").GetProperty("period_end").GetDateTimeOffset());
        Assert.Equal(acmeSubscription.Id, Text(acme.GetProperty("subscription"), "id"));
        Assert.True(await s.CheckAsync("sso", s.Acme.Id));
        Assert.True(await s.CheckAsync("priority-support", s.Acme.Id));
        Assert.True((await s.Api.PostAsync("/flags/sso/check", new { company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("value").GetBoolean());

        // Globex is new: named after the customer, keyed by it, trialing on Starter (mapped by name).
        var globexCompany = await s.CompanyOfAsync(globex.Id);
        Assert.Equal("Globex Inc", Text(globexCompany, "name"));
        Assert.Equal(s.Starter, Text(globexCompany, "base_plan_id"));
        var trial = globexCompany.GetProperty("billing_subscription");
        Assert.Equal(("trialing", globexSubscription.Id), (Text(trial, "status"), Text(trial, "subscription_external_id")));
        Assert.Equal(new DateTimeOffset(globexSubscription.TrialEnd!.Value, TimeSpan.Zero), DateTimeOffset.FromUnixTimeSeconds(trial.GetProperty("trial_end").GetInt64()));
        Assert.True(await s.CheckAsync("reports", globex.Id));
        Assert.False(await s.CheckAsync("sso", globex.Id));

        // Initech's only subscription ended: the fallback plan, no period.
        var initechCompany = await s.CompanyOfAsync(initech.Id);
        Assert.Equal(s.Free, Text(initechCompany, "base_plan_id"));
        Assert.Equal("canceled", Text(initechCompany.GetProperty("billing_subscription"), "status"));
        Assert.Equal(JsonValueKind.Null, initechCompany.GetProperty("subscription").ValueKind);
        Assert.False(await s.CheckAsync("sso", initech.Id));
    }

    [Fact]
    public async Task AnImportThatFailsPartWayResumesFromItsCursorWithoutDuplicates()
    {
        var s = await BillingScenario.CreateAsync(server);
        for (var i = 0; i < 119; i++)
        {
            await s.CustomerAsync($"Customer {i}", $"c{i}@example.test");
        }

        // The first page of customers passes, the second fails (Stripe.net's retries are off in these tests).
        server.Fake.Faults.Enqueue(Fault.Latency(TimeSpan.Zero), "/v1/customers*", method: "GET");
        server.Fake.Faults.Enqueue(Fault.ServerError(500), "/v1/customers*", method: "GET");
        var failed = await s.ImportAsync();

        Assert.Equal(("failed", "customers"), (Text(failed, "status"), Text(failed, "phase")));
        Assert.Equal(100, failed.GetProperty("counts").GetProperty("customers").GetInt32());
        Assert.Contains("500", Text(failed, "error"), StringComparison.Ordinal);
        var cursor = Text(failed, "cursor");
        Assert.StartsWith("cus_", cursor, StringComparison.Ordinal);
        Assert.Equal(100 + 1, (await s.Api.GetAsync("/companies/count")).Data.GetProperty("count").GetInt32());

        var resumed = await s.ImportAsync();

        Assert.Equal(("completed", "done"), (Text(resumed, "status"), Text(resumed, "phase")));
        Assert.Equal(120, resumed.GetProperty("counts").GetProperty("customers").GetInt32());
        Assert.Equal(4, resumed.GetProperty("counts").GetProperty("products").GetInt32());
        Assert.Equal(failed.GetProperty("started_at").GetDateTimeOffset(), resumed.GetProperty("started_at").GetDateTimeOffset());
        var customerPages = s.World.Stripe.RequestsTo("/v1/customers", "GET");
        Assert.Equal(cursor, (string?)customerPages[^1].Params["starting_after"]);
        Assert.Equal(120, (await s.Api.GetAsync("/companies/count")).Data.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task ASecondImportDuplicatesNothingAndRewritesNothingUnchanged()
    {
        var s = await BillingScenario.CreateAsync(server);
        await s.SubscribeAsync(s.Acme, null, (s.ProMonthly, 3));
        var globex = await s.CustomerAsync("Globex Inc");
        await s.SubscribeAsync(globex, 7, (s.StarterMonthly, 1));
        await s.ImportAsync();
        var companiesBefore = (await s.Api.GetAsync("/companies")).ShouldBe(HttpStatusCode.OK).Data.GetRawText();
        var productsBefore = (await s.Api.GetAsync("/billing/products")).Data.GetRawText();
        var pricesBefore = (await s.Api.GetAsync("/billing/prices")).Data.GetRawText();
        var auditBefore = (await s.Api.GetAsync("/audit-log?limit=1000")).ShouldBe(HttpStatusCode.OK).Data.GetArrayLength();

        var again = await s.ImportAsync();

        Assert.Equal("completed", Text(again, "status"));
        Assert.Equal(2, again.GetProperty("counts").GetProperty("customers").GetInt32());
        Assert.Equal(companiesBefore, (await s.Api.GetAsync("/companies")).Data.GetRawText());
        Assert.Equal(productsBefore, (await s.Api.GetAsync("/billing/products")).Data.GetRawText());
        Assert.Equal(pricesBefore, (await s.Api.GetAsync("/billing/prices")).Data.GetRawText());
        Assert.Equal(auditBefore, (await s.Api.GetAsync("/audit-log?limit=1000")).Data.GetArrayLength());
    }

    [Fact]
    public async Task TheFirstConnectStartsAnImportUnlessToldNot()
    {
        var world = await StripeWorld.CreateAsync(server, connect: false);
        await world.Stripe.CreateClient().V1.Products.CreateAsync(new global::Stripe.ProductCreateOptions { Name = "Solo" });

        (await world.Api.PutAsync("/billing/stripe/connection", new { secret_key = world.Stripe.ApiKey, webhook_secret = world.WebhookSecret })).ShouldBe(HttpStatusCode.OK);
        await server.Services.GetRequiredService<Server.Billing.StripeImporter>().WaitAsync(world.Api.EnvironmentId!).WaitAsync(TimeSpan.FromSeconds(60));

        var progress = (await world.Api.GetAsync("/billing/stripe/import")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("completed", Text(progress, "status"));
        Assert.Equal(1, progress.GetProperty("counts").GetProperty("products").GetInt32());
        var connection = (await world.Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("completed", Text(connection.GetProperty("status").GetProperty("import"), "status"));

        var quiet = await StripeWorld.CreateAsync(server);
        (await quiet.Api.GetAsync("/billing/stripe/import")).ShouldFail(HttpStatusCode.NotFound, "import");
    }

    [Fact]
    public async Task ASecondStartWhileAnImportRunsAnswersTheRunningOne()
    {
        var s = await BillingScenario.CreateAsync(server);
        server.Fake.Faults.Enqueue(Fault.Latency(TimeSpan.FromMilliseconds(500)), "/v1/products", method: "GET");

        var first = (await s.Api.PostAsync("/billing/stripe/import", new { })).ShouldBe(HttpStatusCode.Accepted).Data;
        var second = (await s.Api.PostAsync("/billing/stripe/import", new { })).ShouldBe(HttpStatusCode.Accepted).Data;
        var done = await s.ImportFinishedAsync();

        Assert.Equal(("running", "running"), (Text(first, "status"), Text(second, "status")));
        Assert.Equal(first.GetProperty("started_at").GetDateTimeOffset(), second.GetProperty("started_at").GetDateTimeOffset());
        Assert.Equal("completed", Text(done, "status"));
        Assert.Single(s.World.Stripe.RequestsTo("/v1/products", "GET"));
    }

    [Theory]
    [InlineData("/billing/products/{product}", "{\"plan_id\":7}")]
    [InlineData("/billing/products/{product}", "{\"plan_id\":")]
    [InlineData("/billing/products/{product}", "[]")]
    [InlineData("/billing/prices/{price}", "{\"plan_version_id\":[1]}")]
    [InlineData("/billing/prices/{price}", "nonsense")]
    public async Task AMalformedMappingBodyIsA400(string path, string body)
    {
        var s = await BillingScenario.CreateAsync(server);
        await s.SyncAsync(Server.Billing.StripeObjectTypes.Price, s.ProMonthly.Id);

        var response = await s.Api.SendRawAsync(HttpMethod.Put, path.Replace("{product}", s.ProProduct.Id, StringComparison.Ordinal).Replace("{price}", s.ProMonthly.Id, StringComparison.Ordinal), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task ImportingWithoutAConnectionIsAConflict()
    {
        var api = await server.NewEnvironmentAsync();

        (await api.PostAsync("/billing/stripe/import", new { })).ShouldFail(HttpStatusCode.Conflict, "not connected");
    }

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;
}

public sealed class StripeImportTestsOnSqlite(StripeSqliteServer server) : StripeImportTests(server), IClassFixture<StripeSqliteServer>;

public sealed class StripeImportTestsOnPostgres(StripePostgresServer server) : StripeImportTests(server), IClassFixture<StripePostgresServer>;
