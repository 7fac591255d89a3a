using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Tollgate.Server.Tests.Components.Browser;

/// <summary>
/// Issue 13's proof: the components sample (<c>samples/components-app</c>), Schematic's own pricing table, portal, usage
/// meter and paywall bundled from their npm packages, driven in Debian's Chromium against Tollgate and the fake Stripe.
/// Every answer of 400 or more the page saw is written to the test output; screenshots go to
/// <c>artifacts/screenshots/&lt;store&gt;/components-app/</c>. The two tests whose answers go through the store (usage
/// tracked, then read back; a checkout whose subscription the sync writes) run on SQLite and PostgreSQL; the others,
/// which read what the fixture set up, on SQLite only, to keep the suite's time.
/// </summary>
public abstract class ComponentsAppBrowserTests(ComponentsAppServer app, ITestOutputHelper output)
{
    protected const string Folder = "components-app";

    /// <summary>The sample and the server behind it.</summary>
    protected ComponentsAppServer App { get; } = app;

    /// <summary>The test's output.</summary>
    protected ITestOutputHelper Output { get; } = output;

    /// <summary>Every answer of 400 or more (and console error) the page saw.</summary>
    protected List<string> Failures { get; } = [];

    static ComponentsAppBrowserTests()
    {
        // The components hydrate, then render; on a two-core machine shared by the whole suite that takes longer than
        // Playwright's 5 s default. A page that never shows what is expected still fails, after 30 s.
        SetDefaultExpectTimeout(30_000);
    }

    [Fact]
    public async Task ThePortalShowsTheCurrentPlanAndApiCallsUsageAndTheMeterMovesWhenEventsAreTracked()
    {
        var page = await App.OpenSampleAsync(ComponentsAppServer.PortalCompany, Failures);
        var portal = page.GetByTestId("portal");
        await Expect(portal).ToContainTextAsync("Pro");
        // The plan card's price: what Acme's subscription bills Pro at, per month.
        await Expect(portal).ToContainTextAsync("$49.00/mo");
        await Expect(page.GetByTestId("api-calls-usage")).ToContainTextAsync("of 100,000 API calls");
        await Screenshots.SaveAsync(page, Folder, "portal-before-usage");
        Output.WriteLine(await portal.InnerTextAsync());

        await Events.SendAsync(App.Api(), Events.Track("api_call", ComponentsAppServer.PortalCompany, 250));

        await Expect(page.GetByTestId("api-calls-usage")).ToContainTextAsync("250 of 100,000 API calls");
        await Screenshots.SaveAsync(page, Folder, "portal-after-usage-live");
        Output.WriteLine(await portal.InnerTextAsync());
        await page.ReloadAsync();
        await Expect(page.GetByTestId("api-calls-usage")).ToContainTextAsync("250 of 100,000 API calls");
        await Expect(portal).ToContainTextAsync("250");
        await Screenshots.SaveAsync(page, Folder, "portal-after-usage-reload");
        Output.WriteLine(await portal.InnerTextAsync());
        Report();
    }

    [Fact]
    public async Task ChoosingAHigherPlanRunsCheckoutPreviewAndCheckoutAndStripeReceivesTheSubscriptionChange()
    {
        var page = await App.OpenSampleAsync(ComponentsAppServer.CheckoutCompany, Failures);
        var portal = page.GetByTestId("portal");
        try
        {
            await Expect(portal).ToContainTextAsync("Pro");
            await Screenshots.SaveAsync(page, Folder, "checkout-0-portal");
            Output.WriteLine(await portal.InnerTextAsync());
            await page.GetByText("Change plan").First.ClickAsync();
            var dialog = page.Locator("dialog");
            await Expect(dialog).ToContainTextAsync("Enterprise");
            await Screenshots.SaveAsync(page, Folder, "checkout-1-plans");

            var preview = page.WaitForResponseAsync(r => r.Url.EndsWith("/checkout/preview", StringComparison.Ordinal) && r.Request.Method == "POST");
            // Plans in the group's order (Free, Pro, Enterprise), Pro the current one: the last plan to choose is Enterprise.
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Choose plan" }).Last.ClickAsync();
            Assert.Equal(200, (await preview).Status);
            await Expect(dialog).ToContainTextAsync("$199.00");
            await Screenshots.SaveAsync(page, Folder, "checkout-2-previewed");
            Output.WriteLine(await dialog.InnerTextAsync());
            Assert.NotEmpty(App.Stripe.RequestsTo("/v1/invoices/create_preview", "POST"));

            var checkout = page.WaitForResponseAsync(r => r.Url.EndsWith("/checkout", StringComparison.Ordinal) && r.Request.Method == "POST");
            var next = dialog.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^(Next|Subscribe and close|Pay now|Subscribe)") }).First;
            // The dialog's stages (plan, add-ons, checkout) each move on with their button; the last one checks out.
            for (var stage = 0; stage < 4 && !checkout.IsCompleted; stage++)
            {
                await next.ClickAsync();
                await Task.WhenAny(checkout, Task.Delay(TimeSpan.FromSeconds(2)));
            }

            Assert.Equal(200, (await checkout).Status);
            var subscriptionId = App.Subscriptions[ComponentsAppServer.CheckoutCompany];
            var change = Assert.Single(App.Stripe.RequestsTo($"/v1/subscriptions/{subscriptionId}", "POST")).Params;
            Assert.Equal(App.MonthlyPrices["Enterprise"], (string?)change["items"]![0]!["price"]);
            await Expect(portal).ToContainTextAsync("Enterprise");
            await Screenshots.SaveAsync(page, Folder, "checkout-3-done");
            Output.WriteLine(await portal.InnerTextAsync());
        }
        finally
        {
            Report();
        }
    }

