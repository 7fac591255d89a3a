using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stripe;
using Tollgate.FakeStripe;
using Tollgate.Server;

namespace Tollgate.LoadTools;

/// <summary>
/// Webhook-to-check latency: the real server (in this process, on Kestrel, over loopback HTTP) connected to the fake
/// Stripe; a company is moved between two plans by changing its subscription in Stripe, and the time is taken from the
/// 200 of the webhook delivery to the first check answer that shows the new plan. The baseline, measured in the same
/// run on the same server: the same move made directly with <c>PUT /company-plans</c>, from its 200 to the first
/// check that shows it.
/// </summary>
internal static class WebhookLatency
{
    private const string ApiKey = "tg_sk_webhook_latency_0123456789";
    private const string WebhookSecret = "whsec_webhook_latency_0123456789";

    public static async Task<int> RunAsync(string store, string connectionString, int samples)
    {
        await using var fake = await FakeStripeServer.StartAsync();
        await using var app = TollgateServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Tollgate:Storage:Provider"] = store;
            builder.Configuration["Tollgate:Storage:ConnectionString"] = connectionString;
            builder.Configuration["Tollgate:Demo"] = "false";
            builder.Configuration["Tollgate:ApiKey"] = ApiKey;
            builder.Configuration["Tollgate:Stripe:ApiBase"] = fake.BaseUrl;
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.Services.GetRequiredService<Bootstrap>().RunAsync(CancellationToken.None);
        await app.StartAsync();
        var baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Schematic-Api-Key", ApiKey);

        var world = await SetUpAsync(http, fake);
        var sender = new WebhookSender(WebhookSecret, http);
        sender.Collect(fake);
        var webhook = new Uri(baseUrl, $"webhooks/stripe/{world.EnvironmentId}");

        // The company starts on Pro through Stripe.
        var subscription = await fake.CreateClient().V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = world.CustomerId,
            Items = [new SubscriptionItemOptions { Price = world.ProPrice }],
        });
        await sender.FlushAsync(webhook);
        await UntilAsync(http, expected: true, Stopwatch.StartNew());

        var viaWebhook = new List<double>(samples);
        var viaApi = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var toPro = i % 2 == 1;
            await fake.CreateClient().V1.Subscriptions.UpdateAsync(subscription.Id, new SubscriptionUpdateOptions
            {
                Items = [new SubscriptionItemOptions { Id = subscription.Items.Data[0].Id, Price = toPro ? world.ProPrice : world.BasicPrice }],
                ProrationBehavior = "none",
            });
            var deliveries = await sender.FlushAsync(webhook);
            var acknowledged = Stopwatch.StartNew();
            if (deliveries.Any(d => d.Status != 200))
            {
                Console.Error.WriteLine($"sample {i}: a delivery was answered {deliveries.First(d => d.Status != 200).Status}");
                return 1;
            }

            viaWebhook.Add(await UntilAsync(http, toPro, acknowledged));
        }

        // Baseline: the same moves through the management API (the company ends where the webhooks left it).
        var onPro = samples % 2 == 0;
        for (var i = 0; i < samples; i++)
        {
            onPro = !onPro;
            (await http.PutAsJsonAsync($"company-plans/{world.CompanyId}", new { base_plan_id = onPro ? world.ProPlan : world.BasicPlan })).EnsureSuccessStatusCode();
            var acknowledged = Stopwatch.StartNew();
            viaApi.Add(await UntilAsync(http, onPro, acknowledged));
        }

        await app.StopAsync();
        viaWebhook.Sort();
        viaApi.Sort();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $$"""RESULT {"store":"{{store}}","samples":{{samples}},"webhook_p50_ms":{{Percentile(viaWebhook, 0.50):F2}},"webhook_p90_ms":{{Percentile(viaWebhook, 0.90):F2}},"webhook_p99_ms":{{Percentile(viaWebhook, 0.99):F2}},"webhook_max_ms":{{viaWebhook[^1]:F2}},"api_p50_ms":{{Percentile(viaApi, 0.50):F2}},"api_p99_ms":{{Percentile(viaApi, 0.99):F2}},"api_max_ms":{{viaApi[^1]:F2}}}"""));
        return 0;
    }

    /// <summary>Polls the check of <c>sso</c> (on Pro only) until it answers <paramref name="expected"/>; answers the milliseconds taken.</summary>
    private static async Task<double> UntilAsync(HttpClient http, bool expected, Stopwatch since)
    {
        while (true)
        {
            using var response = await http.PostAsJsonAsync("flags/sso/check", new { company = new { id = "acme" } });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (body.GetProperty("data").GetProperty("value").GetBoolean() == expected)
            {
                return since.Elapsed.TotalMilliseconds;
            }

            if (since.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"the check did not become {expected} within 10 s");
            }
        }
    }

    /// <summary>Plans Basic and Pro (Pro grants sso), their products and prices in Stripe, the company acme and its customer.</summary>
    private static async Task<World> SetUpAsync(HttpClient http, FakeStripeServer fake)
    {
        var environmentId = (await GetDataAsync(http, "environment")).GetProperty("id").GetString()!;
        var sso = (await PostDataAsync(http, "features", new { name = "SSO", feature_type = "boolean", flag = new { key = "sso", default_value = false } })).GetProperty("id").GetString()!;
        var basic = (await PostDataAsync(http, "plans", new { name = "Basic", plan_type = "plan" })).GetProperty("id").GetString()!;
        var pro = (await PostDataAsync(http, "plans", new { name = "Pro", plan_type = "plan" })).GetProperty("id").GetString()!;
        await PostDataAsync(http, "plan-entitlements", new { plan_id = pro, feature_id = sso, value_type = "boolean", value_bool = true });
        var company = (await PostDataAsync(http, "companies", new { keys = new { id = "acme" }, name = "Acme", base_plan_id = basic })).GetProperty("id").GetString()!;
        (await http.PutAsJsonAsync("billing/stripe/connection", new { secret_key = fake.ApiKey, webhook_secret = WebhookSecret, import = false })).EnsureSuccessStatusCode();

        var stripe = fake.CreateClient();
        async Task<string> PriceAsync(string planId, string name, long amount)
        {
            var product = await stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = name, Metadata = new() { ["tollgate_plan_id"] = planId } });
            var price = await stripe.V1.Prices.CreateAsync(new PriceCreateOptions
            {
                Product = product.Id,
                Currency = "usd",
                UnitAmount = amount,
                Recurring = new PriceRecurringOptions { Interval = "month" },
            });
            return price.Id;
        }

        var customer = await stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Name = "Acme", Metadata = new() { ["id"] = "acme" } });
        return new World(environmentId, company, basic, pro, await PriceAsync(basic, "Basic", 1000), await PriceAsync(pro, "Pro", 5000), customer.Id);
    }

    private static async Task<JsonElement> GetDataAsync(HttpClient http, string path) =>
        (await http.GetFromJsonAsync<JsonElement>(path)).GetProperty("data");

    private static async Task<JsonElement> PostDataAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private sealed record World(string EnvironmentId, string CompanyId, string BasicPlan, string ProPlan, string BasicPrice, string ProPrice, string CustomerId);
}
