using System.Text.Json;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Versions;

/// <summary>
/// Publishing a new plan version with preview, in Chromium (issue 12, "Proof"): an editor starts a draft of Pro, changes
/// its API-call limit in the draft (the companies' allocation does not move), sees the diff, opens publish, where the
/// preview names the companies that move and what changes for them, chooses to move them now, watches the migration
/// complete, and a company on Pro then has the new limit through the API. Every page at 1280 and 390 px, with axe.
/// </summary>
public abstract class PlanVersionBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task ADraftChangedThenPublishedWithMoveNowGivesTheCompaniesTheNewLimit()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("pro-a", s.Pro, seats: 3);
        await s.CompanyAsync("pro-b", s.Pro, seats: 5);
        var page = await SignedInAsync(s, phone: false);

        await page.GotoAsync($"/console/plans/{s.Pro}/versions");
        await Screenshots.SaveAsync(page, "versions-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "New draft version" }).ClickAsync();
        var draftCard = page.Locator("#draft");
        await draftCard.WaitForAsync();
        await draftCard.GetByRole(AriaRole.Link, new() { Name = "Edit api-calls in draft v2" }).ClickAsync();

        Assert.Contains("draft v2", await page.Locator(".version-note").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Spinbutton, new() { Name = "Limit", Exact = true }).FillAsync("2500");
        await Screenshots.SaveAsync(page, "draft-entitlement-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(page, $"**/console/plans/{s.Pro}/versions#draft");
        var row = draftCard.Locator("tr", new() { HasText = "api-calls" });
        Assert.Contains("2,500", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("changed", await row.InnerTextAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "versions-with-draft-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // A draft is not live: the companies keep the published limit.
        Assert.Equal(1000, await AllocationAsync(s, "api-calls", "pro-a"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Compare v2 with the published version" }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(page, "**/versions/diff?**");
        Assert.Contains("2,500", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Screenshots.SaveAsync(page, "version-diff-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GotoAsync($"/console/plans/{s.Pro}/versions");
        await page.GetByRole(AriaRole.Link, new() { Name = "Review and publish v2" }).ClickAsync();
        var moving = page.Locator(".stat", new() { HasText = "Companies that would move" });
        Assert.Equal("2", (await moving.Locator(".value").InnerTextAsync()).Trim());
        var changes = await page.Locator(".change-list").InnerTextAsync();
        Assert.Contains("api-calls", changes, StringComparison.Ordinal);
        Assert.Contains("2,500", changes, StringComparison.Ordinal);
        var sample = page.Locator("#publish-impact table tbody tr");
        await Assertions.Expect(sample).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#impact-over .value")).ToHaveTextAsync("0");
        await Screenshots.SaveAsync(page, "publish-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Migrate them now").CheckAsync();
        // The form asks first (data-confirm); the editor says yes.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish v2" }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(page, "**/console/migrations/*");
        await page.Locator("#migration-progress [data-status=completed]").WaitForAsync();
        await Screenshots.SaveAsync(page, "migration-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        Assert.Equal(2500, await AllocationAsync(s, "api-calls", "pro-a"));
        Assert.Equal(2500, await AllocationAsync(s, "api-calls", "pro-b"));

        await page.GotoAsync("/console/migrations");
        await Screenshots.SaveAsync(page, "migrations-desktop");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        var migration = await page.Locator("main a[href^='/console/migrations/']").First.GetAttributeAsync("href");
        await page.Context.CloseAsync();

        var phone = await SignedInAsync(s, phone: true);
        foreach (var (path, name) in new[]
        {
            ($"/console/plans/{s.Pro}/versions", "versions-phone"),
            ("/console/migrations", "migrations-phone"),
            (migration!, "migration-phone"),
        })
        {
            var response = await phone.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await Screenshots.SaveAsync(phone, name);
            await Accessibility.AssertNoSeriousViolationsAsync(phone);
        }

        await phone.Context.CloseAsync();
    }

    private static async Task<long?> AllocationAsync(PricingScenario s, string flag, string company)
    {
        var data = await s.CheckAsync(flag, company);
        return data.TryGetProperty("feature_allocation", out var allocation) && allocation.ValueKind == JsonValueKind.Number ? allocation.GetInt64() : null;
    }

    private async Task<IPage> SignedInAsync(PricingScenario s, bool phone)
    {
        var page = await ConsoleBrowser.SignedInAsync(server, ConsoleRole.Editor, s.Api.EnvironmentId!, phone);
        return page;
    }
}

public sealed class PlanVersionBrowserTestsOnSqlite(SqliteConsoleServer server) : PlanVersionBrowserTests(server), IClassFixture<SqliteConsoleServer>;

public sealed class PlanVersionBrowserTestsOnPostgres(PostgresConsoleServer server) : PlanVersionBrowserTests(server), IClassFixture<PostgresConsoleServer>;
