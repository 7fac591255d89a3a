using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Billing;
using Tollgate.Server.Tests.Components.Checkout;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.SdkClient;

namespace Tollgate.Server.Tests.Components;

/// <summary>
/// The components' remaining routes (issue 13): the company's invoices and next invoice from Stripe for the components
/// and the browser SDK, the hydrate fields that come from Stripe and the credits area, and the browser SDK's hardening
/// (CORS on <c>POST /e</c>, allowed origins on the bootstrap WebSocket). Shapes are judged by the Node SDK's own types.
/// </summary>
public abstract class ComponentRoutesTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task InvoicesSubscriptionAndCheckoutFieldsComeFromStripeInTheSdksShapesAndACompanyStripeDoesNotBillHasNone()
    {
        var w = await CheckoutWorld.CreateAsync(server, new
        {
            customCheckoutFields = new[] { new { id = "cf_vat", name = "VAT number", required = true, stripeMetadataKey = "vat" } },
        });
        var (company, subscriptionId, itemId) = await w.SubscribedToProAsync("acme", seats: 2);
        var browser = await w.TokenAsync("acme");
        var periodEnd = DateTimeOffset.FromUnixTimeSeconds((long)w.Stripe.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]![0]!["current_period_end"]!);

        var hydrate = (await browser.GetAsync("/components/hydrate")).ShouldBe(HttpStatusCode.OK).Data;
        var subscription = hydrate.GetProperty("subscription");
        Assert.Equal((subscriptionId, "active", "stripe", 3000L, "month"), (
            subscription.GetProperty("subscription_external_id").GetString(), subscription.GetProperty("status").GetString(), subscription.GetProperty("provider_type").GetString(),
            subscription.GetProperty("total_price").GetInt64(), subscription.GetProperty("interval").GetString()));
        var product = Assert.Single(subscription.GetProperty("products").EnumerateArray());
        Assert.Equal((w.ProMonthly, 2L, 1500L, itemId), (
            product.GetProperty("price_id").GetString(), product.GetProperty("quantity").GetInt64(), product.GetProperty("price").GetInt64(),
            product.GetProperty("subscription_item_external_id").GetString()));

        // The next invoice is Stripe's preview of the subscription's renewal: two seats of Pro, due when the period ends.
        var upcoming = hydrate.GetProperty("upcoming_invoice");
        Assert.Equal((3000L, "usd", periodEnd), (upcoming.GetProperty("amount_due").GetInt64(), upcoming.GetProperty("currency").GetString(), upcoming.GetProperty("due_date").GetDateTimeOffset()));
        Assert.Equal(subscriptionId, (string?)Assert.Single(w.Stripe.Stripe.RequestsTo("/v1/invoices/create_preview", "POST")).Params["subscription"]);
        Assert.False(hydrate.GetProperty("stripe_embed").GetProperty("account_id").ValueKind == JsonValueKind.Undefined);
        var field = Assert.Single(hydrate.GetProperty("custom_checkout_fields").EnumerateArray());
        Assert.Equal(("cf_vat", "vat", JsonValueKind.Null), (field.GetProperty("id").GetString(), field.GetProperty("stripe_metadata_key").GetString(), field.GetProperty("value").ValueKind));
        (await browser.PostAsync("/checkout/custom-field-values", new { values = new[] { new { id = "cf_vat", value = "GB123" } } })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal("GB123", (await browser.GetAsync("/components/hydrate")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("custom_checkout_fields")[0].GetProperty("value").GetString());

        // The components' own routes: the next invoice by component, the invoices made so far (the first one, paid).
        var component = (await w.Api.PostAsync("/components", new { name = "Portal", entity_type = "billing", ast = new Dictionary<string, double> { ["0"] = 1 } })).ShouldBe(HttpStatusCode.OK).Id;
        var byComponent = (await browser.GetAsync($"/components/{component}/hydrate/upcoming-invoice")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(3000, byComponent.Data.GetProperty("amount_due").GetInt64());
        (await browser.GetAsync("/components/cmpn_missing/hydrate/upcoming-invoice")).ShouldFail(HttpStatusCode.NotFound, "component");
        var invoices = (await browser.GetAsync("/components/invoices")).ShouldBe(HttpStatusCode.OK);
        var first = Assert.Single(invoices.Data.EnumerateArray());
        Assert.Equal(("paid", 3000L, company, subscriptionId), (
            first.GetProperty("status").GetString(), first.GetProperty("amount_paid").GetInt64(), first.GetProperty("company_id").GetString(),
            first.GetProperty("subscription_external_id").GetString()));

        // The browser SDK's routes: one page of invoices with the count, and the next bill.
        var page = (await browser.GetAsync("/company/invoices?limit=10&offset=0")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal((1L, first.GetProperty("external_id").GetString(), "paid"), (
            page.GetProperty("count").GetInt64(), page.GetProperty("invoices")[0].GetProperty("id").GetString(), page.GetProperty("invoices")[0].GetProperty("status").GetString()));
        Assert.Empty((await browser.GetAsync("/company/invoices?limit=10&offset=1")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("invoices").EnumerateArray());
        (await browser.GetAsync("/company/invoices?include_pending=maybe")).ShouldFail(HttpStatusCode.BadRequest, "include_pending");
        var bill = (await browser.GetAsync("/company/upcoming-invoice")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal((3000L, 3000L, 0L, periodEnd), (
            bill.GetProperty("amount_due").GetInt64(), bill.GetProperty("subtotal").GetInt64(), bill.GetProperty("customer_balance_applied").GetInt64(),
            bill.GetProperty("due_date").GetDateTimeOffset()));

        // Judged by the Node SDK's types: the parts of the editor's preview built here (the rest of the hydrate answer is
        // the plan group's and the company's), the invoice list and the next invoice.
        var preview = (await w.Api.GetAsync($"/components/preview-data?company_id={company}")).ShouldBe(HttpStatusCode.OK);
        Assert.Single(preview.Data.GetProperty("invoices").EnumerateArray());
        Assert.False(hydrate.TryGetProperty("invoices", out _));
        var data = preview.Data;
        await AssertSdkShapesAsync(
            ("subscription", "CompanySubscriptionResponseData.Raw", data.GetProperty("subscription")),
            ("upcoming_invoice", "UpcomingInvoiceResponseData.Raw", data.GetProperty("upcoming_invoice")),
            ("invoices", "InvoiceResponseData.Raw", data.GetProperty("invoices")[0]),
            ("stripe_embed", "StripeEmbedInfo.Raw", data.GetProperty("stripe_embed")),
            ("custom_checkout_fields", "CheckoutFieldWithValue.Raw", data.GetProperty("custom_checkout_fields")[0]),
            ("list", "ListInvoicesResponse", invoices.Body),
            ("upcoming", "UpcomingInvoiceResponseData.Raw", byComponent.Data));

        // A company Stripe does not bill: no subscription, no invoices, no next bill (204 for the browser SDK).
        await Given.CompanyAsync(w.Api, "globex");
        var stranger = await w.TokenAsync("globex");
        var bare = (await stranger.GetAsync("/components/hydrate")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (bare.GetProperty("subscription").ValueKind, bare.GetProperty("upcoming_invoice").ValueKind));
        Assert.Empty((await stranger.GetAsync("/components/invoices")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        Assert.Equal(JsonValueKind.Null, (await stranger.GetAsync($"/components/{component}/hydrate/upcoming-invoice")).ShouldBe(HttpStatusCode.OK).Data.ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, (await stranger.GetAsync("/company/upcoming-invoice")).Status);
        Assert.Equal(0, (await stranger.GetAsync("/company/invoices?limit=5&offset=0")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());

        // The routes take a token only: a secret key does not say which company it reads.
        (await w.Api.GetAsync("/company/invoices")).ShouldFail(HttpStatusCode.Forbidden, "temporary access token");
        (await w.Api.GetAsync("/components/invoices")).ShouldFail(HttpStatusCode.Forbidden, "temporary access token");
    }

    [Fact]
    public async Task WithoutStripeTheHydrateShowsCreditsAndUsageAndTheBrowserRoutesAnswerOnlyAllowedOrigins()
    {
        // An environment with no Stripe connection.
        var api = await server.NewEnvironmentAsync();
        var companyId = await Given.CompanyAsync(api, "acme");
        var credit = (await api.PostAsync("/billing/credits", new { name = "AI tokens" })).ShouldBe(HttpStatusCode.Created).Id;
        (await api.PostAsync("/billing/credits/bundles", new { bundleName = "Starter pack", creditId = credit, currency = "USD", pricePerUnit = 2, quantity = 500 }))
            .ShouldBe(HttpStatusCode.Created);
        (await api.PostAsync("/billing/credits/grants/company", new { companyId, creditId = credit, quantity = 300, reason = "purchased" })).ShouldBe(HttpStatusCode.Created);
        var token = (await api.PostAsync("/temporary-access-tokens", new { resource_type = "company", lookup = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("token").GetString()!;
        var browser = server.Api(token);

        var hydrate = (await browser.GetAsync("/components/hydrate")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(("Starter pack", credit, 500.0), (
            hydrate.GetProperty("credit_bundles")[0].GetProperty("name").GetString(), hydrate.GetProperty("credit_bundles")[0].GetProperty("credit_id").GetString(),
            hydrate.GetProperty("credit_bundles")[0].GetProperty("quantity").GetDouble()));
        var grant = Assert.Single(hydrate.GetProperty("credit_grants").EnumerateArray());
        Assert.Equal((credit, 300.0, 300.0, "purchased"), (
            grant.GetProperty("billing_credit_id").GetString(), grant.GetProperty("quantity").GetDouble(), grant.GetProperty("quantity_remaining").GetDouble(),
            grant.GetProperty("grant_reason").GetString()));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (hydrate.GetProperty("stripe_embed").ValueKind, hydrate.GetProperty("upcoming_invoice").ValueKind));
        Assert.Empty((await browser.GetAsync("/components/invoices")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await browser.GetAsync("/company/upcoming-invoice")).Status);
        await AssertSdkShapesAsync(
            ("credit_bundles", "BillingCreditBundleView.Raw", hydrate.GetProperty("credit_bundles")[0]),
            ("credit_grants", "CreditCompanyGrantView.Raw", grant));

        // POST /e: CORS for an origin the key's environment allows (the key is in the event), none for another.
        (await api.PutAsync("/component-origins", new { origins = new[] { "https://app.example" } })).ShouldBe(HttpStatusCode.OK);
        var publishable = (await api.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("key").GetString()!;
        using var http = server.CreateClient();
        async Task<HttpResponseMessage> CaptureAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/e")
            {
                Content = new StringContent(
                    JsonSerializer.Serialize(new
                    {
                        api_key = publishable, type = "track", tracker_event_id = Guid.NewGuid().ToString(), tracker_user_id = Guid.NewGuid().ToString(),
                        sent_at = server.Time.GetUtcNow().ToString("O"), body = new { @event = "api_call", company = Given.Keys("acme"), quantity = 1, traits = new { } },
                    }), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Origin", origin);
            return await http.SendAsync(request);
        }

        using var allowed = await CaptureAsync("https://app.example");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("https://app.example", allowed.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? string.Join(",", values) : null);
        using var other = await CaptureAsync("https://evil.example");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));

        // The bootstrap WebSocket: refused at the upgrade for a browser origin the environment does not allow; served
        // for an allowed one and for a client sending no Origin (a server SDK).
        async Task<WebSocket> ConnectAsync(string? origin)
        {
            var client = server.Server.CreateWebSocketClient();
            if (origin is not null)
            {
                client.ConfigureRequest = r => r.Headers.Origin = origin;
            }

            return await client.ConnectAsync(new Uri(server.Server.BaseAddress, $"/flags/bootstrap?apiKey={publishable}"), CancellationToken.None);
        }

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => ConnectAsync("https://evil.example"));
        using (var page = await ConnectAsync("https://app.example"))
        {
            Assert.Equal(WebSocketState.Open, page.State);
        }

        using var sdk = await ConnectAsync(null);
        Assert.Equal(WebSocketState.Open, sdk.State);
    }

    [Fact]
    public async Task TheWholeHydrateAndPricingTableAreTheSdksShapesWithPeriodsPlanCreditsUsageBasedPricesAndThePublishableKey()
    {
        // Pro: 1,500 a seat a month or 15,000 a year, 1,000 API calls a month with usage past them billed by a metered
        // Stripe price (its meter bills the api_call events), and 50 AI tokens a month.
        var world = await StripeWorld.CreateAsync(server);
        var api = world.Api;
        var calls = await Given.EventFeatureAsync(api, "api-calls", "api_call");
        var meter = (await api.PostAsync("/billing/meters", new { event_subtype = "api_call", display_name = "API calls" })).ShouldBe(HttpStatusCode.Created).Id;
        var (pro, version) = await Functional.Billing.OutboundGiven.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = pro, featureId = calls, valueType = "numeric", valueNumeric = 1000, metricPeriod = "current_month" });
        var pushed = (await api.PostAsync($"/billing/stripe/plan-versions/{version}/push", new
        {
            prices = new object[] { new { interval = "month", unitAmount = 1500, perSeat = true }, new { interval = "year", unitAmount = 15000, perSeat = false } },
            metered = new object[] { new { eventSubtype = "api_call", unitAmount = 2, meterId = meter } },
        })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("prices");
        var meteredPrice = pushed[2].GetProperty("id").GetString();
        var tokens = (await api.PostAsync("/billing/credits", new { name = "AI tokens" })).ShouldBe(HttpStatusCode.Created).Id;
        (await api.PostAsync("/billing/credits/plan-grants", new { planId = pro, creditId = tokens, creditAmount = 50, resetCadence = "monthly", resetStart = "first_of_month" }))
            .ShouldBe(HttpStatusCode.Created);
        (await api.PostAsync("/plan-groups", new { orderedPlans = new[] { new { planId = pro } }, orderedAddOns = Array.Empty<object>(), addOnIds = Array.Empty<string>() }))
            .ShouldBe(HttpStatusCode.Created);
        (await api.PutAsync("/billing/stripe/connection", new { publishable_key = "sk_test_oops" })).ShouldFail(HttpStatusCode.BadRequest, "publishable_key");
        (await api.PutAsync("/billing/stripe/connection", new { publishable_key = "pk_test_tollgate" })).ShouldBe(HttpStatusCode.OK);

        // Acme subscribes to Pro through Stripe Checkout and uses 1,200 API calls.
        var company = await Given.CompanyAsync(api, "acme");
        var session = (await api.PostAsync("/billing/stripe/checkout-sessions", new { companyId = company, planId = pro, seats = 2, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no" }))
            .ShouldBe(HttpStatusCode.OK).Data;
        var subscriptionId = (string)world.Stripe.Simulate.CompleteCheckout(session.GetProperty("id").GetString()!)["subscription"]!;
        var services = world.Server.Services;
        var connection = await services.GetRequiredService<StripeConnections>().RequireAsync(api.EnvironmentId!, CancellationToken.None);
        await services.GetRequiredService<IStripeObjectSync>().SyncAsync(connection, StripeObjectTypes.Subscription, subscriptionId, CancellationToken.None);
        await Events.SendAsync(api, Events.Track("api_call", "acme", quantity: 1200));
        var issued = (await api.PostAsync("/temporary-access-tokens", new { resource_type = "company", lookup = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data;
        var browser = world.Server.Api(issued.GetProperty("token").GetString());
        var hydrate = await Events.EventuallyAsync(
            async () => (await browser.GetAsync("/components/hydrate")).ShouldBe(HttpStatusCode.OK).Data,
            h => h.GetProperty("active_usage_based_entitlements").EnumerateArray().Any(e => e.GetProperty("usage_quantity").ValueKind == JsonValueKind.Number && e.GetProperty("usage_quantity").GetInt64() == 1200));

        // The periods as the SDK's PlanPriceCadence; the plan's credits; the metered price as overage past the allocation.
        var plan = Assert.Single(hydrate.GetProperty("active_plans").EnumerateArray());
        Assert.Equal(["monthly", "yearly"], plan.GetProperty("available_periods").EnumerateArray().Select(p => p.GetString()));
        var included = Assert.Single(plan.GetProperty("included_credit_grants").EnumerateArray());
        Assert.Equal((tokens, "AI tokens", 50.0, "monthly"), (
            included.GetProperty("credit_id").GetString(), included.GetProperty("credit_name").GetString(), included.GetProperty("credit_amount").GetDouble(),
            included.GetProperty("reset_cadence").GetString()));
        var usageBased = Assert.Single(hydrate.GetProperty("active_usage_based_entitlements").EnumerateArray());
        Assert.Equal((calls, "overage", 1000L, meteredPrice, meteredPrice, "api_call"), (
            usageBased.GetProperty("feature_id").GetString(), usageBased.GetProperty("price_behavior").GetString(), usageBased.GetProperty("value_numeric").GetInt64(),
            usageBased.GetProperty("metered_price").GetProperty("price_id").GetString(), usageBased.GetProperty("monthly_usage_based_price").GetProperty("price_id").GetString(),
            usageBased.GetProperty("metered_price").GetProperty("meter_event_name").GetString()));

        // The card form loads Stripe.js with the account's own publishable key, not on behalf of a platform's account.
        var embed = hydrate.GetProperty("stripe_embed");
        Assert.Equal(("pk_test_tollgate", "pk_test_tollgate", JsonValueKind.Null), (
            embed.GetProperty("publishable_key").GetString(), embed.GetProperty("schematic_publishable_key").GetString(), embed.GetProperty("account_id").ValueKind));
        var intent = (await browser.PostAsync("/components/setup-intent", new { })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("pk_test_tollgate", intent.GetProperty("publishable_key").GetString());

        // The company's subscription: instants as Unix seconds, the period Stripe's.
        var item = world.Stripe.Store.Snapshot(subscriptionId)!["items"]!["data"]![0]!;
        var billing = hydrate.GetProperty("company").GetProperty("billing_subscription");
        Assert.Equal(((long)item["current_period_start"]!, (long)item["current_period_end"]!, 3000L, "month"), (
            billing.GetProperty("period_start").GetInt64(), billing.GetProperty("period_end").GetInt64(), billing.GetProperty("total_price").GetInt64(),
            billing.GetProperty("interval").GetString()));
        Assert.Equal(2, billing.GetProperty("products").GetArrayLength());

        // Judged whole by the Node SDK's types: the editor's preview (the hydrate answer and the invoices), the
        // pricing table, and the company as the management API answers it.
        var preview = (await api.GetAsync($"/components/preview-data?company_id={company}")).ShouldBe(HttpStatusCode.OK);
        var publishable = (await api.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("key").GetString()!;
        var pricing = (await world.Server.Api(publishable).GetAsync("/public/plans")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["monthly", "yearly"], pricing.Data.GetProperty("active_plans")[0].GetProperty("available_periods").EnumerateArray().Select(p => p.GetString()));
        var described = (await api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK);
        await AssertSdkShapesAsync(
            ("preview", "PreviewComponentDataResponse", preview.Body),
            ("public_plans", "GetPublicPlansResponse", pricing.Body),
            ("company", "GetCompanyResponse", described.Body));
    }

    /// <summary>Validates answers against the Node SDK's wire types (tests/sdk-client/validate-shapes.mjs).</summary>
    private static async Task AssertSdkShapesAsync(params (string Name, string Type, JsonElement Body)[] answers)
    {
        var file = Path.Combine(Path.GetTempPath(), $"tollgate-shapes-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(answers.Select(a => new { name = a.Name, type = a.Type, body = a.Body })));
        try
        {
            var (json, stderr) = await SdkDriver.RunScriptAsync("validate-shapes.mjs", [file], TimeSpan.FromMinutes(2), CancellationToken.None);
            var problems = json.GetProperty("problems");
            Assert.All(answers, a => Assert.True(
                problems.GetProperty(a.Name).GetArrayLength() == 0, $"{a.Name} is not a valid {a.Type}: {problems.GetProperty(a.Name)} {stderr}"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>On SQLite.</summary>
public sealed class ComponentRoutesTestsOnSqlite(StripeSqliteServer server) : ComponentRoutesTests(server), IClassFixture<StripeSqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class ComponentRoutesTestsOnPostgres(StripePostgresServer server) : ComponentRoutesTests(server), IClassFixture<StripePostgresServer>;
