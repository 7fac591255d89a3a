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
/// <c>artifacts/screenshots/sqlite/components-app/</c>.
/// </summary>
public sealed class ComponentsAppBrowserTests(ComponentsAppServer app, ITestOutputHelper output) : IClassFixture<ComponentsAppServer>
{
    private const string Folder = "components-app";

    private readonly List<string> _failures = [];

    static ComponentsAppBrowserTests()
    {
        // The components hydrate, then render; on a two-core machine shared by the whole suite that takes longer than
        // Playwright's 5 s default. A page that never shows what is expected still fails, after 30 s.
        SetDefaultExpectTimeout(30_000);
    }

    [Fact]
    public async Task ThePricingTableShowsTheDemoPlansWithTheirPricesAndFeatures()
    {
        var page = await app.OpenSampleAsync(ComponentsAppServer.PortalCompany, _failures);
        var pricing = page.GetByTestId("pricing");

        try
        {
            await Expect(pricing).ToContainTextAsync("Enterprise");
            await Screenshots.SaveAsync(page, Folder, "pricing-table");
            output.WriteLine(await pricing.InnerTextAsync());
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
    public async Task ThePortalShowsTheCurrentPlanAndApiCallsUsageAndTheMeterMovesWhenEventsAreTracked()
    {
        var page = await app.OpenSampleAsync(ComponentsAppServer.PortalCompany, _failures);
        var portal = page.GetByTestId("portal");
        await Expect(portal).ToContainTextAsync("Pro");
        await Expect(page.GetByTestId("api-calls-usage")).ToContainTextAsync("of 100,000 API calls");
        await Screenshots.SaveAsync(page, Folder, "portal-before-usage");
        output.WriteLine(await portal.InnerTextAsync());

        await Events.SendAsync(app.Api(), Events.Track("api_call", ComponentsAppServer.PortalCompany, 250));

        await Expect(page.GetByTestId("api-calls-usage")).ToContainTextAsync("250 of 100,000 API calls");
        await Screenshots.SaveAsync(page, Folder, "portal-after-usage-live");
        output.WriteLine(await portal.InnerTextAsync());
        await page.ReloadAsync();
        await Expect(page.GetByTestId("api-calls-usage")).ToContainTextAsync("250 of 100,000 API calls");
        await Expect(portal).ToContainTextAsync("250");
        await Screenshots.SaveAsync(page, Folder, "portal-after-usage-reload");
        output.WriteLine(await portal.InnerTextAsync());
        Report();
    }

    [Fact]
    public async Task ThePaywallButtonUnlocksWhenAnOverrideGrantsTheFeatureWithoutReload()
    {
        var page = await app.OpenSampleAsync(ComponentsAppServer.PaywallCompany, _failures);
        var button = page.GetByTestId("sso-button");
        await Expect(page.GetByTestId("sso-status")).ToHaveTextAsync("Upgrade to unlock SSO");
        await Expect(button).ToBeDisabledAsync();
        await Screenshots.SaveAsync(page, Folder, "paywall-locked");

        var api = app.Api();
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
    public async Task ChoosingAHigherPlanRunsCheckoutPreviewAndCheckoutAndStripeReceivesTheSubscriptionChange()
    {
        var page = await app.OpenSampleAsync(ComponentsAppServer.CheckoutCompany, _failures);
        var portal = page.GetByTestId("portal");
        try
        {
            await Expect(portal).ToContainTextAsync("Pro");
            await Screenshots.SaveAsync(page, Folder, "checkout-0-portal");
            output.WriteLine(await portal.InnerTextAsync());
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
            output.WriteLine(await dialog.InnerTextAsync());
            Assert.NotEmpty(app.Stripe.RequestsTo("/v1/invoices/create_preview", "POST"));

            var checkout = page.WaitForResponseAsync(r => r.Url.EndsWith("/checkout", StringComparison.Ordinal) && r.Request.Method == "POST");
            var next = dialog.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^(Next|Subscribe and close|Pay now|Subscribe)") }).First;
            // The dialog's stages (plan, add-ons, checkout) each move on with their button; the last one checks out.
            for (var stage = 0; stage < 4 && !checkout.IsCompleted; stage++)
            {
                await next.ClickAsync();
                await Task.WhenAny(checkout, Task.Delay(TimeSpan.FromSeconds(2)));
            }

            Assert.Equal(200, (await checkout).Status);
            var subscriptionId = app.Subscriptions[ComponentsAppServer.CheckoutCompany];
            var change = Assert.Single(app.Stripe.RequestsTo($"/v1/subscriptions/{subscriptionId}", "POST")).Params;
            Assert.Equal(app.MonthlyPrices["Enterprise"], (string?)change["items"]![0]!["price"]);
            await Expect(portal).ToContainTextAsync("Enterprise");
            await Screenshots.SaveAsync(page, Folder, "checkout-3-done");
            output.WriteLine(await portal.InnerTextAsync());
        }
        finally
        {
            Report();
        }
    }

    [Fact]
    public async Task ATokenReadsOnlyItsOwnCompanyAndAnExpiredTokenIsRefused()
    {
        var page = await app.OpenSampleAsync(ComponentsAppServer.PortalCompany, _failures);
        var other = (await app.Api().GetAsync($"/companies/lookup?keys[id]={ComponentsAppServer.CheckoutCompany}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("id").GetString();
        var tollgate = app.BaseUrl.ToString().TrimEnd('/');

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
        app.Time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(401, await StatusAsync("/components/hydrate"));
        Report();
    }

    private void Report()
    {
        lock (_failures)
        {
            output.WriteLine(_failures.Count == 0 ? "No component call answered 400 or more." : "Answers of 400 or more:\n" + string.Join('\n', _failures));
        }

        output.WriteLine(app.SampleOutput);
    }
}