    protected void Report()
    {
        lock (Failures)
        {
            Output.WriteLine(Failures.Count == 0 ? "No component call answered 400 or more." : "Answers of 400 or more:\n" + string.Join('\n', Failures));
        }

        Output.WriteLine(App.SampleOutput);
    }
}

/// <summary>On SQLite: every test, those reading only what the fixture set up too.</summary>
public sealed class ComponentsAppBrowserTestsOnSqlite(ComponentsAppSqliteServer app, ITestOutputHelper output)
    : ComponentsAppBrowserTests(app, output), IClassFixture<ComponentsAppSqliteServer>
{
    [Fact]
    public async Task ThePricingTableShowsTheDemoPlansWithTheirPricesAndFeatures()
    {
        var page = await App.OpenSampleAsync(ComponentsAppServer.PortalCompany, Failures);
        var pricing = page.GetByTestId("pricing");

        try
        {
            await Expect(pricing).ToContainTextAsync("Enterprise");
            await Screenshots.SaveAsync(page, Folder, "pricing-table");
            Output.WriteLine(await pricing.InnerTextAsync());
            foreach (var text in new[] { "Free", "Pro", "$49.00", "Enterprise", "$199.00", "API calls", "Seats", "SSO" })
            {
                await Expect(pricing).ToContainTextAsync(text);
            }
        }
        finally
        {
            Report();
        }
    }

    [Fact]
    public async Task OnAPhoneThePricingTableAndThePortalFitTheScreenWidth()
    {
        var page = await App.OpenSampleAsync(ComponentsAppServer.PortalCompany, Failures, phone: true);
        try
        {
            await Expect(page.GetByTestId("pricing")).ToContainTextAsync("Enterprise");
            await Expect(page.GetByTestId("portal")).ToContainTextAsync("$49.00/mo");
            await Expect(page.GetByTestId("portal")).ToContainTextAsync("API calls");
            await Screenshots.SaveAsync(page, Folder, "phone-page");
            await Screenshots.SaveAsync(page.GetByTestId("portal"), Folder, "phone-portal");
            await Screenshots.SaveAsync(page.GetByTestId("pricing"), Folder, "phone-pricing-table");
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            Assert.True(widths[0] <= widths[1], $"the page is {widths[0]} px wide on a {widths[1]} px phone: it scrolls sideways");
        }
        finally
        {
            Report();
        }
    }

    [Fact]
    public async Task ThePaywallButtonUnlocksWhenAnOverrideGrantsTheFeatureWithoutReload()
    {
        var page = await App.OpenSampleAsync(ComponentsAppServer.PaywallCompany, Failures);
        var button = page.GetByTestId("sso-button");
        await Expect(page.GetByTestId("sso-status")).ToHaveTextAsync("Upgrade to unlock SSO");
        await Expect(button).ToBeDisabledAsync();
        await Screenshots.SaveAsync(page, Folder, "paywall-locked");

        var api = App.Api();
        var company = (await api.GetAsync($"/companies/lookup?keys[id]={ComponentsAppServer.PaywallCompany}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("id").GetString();
        var sso = (await api.GetAsync("/features?limit=100")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == "SSO").GetProperty("id").GetString();
        await Given.OverrideAsync(api, new { companyId = company, featureId = sso, valueType = "boolean", valueBool = true });

        await Expect(button).ToBeEnabledAsync();
        await button.ClickAsync();
        await Expect(page.GetByTestId("sso-status")).ToHaveTextAsync("SSO configured");
        await Screenshots.SaveAsync(page, Folder, "paywall-unlocked");
        Report();
    }

    [Fact]
    public async Task ATokenReadsOnlyItsOwnCompanyAndAnExpiredTokenIsRefused()
    {
        var page = await App.OpenSampleAsync(ComponentsAppServer.PortalCompany, Failures);
        var other = (await App.Api().GetAsync($"/companies/lookup?keys[id]={ComponentsAppServer.CheckoutCompany}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("id").GetString();
        var tollgate = App.BaseUrl.ToString().TrimEnd('/');

        // The page's own script, across origins (CORS), with the token its backend minted: its company's data only.
        var own = await page.EvaluateAsync<JsonElement>(
            """
            async (tollgate) => {
              const { token } = await (await fetch('/api/access-token', { method: 'POST' })).json();
              const r = await fetch(tollgate + '/components/hydrate', { headers: { 'X-Schematic-Api-Key': token } });
              return { token, status: r.status, company: (await r.json()).data.company.name };
            }
            """,
            tollgate);
        Assert.Equal((200, "Acme Inc"), (own.GetProperty("status").GetInt32(), own.GetProperty("company").GetString()));
        var token = own.GetProperty("token").GetString()!;

        // Another company's data, asked from the browser context without CORS in the way (page.APIRequest).
        async Task<int> StatusAsync(string path) =>
            (await page.APIRequest.GetAsync(tollgate + path, new() { Headers = new Dictionary<string, string> { ["X-Schematic-Api-Key"] = token } })).Status;
        Assert.Equal(403, await StatusAsync($"/components/preview-data?company_id={other}"));
        Assert.Equal(403, await StatusAsync($"/companies/{other}"));

        // Fifteen minutes later (the token's lifetime) the same token is refused.
        App.Time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(401, await StatusAsync("/components/hydrate"));
        Report();
    }
}

/// <summary>On PostgreSQL: the tests whose answers go through the store.</summary>
public sealed class ComponentsAppBrowserTestsOnPostgres(ComponentsAppPostgresServer app, ITestOutputHelper output)
    : ComponentsAppBrowserTests(app, output), IClassFixture<ComponentsAppPostgresServer>;
