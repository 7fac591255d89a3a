using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tollgate.FakeStripe;
using Tollgate.Server.Billing;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;

namespace Tollgate.Server.Tests.Components.Browser;

/// <summary>
/// The components sample against a real Tollgate (Kestrel on SQLite or PostgreSQL, the demo data set, the fake clock)
/// connected to the fake Stripe, with the sample's Node backend started beside it and the run's Chromium (a class fixture).
/// </summary>
/// <remarks>
/// What a customer sets up once: the default environment is connected to Stripe, the demo's Pro (49 a month) and
/// Enterprise (199 a month) are pushed to Stripe as products with prices (Free at 0), a plan group
/// offers Free, Pro and Enterprise, and <see cref="PortalCompany"/> and <see cref="CheckoutCompany"/> are subscribed
/// to Pro through Stripe Checkout, as a new customer would be.
/// </remarks>
public abstract class ComponentsAppServer(StoreKind store) : ConsoleServer(store)
{
    /// <summary>The company whose portal and usage the tests read (the demo's Acme, on Pro through Stripe).</summary>
    public const string PortalCompany = "acme";

    /// <summary>The company that upgrades through the checkout (the demo's Globex, moved to Pro through Stripe).</summary>
    public const string CheckoutCompany = "globex";

    /// <summary>The company behind the paywall (the demo's Initech is on Enterprise, so a company of its own on Free).</summary>
    public const string PaywallCompany = "hooli";

    private readonly FakeStripeBeside _stripe = new();
    private SampleAppProcess? _sample;

    /// <summary>The fake Stripe account the environment is connected to.</summary>
    public FakeStripeAccount Stripe { get; private set; } = null!;

    /// <summary>Where the sample listens (no trailing slash).</summary>
    public string SampleUrl => _sample?.Url ?? throw new InvalidOperationException("InitializeAsync starts the sample.");

    /// <summary>What the sample's backend printed.</summary>
    public string SampleOutput => _sample?.Output ?? "";

    /// <summary>The publishable key the page uses.</summary>
    public string PublishableKey { get; private set; } = "";

    /// <summary>Plan ids by the demo's plan names.</summary>
    public IReadOnlyDictionary<string, string> Plans { get; private set; } = new Dictionary<string, string>();

    /// <summary>Stripe price ids of the monthly prices, by plan name (Pro, Enterprise).</summary>
    public IReadOnlyDictionary<string, string> MonthlyPrices { get; private set; } = new Dictionary<string, string>();

    /// <summary>Stripe subscription ids by company key.</summary>
    public IReadOnlyDictionary<string, string> Subscriptions { get; private set; } = new Dictionary<string, string>();

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        await _stripe.StartAsync(Time);
        await base.InitializeAsync();
        var api = Api();
        Stripe = _stripe.Fake.NewAccount();
        (await api.PutAsync("/billing/stripe/connection", new { secret_key = Stripe.ApiKey, webhook_secret = $"whsec_test_{Guid.NewGuid():N}", import = false }))
            .ShouldBe(HttpStatusCode.OK);

        var plans = (await api.GetAsync("/plans?limit=100")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("id").GetString()!);
        Plans = plans;
        MonthlyPrices = new Dictionary<string, string>
        {
            ["Free"] = await PushAsync(api, plans["Free"], 0),
            ["Pro"] = await PushAsync(api, plans["Pro"], 4900),
            ["Enterprise"] = await PushAsync(api, plans["Enterprise"], 19900),
        };
        (await api.PostAsync("/plan-groups", new Dictionary<string, object?>
        {
            ["ordered_plans"] = new[] { plans["Free"], plans["Pro"], plans["Enterprise"] }.Select(id => new { plan_id = id }).ToArray(),
            ["ordered_add_ons"] = Array.Empty<object>(),
            ["add_on_ids"] = Array.Empty<string>(),
            ["ordered_bundle_list"] = Array.Empty<object>(),
            ["default_plan_id"] = plans["Free"],
            ["proration_behavior"] = "invoice_immediately",
        })).ShouldBe(HttpStatusCode.Created);

        Subscriptions = new Dictionary<string, string>
        {
            [PortalCompany] = await SubscribeToProAsync(api, PortalCompany),
            [CheckoutCompany] = await SubscribeToProAsync(api, CheckoutCompany),
        };
        await Given.CompanyAsync(api, PaywallCompany, plans["Free"]);

