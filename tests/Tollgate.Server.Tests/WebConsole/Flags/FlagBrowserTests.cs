using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Flags;

/// <summary>
/// The flag pages in Chromium: a rule made in the rules editor changes what the check API answers, and "Check as…"
/// then shows that rule as the deciding one; every page at laptop and phone width, screenshotted and checked by axe.
/// </summary>
public abstract partial class FlagBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task ARuleWithAConditionAndAGroupMadeInTheEditorDecidesTheCheckAndCanBeReordered()
    {
        var (s, page) = await SignedInAsync(phone: false);
        await s.CompanyAsync("big-co", s.Starter, seats: 8);
        await s.CompanyAsync("small-co", s.Starter, seats: 2);
        Assert.False((await s.CheckAsync("sso", "big-co")).GetProperty("value").GetBoolean());

        await page.GotoAsync("/console/flags");
        await Screenshots.SaveAsync(page, "flags-list-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "sso", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Add rule" }).First.ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Big teams get SSO");
        await page.Locator("#Rule-Conditions-0-TraitId").SelectOptionAsync(new SelectOptionValue { Label = "Company · seats (int)" });
        await page.Locator("#Rule-Conditions-0-Operator").SelectOptionAsync(new SelectOptionValue { Value = "gt" });
        await page.Locator("#Rule-Conditions-0-TraitValue").FillAsync("5");

        // A group: on Starter, or with a seat limit above 50. "+ Add group" posts the form and shows it again, unsaved.
        await page.GetByRole(AriaRole.Button, new() { Name = "+ Add group" }).ClickAsync();
        var group = page.Locator("fieldset.condition-group").First;
        await group.WaitForAsync();
        // Changing a condition's type re-renders the form through htmx with the fields of the new type.
        await page.Locator("#Rule-ConditionGroups-0-Conditions-0-ConditionType").SelectOptionAsync("plan");
        await group.GetByRole(AriaRole.Checkbox, new() { Name = "Starter" }).CheckAsync();
        await page.Locator("#Rule-ConditionGroups-0-Conditions-1-TraitId").SelectOptionAsync(new SelectOptionValue { Label = "Company · seat_limit (int)" });
        await page.Locator("#Rule-ConditionGroups-0-Conditions-1-Operator").SelectOptionAsync(new SelectOptionValue { Value = "gt" });
        await page.Locator("#Rule-ConditionGroups-0-Conditions-1-TraitValue").FillAsync("50");
        Assert.Equal("Big teams get SSO", await page.GetByLabel("Name", new() { Exact = true }).InputValueAsync());
        Assert.Equal("5", await page.Locator("#Rule-Conditions-0-TraitValue").InputValueAsync());
        await Screenshots.SaveAsync(page, "rule-editor-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule", Exact = true }).ClickAsync();

        await ConsoleBrowser.ShowsAsync(page, FlagPage());
        var rules = page.Locator(".rule-list");
        Assert.Contains("Big teams get SSO", await rules.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("priority 1", await rules.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Any of: Plan or add-on is one of Starter or Company trait", await rules.InnerTextAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "flag-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        Assert.True((await s.CheckAsync("sso", "big-co")).GetProperty("value").GetBoolean());
        Assert.False((await s.CheckAsync("sso", "small-co")).GetProperty("value").GetBoolean());

        await page.Locator(".page-header").GetByRole(AriaRole.Link, new() { Name = "Check as…" }).ClickAsync();
        await page.GetByLabel("Company", new() { Exact = true }).FillAsync("big-co");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check", Exact = true }).ClickAsync();
        await page.Locator(".rule-step.decided").WaitForAsync();
        Assert.Contains("Big teams get SSO", await page.Locator(".rule-step.decided").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("On", await page.Locator("[data-testid=answer-value]").InnerTextAsync());
        await Screenshots.SaveAsync(page, "check-as-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // A second rule comes after the first; moved above it, it decides for the companies both match.
        await page.GotoAsync($"/console/flags/{await FlagIdAsync(s, "sso")}/rules/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Very big teams wait");
        await page.Locator(".value-choice").GetByLabel("Off").CheckAsync();
        await page.Locator("#Rule-Conditions-0-TraitId").SelectOptionAsync(new SelectOptionValue { Label = "Company · seats (int)" });
        await page.Locator("#Rule-Conditions-0-Operator").SelectOptionAsync(new SelectOptionValue { Value = "gte" });
        await page.Locator("#Rule-Conditions-0-TraitValue").FillAsync("8");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add rule", Exact = true }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(page, FlagPage());
        Assert.Contains("priority 2", await page.Locator(".rule-item", new() { HasText = "Very big teams wait" }).InnerTextAsync(), StringComparison.Ordinal);
        Assert.True((await s.CheckAsync("sso", "big-co")).GetProperty("value").GetBoolean());

        await page.GetByRole(AriaRole.Button, new() { Name = "Move “Very big teams wait” up" }).ClickAsync();
        await page.Locator(".flash").WaitForAsync();
        Assert.Contains("Very big teams wait", await page.Locator(".rule-item").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("priority 1", await page.Locator(".rule-item").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.False((await s.CheckAsync("sso", "big-co")).GetProperty("value").GetBoolean());
        await page.GotoAsync("/console/check?flag=sso&company=big-co");
        Assert.Contains("Very big teams wait", await page.Locator(".rule-step.decided").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Off", await page.Locator("[data-testid=answer-value]").InnerTextAsync());

        var company = await s.CompanyAsync("metered-co", s.Pro, seats: 2);
        await page.GotoAsync($"/console/check/all?companyId={company}");
        await Screenshots.SaveAsync(page, "check-all-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheFlagPagesFitAPhoneAndPassAxe()
    {
        var (s, page) = await SignedInAsync(phone: true);
        var company = await s.CompanyAsync("phone-co", s.Pro, seats: 12);
        var sso = (await s.Api.GetAsync("/flags")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single(f => f.GetProperty("key").GetString() == "seats").GetProperty("id").GetString();

        foreach (var (path, name) in new[]
        {
            ("/console/flags", "flags-list-phone"),
            ($"/console/flags/{sso}", "flag-phone"),
            ($"/console/flags/{sso}/rules/new", "rule-editor-phone"),
            ("/console/check?flag=seats&company=phone-co", "check-as-phone"),
            ($"/console/check/all?companyId={company}", "check-all-phone"),
        })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await Screenshots.SaveAsync(page, name);
            await Accessibility.AssertNoSeriousViolationsAsync(page);
        }

        await page.Context.CloseAsync();
    }

    private async Task<(PricingScenario Scenario, IPage Page)> SignedInAsync(bool phone)
    {
        var s = await PricingScenario.CreateAsync(server);
        var page = await ConsoleBrowser.SignedInAsync(server, ConsoleRole.Editor, s.Api.EnvironmentId!, phone);
        return (s, page);
    }

    private static async Task<string> FlagIdAsync(PricingScenario s, string key) =>
        (await s.Api.GetAsync("/flags")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single(f => f.GetProperty("key").GetString() == key).GetProperty("id").GetString()!;

    // The flag page itself, not its rules editor: the id's letters keep their case (flag_cCmj…), which a lower-casing
    // router once lost in the form's action.
    [GeneratedRegex(@"/console/flags/flag_[A-Za-z0-9]+$")]
    private static partial Regex FlagPage();
}

public sealed class FlagBrowserTestsOnSqlite(SqliteConsoleServer server) : FlagBrowserTests(server), IClassFixture<SqliteConsoleServer>;

public sealed class FlagBrowserTestsOnPostgres(PostgresConsoleServer server) : FlagBrowserTests(server), IClassFixture<PostgresConsoleServer>;
