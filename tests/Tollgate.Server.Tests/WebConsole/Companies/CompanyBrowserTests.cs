using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Companies;

/// <summary>
/// The company page in Chromium, as a support person uses it: find a company, give it a feature until an instant and see
/// the check API follow it and the override expire at that instant (fake time); watch tracked usage move the limit bar
/// and the chart; change the plan, start a trial and grant credits. Every section screenshotted and checked by axe.
/// </summary>
public abstract class CompanyBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task ASupportPersonFindsACompanyGivesItAFeatureUntilAnInstantAndTheCheckFollowsItToThatInstant()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme-robotics", s.Starter, seats: 2);
        await s.CompanyAsync("globex", s.Starter, seats: 1);
        await s.CompanyAsync("initech", s.Pro, seats: 4);
        Assert.False((await s.CheckAsync("sso", "acme-robotics")).GetProperty("value").GetBoolean());
        var page = await CompanyBrowser.SignInAsync(server, ConsoleRole.Support, s.Api.EnvironmentId!);

        // Find it: the search box narrows the list as one types (htmx swaps the results in).
        await page.GotoAsync("/console/companies");
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("acme");
        await Assertions.Expect(page.Locator("#results").GetByRole(AriaRole.Link, new() { Name = "globex" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "companies-search");
        await page.GetByRole(AriaRole.Link, new() { Name = "acme-robotics", Exact = true }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(page, new Regex($"/console/companies/{Regex.Escape(acme)}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "acme-robotics", Level = 1 })).ToBeVisibleAsync();

        // An override of SSO, on, with a note, ending at a chosen instant.
        // Whole minutes: Chromium's date-time field shows (and takes) no seconds when they are zero.
        var expiry = TruncateToMinutes(server.Time.GetUtcNow().AddHours(3));
        await page.GetByText("Add an override or a feature trial").ClickAsync();
        await page.GetByLabel("Feature", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "sso" });
        await page.GetByLabel("Value", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "On" });
        await page.GetByRole(AriaRole.Radio, new() { Name = "On a date" }).CheckAsync();
        await page.GetByLabel("Date (UTC), for “On a date”").FillAsync(expiry.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("SSO for the Acme security review");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add override" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Override added." })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Complementary, new() { Name = "Temporary access" })).ToContainTextAsync("SSO for the Acme security review");
        await Screenshots.SaveAsync(page, "company-override-active");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // The check API follows the override, and keeps following it until just before its instant, and not after.
        await Events.EventuallyAsync(() => s.CheckAsync("sso", "acme-robotics"), c => c.GetProperty("value").GetBoolean());
        server.Time.Advance(expiry - server.Time.GetUtcNow() - TimeSpan.FromSeconds(2));
        Assert.True((await s.CheckAsync("sso", "acme-robotics")).GetProperty("value").GetBoolean());
        server.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.False((await s.CheckAsync("sso", "acme-robotics")).GetProperty("value").GetBoolean());

        // The page says so: expired in the table, and in the history at its instant.
        await page.ReloadAsync();
        var overrides = page.Locator("#overrides");
        await Assertions.Expect(overrides.GetByRole(AriaRole.Row).Filter(new() { HasText = "SSO for the Acme security review" })).ToContainTextAsync("expired");
        var history = page.GetByRole(AriaRole.List, new() { Name = "Override history" });
        await Assertions.Expect(history.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("Expired sso");
        await Assertions.Expect(history.GetByRole(AriaRole.Listitem).First).ToContainTextAsync(expiry.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByRole(AriaRole.Complementary, new() { Name = "Temporary access" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "company-override-expired");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TrackedUsageMovesTheLimitBarAndTheChartAndThePlanTrialAndCreditsChangeFromThePage()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("usage-robotics", s.Pro, seats: 4);
        var credit = (await s.Api.PostAsync("/billing/credits", new { name = "AI tokens" })).ShouldBe(HttpStatusCode.Created).Id;
        await Events.SendAsync(s.Api, Events.Track("api_call", "usage-robotics", 300));
        var page = await CompanyBrowser.SignInAsync(server, ConsoleRole.Support, s.Api.EnvironmentId!);

        await page.GotoAsync($"/console/companies/{company}");
        const string bar = "api-calls this month";
        Assert.Equal("300 of 1,000 (30%)", await CompanyBrowser.LimitBarTextAsync(page, bar));
        var fillBefore = await CompanyBrowser.LimitBarFillAsync(page, bar);
        var chartBefore = await ChartTextAsync(page);
        await Screenshots.SaveAsync(page, "company-usage-before");

        await Events.SendAsync(s.Api, Events.Track("api_call", "usage-robotics", 550));
        await page.ReloadAsync();
        Assert.Equal("850 of 1,000 (85%), near limit", await CompanyBrowser.LimitBarTextAsync(page, bar));
        var fillAfter = await CompanyBrowser.LimitBarFillAsync(page, bar);
        Assert.Equal((30d, 85d), (fillBefore, fillAfter));
        var chartAfter = await ChartTextAsync(page);
        Assert.Contains("This month: 300 of a limit of 1,000", chartBefore, StringComparison.Ordinal);
        Assert.Contains("This month: 850 of a limit of 1,000", chartAfter, StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "company-usage-after");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Days, weeks, months: each a link that redraws the chart in those buckets.
        foreach (var (label, unit) in new[] { ("Days", "day"), ("Weeks", "week"), ("Months", "month") })
        {
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Chart period" }).GetByRole(AriaRole.Link, new() { Name = label }).ClickAsync();
            await ConsoleBrowser.ShowsAsync(page, $"**granularity={unit}*");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = label })).ToHaveAttributeAsync("aria-current", "page");
            Assert.StartsWith($"api-calls per {unit}", await ChartTextAsync(page), StringComparison.Ordinal);
            if (unit == "day")
            {
                await Screenshots.SaveAsync(page, "company-usage-days");
            }
        }

        // Change the plan to Enterprise.
        await page.GetByText("Change plan", new() { Exact = true }).ClickAsync();
        await page.GetByLabel("Base plan").SelectOptionAsync(new SelectOptionValue { Label = "Enterprise" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save plan" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Plan changed." })).ToBeVisibleAsync();
        var stored = (await s.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(s.Enterprise, stored.GetProperty("plan").GetProperty("id").GetString());
        Assert.Equal("850 used · unlimited", await ApiCalls(page).Locator(".limit-bar__value").InnerTextAsync());

        // A 14-day trial of Pro.
        await page.GetByText("Start a trial", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Region, new() { Name = "Trial" }).GetByLabel("Plan", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Pro" });
        await page.GetByLabel("Days", new() { Exact = true }).FillAsync("14");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start trial" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Trial started." })).ToBeVisibleAsync();
        var trial = (await s.Api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(s.Pro, trial.GetProperty("plan").GetProperty("id").GetString());
        await Assertions.Expect(page.Locator("section[aria-labelledby=trial-title]")).ToContainTextAsync("active");

        // 500 free credits with a note.
        await page.Locator("#credits summary", new() { HasText = "Grant credits" }).ClickAsync();
        await page.GetByLabel("Credit", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "AI tokens" });
        await page.GetByLabel("Quantity").FillAsync("500");
        await page.GetByLabel("Note", new() { Exact = true }).Last.FillAsync("Goodwill after the outage");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant credits" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Credits granted." })).ToBeVisibleAsync();
        var balance = (await s.Api.GetAsync($"/billing/credits/balance?company_id={company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(500, balance.EnumerateArray().Single(b => b.GetProperty("credit_id").GetString() == credit).GetProperty("remaining").GetDouble());
        await Assertions.Expect(page.Locator("#credits")).ToContainTextAsync("Goodwill after the outage");
        await Screenshots.SaveAsync(page, "company-plan-trial-credits");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // The same page on a phone, with every section.
        var phone = await CompanyBrowser.SignInAsync(server, ConsoleRole.Support, s.Api.EnvironmentId!, phone: true);
        await phone.GotoAsync($"/console/companies/{company}?granularity=week");
        await Screenshots.SaveAsync(phone, "company-phone");
        await Accessibility.AssertNoSeriousViolationsAsync(phone);
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The company page scrolls sideways on a phone.");
        await phone.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>The description of the api-calls chart (what a screen reader hears after its title): its buckets and totals.</summary>
    private static async Task<string> ChartTextAsync(IPage page) =>
        (await ApiCalls(page).Locator("svg.chart--wide desc").TextContentAsync())!;

    private static ILocator ApiCalls(IPage page) =>
        page.Locator("#usage article.usage-feature").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "api-calls", Exact = true }) });

    private static DateTimeOffset TruncateToMinutes(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
}

/// <summary>On SQLite.</summary>
public sealed class CompanyBrowserTestsOnSqlite(SqliteConsoleServer server) : CompanyBrowserTests(server), IClassFixture<SqliteConsoleServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class CompanyBrowserTestsOnPostgres(PostgresConsoleServer server) : CompanyBrowserTests(server), IClassFixture<PostgresConsoleServer>;