        PublishableKey = (await api.PostAsync("/api-keys", new { name = "components sample", kind = "publishable" })).ShouldBe(HttpStatusCode.Created)
            .Data.GetProperty("key").GetString()!;
        _sample = await SampleAppProcess.StartAsync(BaseUrl, SecretKey, PublishableKey, PortalCompany);
    }

    /// <summary>
    /// A page of the sample signed in as <paramref name="company"/>, with every answer of 400 or more recorded in
    /// <paramref name="failures"/>. Requests leaving the machine (Google Fonts, Stripe.js) are refused at once: the
    /// machines running the tests reach no internet, and waiting for them only slows the page. With
    /// <paramref name="phone"/>, on a phone (390 × 844, touch).
    /// </summary>
    public async Task<IPage> OpenSampleAsync(string company, List<string> failures, bool phone = false)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var page = phone ? await NewPhonePageAsync() : await NewPageAsync();
        await page.Context.RouteAsync(
            url => !url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal) && !url.StartsWith("ws://127.0.0.1:", StringComparison.Ordinal),
            route => route.AbortAsync());
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (failures)
                {
                    failures.Add($"{response.Request.Method} {response.Url} → {response.Status}");
                }
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (failures)
                {
                    failures.Add($"console: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (failures)
            {
                failures.Add($"page error: {error}");
            }
        };
        await page.GotoAsync($"{SampleUrl}/?company={Uri.EscapeDataString(company)}");
        return page;
    }

    /// <summary>Reads a Stripe subscription into Tollgate, as the webhook worker does for each of its events.</summary>
    public async Task SyncSubscriptionAsync(string subscriptionId)
    {
        var environmentId = (await Api().GetAsync("/environment")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("id").GetString()!;
        var connection = await Services.GetRequiredService<StripeConnections>().RequireAsync(environmentId, CancellationToken.None);
        await Services.GetRequiredService<IStripeObjectSync>().SyncAsync(connection, StripeObjectTypes.Subscription, subscriptionId, CancellationToken.None);
    }

    private static async Task<string> PushAsync(ApiClient api, string planId, long monthly)
    {
        var version = (await api.GetAsync($"/plans/{planId}/versions")).ShouldBe(HttpStatusCode.OK).Data[0].GetProperty("id").GetString()!;
        var pushed = (await api.PostAsync($"/billing/stripe/plan-versions/{version}/push", new
        {
            prices = new object[] { new { interval = "month", unitAmount = monthly, perSeat = false }, new { interval = "year", unitAmount = monthly * 10, perSeat = false } },
        })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("prices");
        return pushed[0].GetProperty("id").GetString()!;
    }

    private async Task<string> SubscribeToProAsync(ApiClient api, string key)
    {
        var company = (await api.GetAsync($"/companies/lookup?keys[id]={key}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("id").GetString()!;
        var session = (await api.PostAsync("/billing/stripe/checkout-sessions", new
        {
            companyId = company, planId = Plans["Pro"], seats = 1, successUrl = "https://app.test/ok", cancelUrl = "https://app.test/no",
        })).ShouldBe(HttpStatusCode.OK).Data;
        var subscriptionId = (string)Stripe.Simulate.CompleteCheckout(session.GetProperty("id").GetString()!)["subscription"]!;
        await SyncSubscriptionAsync(subscriptionId);
        return subscriptionId;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (_sample is not null)
        {
            await _sample.DisposeAsync();
            _sample = null;
        }

        await base.DisposeAsync();
        await _stripe.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [.. base.ExtraSettings(), .. _stripe.Settings];

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);

        // The demo data set (plans Free, Pro, Enterprise; api-calls, seats, sso; Acme, Globex, Initech): a source added
        // after the base settings overrides their "no demo".
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Tollgate:Demo"] = "true" }));
    }
}

/// <summary>The components sample on SQLite.</summary>
public sealed class ComponentsAppSqliteServer() : ComponentsAppServer(StoreKind.Sqlite);

/// <summary>The components sample on PostgreSQL.</summary>
public sealed class ComponentsAppPostgresServer() : ComponentsAppServer(StoreKind.Postgres);
