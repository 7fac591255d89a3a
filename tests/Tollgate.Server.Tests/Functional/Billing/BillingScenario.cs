using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Stripe;
using Tollgate.FakeStripe;
using Tollgate.Server.Billing;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// Plans made through Tollgate's API and a catalog made in the fake Stripe that sells them:
/// <list type="bullet">
/// <item>Tollgate: plans Free (fallback), Starter (<c>reports</c>), Pro (<c>sso</c>, <c>reports</c>), add-on Priority Support
/// (<c>priority-support</c>); trait <c>seats</c>; the company <c>acme</c> exists already.</item>
/// <item>Stripe: product "Pro" (metadata <c>tollgate_plan_id</c>) with a monthly per-seat price naming Pro's version and a
/// yearly price; product "starter" (mapped by name); product "Priority Support" (add-on by name); product "API calls"
/// with a metered price (mapped to nothing); customer Acme (metadata <c>id: acme</c>).</item>
/// </list>
/// </summary>
public sealed record BillingScenario(
    StripeWorld World,
    StripeClient Stripe,
    string Free,
    string Starter,
    string Pro,
    string ProVersion,
    string Support,
    string AcmeCompany,
    Product ProProduct,
    Price ProMonthly,
    Price ProYearly,
    Product StarterProduct,
    Price StarterMonthly,
    Product SupportProduct,
    Price SupportMonthly,
    Product ApiProduct,
    Price ApiMetered,
    Customer Acme)
{
    /// <summary>The scenario in a new environment connected to a new fake Stripe account.</summary>
    public static async Task<BillingScenario> CreateAsync(StripeTollgateFactory server, string pastDuePolicy = "keep")
    {
        ArgumentNullException.ThrowIfNull(server);
        var world = await StripeWorld.CreateAsync(server, connect: false);
        var api = world.Api;
        await Given.TraitAsync(api, "seats");
        var sso = await Given.BooleanFeatureAsync(api, "sso");
        var reports = await Given.BooleanFeatureAsync(api, "reports");
        var priority = await Given.BooleanFeatureAsync(api, "priority-support");
        var free = await Given.PlanAsync(api, "Free");
        var starter = await Given.PlanAsync(api, "Starter");
        var pro = await Given.PlanAsync(api, "Pro");
        var support = await Given.PlanAsync(api, "Priority Support", "add_on");
        await Given.EntitlementAsync(api, new { planId = starter, featureId = reports, valueType = "boolean", valueBool = true });
        await Given.EntitlementAsync(api, new { planId = pro, featureId = reports, valueType = "boolean", valueBool = true });
        await Given.EntitlementAsync(api, new { planId = pro, featureId = sso, valueType = "boolean", valueBool = true });
        await Given.EntitlementAsync(api, new { planId = support, featureId = priority, valueType = "boolean", valueBool = true });
        var proVersion = (await api.GetAsync($"/plans/{pro}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("active_version").GetProperty("id").GetString()!;
        var acmeCompany = await Given.CompanyAsync(api, "acme");
        (await world.ConnectAsync(new Dictionary<string, object?>
        {
            ["fallback_plan_id"] = free, ["past_due_policy"] = pastDuePolicy, ["seats_trait"] = "seats",
        })).ShouldBe(HttpStatusCode.OK);

        var stripe = world.Stripe.CreateClient();
        var proProduct = await stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Pro", Metadata = new() { ["tollgate_plan_id"] = pro } });
        var proMonthly = await stripe.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = proProduct.Id, Currency = "usd", UnitAmount = 2_000, Recurring = new PriceRecurringOptions { Interval = "month" },
            Metadata = new() { ["tollgate_plan_version_id"] = proVersion },
        });
        var proYearly = await stripe.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = proProduct.Id, Currency = "usd", UnitAmount = 20_000, Recurring = new PriceRecurringOptions { Interval = "year" },
        });
        var starterProduct = await stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = "starter" });
        var starterMonthly = await stripe.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = starterProduct.Id, Currency = "usd", UnitAmount = 900, Recurring = new PriceRecurringOptions { Interval = "month" },
        });
        var supportProduct = await stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Priority Support" });
        var supportMonthly = await stripe.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = supportProduct.Id, Currency = "usd", UnitAmount = 500, Recurring = new PriceRecurringOptions { Interval = "month" },
        });
        var meter = await stripe.V1.Billing.Meters.CreateAsync(new global::Stripe.Billing.MeterCreateOptions
        {
            DisplayName = "API calls", EventName = $"api_call_{Guid.NewGuid():N}", DefaultAggregation = new() { Formula = "sum" },
        });
        var apiProduct = await stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = "API calls" });
        var apiMetered = await stripe.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = apiProduct.Id, Currency = "usd", UnitAmount = 1, Recurring = new PriceRecurringOptions { Interval = "month", UsageType = "metered", Meter = meter.Id },
        });
        var acme = await stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Name = "Acme Corp", Email = "billing@acme.test", Metadata = new() { ["id"] = "acme" } });
        return new BillingScenario(
            world, stripe, free, starter, pro, proVersion, support, acmeCompany, proProduct, proMonthly, proYearly, starterProduct, starterMonthly, supportProduct, supportMonthly,
            apiProduct, apiMetered, acme);
    }

    /// <summary>The environment's API.</summary>
    public ApiClient Api => World.Api;

    /// <summary>A new customer.</summary>
    public Task<Customer> CustomerAsync(string name, string? email = null, Dictionary<string, string>? metadata = null) =>
        Stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Name = name, Email = email, Metadata = metadata });

    /// <summary>A subscription of a customer to prices (with quantities), optionally on a trial.</summary>
    public Task<Subscription> SubscribeAsync(Customer customer, int? trialDays, params (Price Price, long? Quantity)[] items) =>
        Stripe.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id,
            TrialPeriodDays = trialDays,
            Items = [.. items.Select(i => new SubscriptionItemOptions { Price = i.Price.Id, Quantity = i.Price.Recurring?.UsageType == "metered" ? null : i.Quantity })],
        });

    /// <summary>Starts (or resumes) the import and waits until it is no longer running; answers the progress.</summary>
    public async Task<JsonElement> ImportAsync()
    {
        (await Api.PostAsync("/billing/stripe/import", new { })).ShouldBe(HttpStatusCode.Accepted);
        return await ImportFinishedAsync();
    }

    /// <summary>
    /// Waits until the import is no longer running; answers its progress. The deadline (60 s) is for a two-core machine
    /// running the whole suite: an import of a few objects has taken over 10 s there.
    /// </summary>
    public async Task<JsonElement> ImportFinishedAsync()
    {
        var importer = World.Server.Services.GetRequiredService<StripeImporter>();
        await importer.WaitAsync(Api.EnvironmentId!).WaitAsync(TimeSpan.FromSeconds(60));
        var progress = (await Api.GetAsync("/billing/stripe/import")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.NotEqual("running", progress.GetProperty("status").GetString());
        return progress;
    }

    /// <summary>Syncs one object through <see cref="IStripeObjectSync"/>, as the webhook worker does.</summary>
    public async Task SyncAsync(string objectType, string objectId)
    {
        var connection = await World.Server.Services.GetRequiredService<StripeConnections>().RequireAsync(Api.EnvironmentId!, default);
        await World.Server.Services.GetRequiredService<IStripeObjectSync>().SyncAsync(connection, objectType, objectId, default);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (≤ 10 s); fails with <paramref name="what"/> otherwise.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within 10 s: {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Delivers every event the fake emitted since <c>Collect</c> to the environment's webhook endpoint; each must be acknowledged.</summary>
    public async Task DeliverWebhooksAsync(WebhookDeliveryPlan? plan = null)
    {
        var deliveries = await World.Webhooks.FlushAsync(World.WebhookUri, plan);
        Assert.All(deliveries, d => Assert.Equal(200, d.Status));
    }

    /// <summary>The company keyed by a Stripe customer.</summary>
    public async Task<JsonElement> CompanyOfAsync(string customerId) =>
        (await Api.GetAsync($"/companies/lookup?keys[stripe_customer_id]={customerId}")).ShouldBe(HttpStatusCode.OK).Data;

    /// <summary>A flag's value for the company keyed by a Stripe customer.</summary>
    public async Task<bool> CheckAsync(string flag, string customerId) =>
        (await Api.PostAsync($"/flags/{flag}/check", new { company = new Dictionary<string, string> { ["stripe_customer_id"] = customerId } }))
            .ShouldBe(HttpStatusCode.OK).Data.GetProperty("value").GetBoolean();
}
