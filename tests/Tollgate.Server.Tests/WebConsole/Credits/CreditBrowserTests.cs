using System.Net;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Credits;

/// <summary>
/// The credits page in Chromium: an editor creates a credit type from the empty state and grants it with the Pro plan;
/// the API lists both. Screenshots and axe at laptop and phone width on the way.
/// </summary>
public abstract class CreditBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task AnEditorCreatesACreditTypeAndGrantsItInAPlan()
    {
        var s = await PricingScenario.CreateAsync(server);
        var page = await SignedInAsync(s, phone: false);

        await page.GotoAsync("/console/credits");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No credit types yet" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "credits-empty");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("AI tokens");
        await page.GetByLabel("Singular").FillAsync("token");
        await page.GetByLabel("Plural").FillAsync("tokens");
        await page.GetByLabel("Price per credit (USD)").FillAsync("0.01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create credit type" }).ClickAsync();
        await Expect(page.Locator(".flash.ok")).ToContainTextAsync("AI tokens");
        var credit = (await s.Api.GetAsync("/billing/credits")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "AI tokens").GetProperty("id").GetString()!;

        await page.GetByLabel("Plan", new() { Exact = true }).SelectOptionAsync(s.Pro);
        await page.GetByLabel("Credit", new() { Exact = true }).SelectOptionAsync(credit);
        await page.GetByLabel("Amount per period").FillAsync("5000");
        await page.GetByLabel("Resets").SelectOptionAsync("monthly");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add grant" }).ClickAsync();
        await Expect(page.Locator(".flash.ok")).ToContainTextAsync("Plan credit grant created");

        var grant = Assert.Single((await s.Api.GetAsync($"/billing/credits/plan-grants?plan_id={s.Pro}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        Assert.Equal((credit, 5000d, "monthly"), (grant.GetProperty("credit_id").GetString(), grant.GetProperty("credit_amount").GetDouble(), grant.GetProperty("reset_cadence").GetString()));
        var row = page.Locator("section[aria-labelledby=grants-title] tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Pro");
        await Expect(row).ToContainTextAsync("AI tokens");
        await Screenshots.SaveAsync(page, "credits");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        var phone = await SignedInAsync(s, phone: true);
        await phone.GotoAsync("/console/credits");
        await Expect(phone.Locator("section[aria-labelledby=grants-title] tbody tr")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(phone, "credits-phone");
        await Accessibility.AssertNoSeriousViolationsAsync(phone);

        await page.Context.CloseAsync();
        await phone.Context.CloseAsync();
    }

    private async Task<IPage> SignedInAsync(PricingScenario s, bool phone)
    {
        var page = await ConsoleBrowser.SignedInAsync(server, ConsoleRole.Editor, s.Api.EnvironmentId!, phone, "Edith Editor");
        return page;
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}

public sealed class CreditBrowserTestsOnSqlite(SqliteConsoleServer server) : CreditBrowserTests(server), IClassFixture<SqliteConsoleServer>;

public sealed class CreditBrowserTestsOnPostgres(PostgresConsoleServer server) : CreditBrowserTests(server), IClassFixture<PostgresConsoleServer>;
