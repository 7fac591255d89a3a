using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Companies;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Flows;

/// <summary>
/// The "Done when", in Chromium: a product manager (an admin) who has never seen the API, from the console alone,
/// changes the Pro plan's API limit, gives one customer a 30-day trial of SSO with a note, and sees which customers are
/// over their limits; each step's effect is read back through the API an application uses.
/// </summary>
public abstract partial class ProductManagerBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task AProductManagerChangesAPlanLimitGivesACustomerAThirtyDayTrialOfSsoAndSeesWhoIsOverTheirLimits()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("northwind", s.Pro, seats: 3);
        await s.CompanyAsync("fabrikam", s.Pro, seats: 3);
        var contoso = await s.CompanyAsync("contoso", s.Starter, seats: 2);
        await Events.SendAsync(s.Api, Events.Track("api_call", "northwind", 700), Events.Track("api_call", "fabrikam", 200));
        Assert.True((await s.CheckAsync("api-calls", "northwind")).GetProperty("value").GetBoolean());
        Assert.False((await s.CheckAsync("sso", "contoso")).GetProperty("value").GetBoolean());
        var page = await CompanyBrowser.SignInAsync(server, ConsoleRole.Admin, s.Api.EnvironmentId!);
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Console" });

        // 1. The Pro plan's API limit, 1,000 a month, becomes 500: in the entitlement grid, in place.
        await menu.GetByRole(AriaRole.Link, new() { Name = "Entitlement grid" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = ApiCallsOnPro() }).ClickAsync();
        var editor = page.GetByRole(AriaRole.Form, new() { Name = "api-calls on Pro" });
        await editor.GetByRole(AriaRole.Spinbutton, new() { Name = "Limit", Exact = true }).FillAsync("500");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = ApiCallsOnPro() })).ToContainTextAsync("500");
        await Screenshots.SaveAsync(page, "pm-grid-limit-changed");
        var entitlement = (await s.Api.GetAsync($"/plan-entitlements/{s.ProApiCalls}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(500, entitlement.GetProperty("value_numeric").GetInt64());
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "northwind"), c => !c.GetProperty("value").GetBoolean());
        Assert.True((await s.CheckAsync("api-calls", "fabrikam")).GetProperty("value").GetBoolean());

        // 2. Contoso gets SSO for 30 days, with a note: found by name, one preset, no date to compute.
        await menu.GetByRole(AriaRole.Link, new() { Name = "Companies" }).ClickAsync();
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("contoso");
        await page.Locator("#results").GetByRole(AriaRole.Link, new() { Name = "contoso", Exact = true }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(page, $"**/console/companies/{contoso}");
        var granted = server.Time.GetUtcNow();
        await page.GetByText("Add an override or a feature trial").ClickAsync();
        await page.GetByLabel("Feature", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "sso" });
        await page.GetByLabel("Value", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "On" });
        await page.GetByRole(AriaRole.Radio, new() { Name = "In 30 days" }).CheckAsync();
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("30-day SSO trial for the Contoso pilot");
        await Screenshots.SaveAsync(page, "pm-sso-trial-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add override" }).ClickAsync();
        var temporary = page.GetByRole(AriaRole.Complementary, new() { Name = "Temporary access" });
        await Assertions.Expect(temporary).ToContainTextAsync("sso: On until");
        await Assertions.Expect(temporary).ToContainTextAsync("ends in 30 days");
        await Screenshots.SaveAsync(page, "pm-sso-trial-given");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await Events.EventuallyAsync(() => s.CheckAsync("sso", "contoso"), c => c.GetProperty("value").GetBoolean());
        var trial = (await s.Api.GetAsync($"/company-overrides?company_id={contoso}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single();
        Assert.Equal("30-day SSO trial for the Contoso pilot", trial.GetProperty("note").GetString());
        Assert.InRange(trial.GetProperty("expiration_date").GetDateTimeOffset(), granted.AddDays(30), granted.AddDays(30).AddMinutes(1));

        // 3. Who is over their limits: Northwind, now that Pro allows 500 (700 used); not Fabrikam (200).
        await menu.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        var over = page.GetByRole(AriaRole.Region, new() { Name = "Customers over their limits" });
        await Assertions.Expect(over).ToContainTextAsync("northwind");
        await Assertions.Expect(over).Not.ToContainTextAsync("fabrikam");
        await Assertions.Expect(over.GetByRole(AriaRole.Img, new() { Name = "api-calls: 700 / 500 used (140%)" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "pm-overview-over-limit");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        Assert.False((await s.CheckAsync("api-calls", "northwind")).GetProperty("value").GetBoolean());
        await page.Context.CloseAsync();
    }

    [GeneratedRegex("^api-calls on Pro:.*, edit$")]
    private static partial Regex ApiCallsOnPro();
}

/// <summary>On SQLite.</summary>
public sealed class ProductManagerBrowserTestsOnSqlite(SqliteConsoleServer server) : ProductManagerBrowserTests(server), IClassFixture<SqliteConsoleServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class ProductManagerBrowserTestsOnPostgres(PostgresConsoleServer server) : ProductManagerBrowserTests(server), IClassFixture<PostgresConsoleServer>;
