using System.Net;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Companies;

/// <summary>
/// "See which customers are over their limits" in Chromium: the overview's over- and near-limit lists, and the companies
/// list's filters (over or near a limit, trialing, with overrides, plan) and pages, at laptop and phone width, with axe.
/// </summary>
public abstract class CompanyListBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task TheOverviewAndTheListShowWhoIsOverOrNearALimitTrialingOrOverriddenPageByPage()
    {
        var s = await PricingScenario.CreateAsync(server);
        // Starter allows 100 API calls a month: three companies past it, two at 85 %.
        foreach (var (key, calls) in new[] { ("over-alpha", 140), ("over-bravo", 120), ("over-charlie", 101), ("near-delta", 85), ("near-echo", 90) })
        {
            await s.CompanyAsync(key, s.Starter, seats: 1);
            await Events.SendAsync(s.Api, Events.Track("api_call", key, calls));
        }

        var trialing = await s.CompanyAsync("trial-foxtrot", s.Enterprise, seats: 1);
        (await s.Api.PostAsync($"/companies/{trialing}/trial", new { planId = s.Pro, trialDays = 14 })).ShouldBe(HttpStatusCode.OK);
        var overridden = await s.CompanyAsync("override-golf", s.Enterprise, seats: 1);
        (await s.Api.PostAsync("/company-overrides", new { companyId = overridden, featureId = s.Sso, valueType = "boolean", valueBool = false, note = "Security hold" }))
            .ShouldBe(HttpStatusCode.Created);
        for (var i = 1; i <= 24; i++)
        {
            await s.CompanyAsync($"quiet-{i:00}", s.Pro, seats: 1);
        }

        var page = await CompanyBrowser.SignInAsync(server, ConsoleRole.Viewer, s.Api.EnvironmentId!);

        // The overview: who is over, who is near, worst first.
        await page.GotoAsync("/console");
        var over = page.GetByRole(AriaRole.Region, new() { Name = "Customers over their limits" });
        await Assertions.Expect(over.GetByRole(AriaRole.Link)).ToHaveTextAsync(["See all", "over-alpha", "over-bravo", "over-charlie"]);
        var near = page.GetByRole(AriaRole.Region, new() { Name = "Near their limits" });
        await Assertions.Expect(near.GetByRole(AriaRole.Link)).ToHaveTextAsync(["See all", "near-echo", "near-delta"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Over a limit" })).ToContainTextAsync("3");
        await Screenshots.SaveAsync(page, "overview");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // "See all" opens the list filtered to them.
        await over.GetByRole(AriaRole.Link, new() { Name = "See all" }).ClickAsync();
        await page.WaitForURLAsync("**/console/companies?over=true");
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Over a limit" })).ToBeCheckedAsync();
        await Assertions.Expect(Names(page)).ToHaveTextAsync(["over-alpha", "over-bravo", "over-charlie"]);
        await Screenshots.SaveAsync(page, "companies-over-limit");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Each filter on its own (htmx swaps the results and the URL keeps them).
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Over a limit" }).UncheckAsync();
        await Assertions.Expect(page.GetByText("Showing 1–25 of 31")).ToBeVisibleAsync();
        foreach (var (filter, expected) in new[]
        {
            ("Near a limit", new[] { "near-echo", "near-delta" }),
            ("Trialing", new[] { "trial-foxtrot" }),
            ("With overrides", new[] { "override-golf" }),
        })
        {
            var box = page.GetByRole(AriaRole.Checkbox, new() { Name = filter });
            await box.CheckAsync();
            await Assertions.Expect(Names(page)).ToHaveTextAsync(expected);
            await box.UncheckAsync();
            await Assertions.Expect(page.GetByText("Showing 1–25 of 31")).ToBeVisibleAsync();
        }

        await page.GetByLabel("Plan", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Starter" });
        await Assertions.Expect(page.GetByText("Showing 1–5 of 5")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Near a limit" }).CheckAsync();
        await Assertions.Expect(Names(page)).ToHaveTextAsync(["near-echo", "near-delta"]);
        Assert.Contains("near=true", page.Url, StringComparison.Ordinal);
        Assert.Contains($"plan={s.Starter}", page.Url, StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "companies-filtered");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Pages of 25, by name.
        await page.GotoAsync("/console/companies");
        await Assertions.Expect(Names(page)).ToHaveCountAsync(25);
        await page.GetByRole(AriaRole.Link, new() { Name = "Next" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Showing 26–31 of 31")).ToBeVisibleAsync();
        await Assertions.Expect(Names(page)).ToHaveCountAsync(6);
        await Assertions.Expect(Names(page).Last).ToHaveTextAsync("trial-foxtrot");
        await page.GetByRole(AriaRole.Link, new() { Name = "Previous" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Showing 1–25 of 31")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "companies-list");
        await page.Context.CloseAsync();

        // On a phone.
        var phone = await CompanyBrowser.SignInAsync(server, ConsoleRole.Viewer, s.Api.EnvironmentId!, phone: true);
        await phone.GotoAsync("/console");
        await Screenshots.SaveAsync(phone, "overview-phone");
        await Accessibility.AssertNoSeriousViolationsAsync(phone);
        await phone.GotoAsync("/console/companies?over=true&near=true");
        await Screenshots.SaveAsync(phone, "companies-phone");
        await Accessibility.AssertNoSeriousViolationsAsync(phone);
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The companies list scrolls sideways on a phone.");
        await phone.Context.CloseAsync();
    }

    /// <summary>The company names listed in the results, in order.</summary>
    private static ILocator Names(IPage page) => page.Locator("#results a.company-name");
}

/// <summary>On SQLite.</summary>
public sealed class CompanyListBrowserTestsOnSqlite(SqliteConsoleServer server) : CompanyListBrowserTests(server), IClassFixture<SqliteConsoleServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class CompanyListBrowserTestsOnPostgres(PostgresConsoleServer server) : CompanyListBrowserTests(server), IClassFixture<PostgresConsoleServer>;
