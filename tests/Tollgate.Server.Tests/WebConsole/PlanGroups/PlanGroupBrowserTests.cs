using System.Net;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.PlanGroups;

/// <summary>
/// The plan group page in Chromium: an editor starts from the empty state, creates the group with a default plan, a
/// fallback plan and a trial, moves a plan up, changes the trial's end, and <c>GET /plan-groups</c> answers all of it.
/// Screenshots and axe at laptop and phone width on the way.
/// </summary>
public abstract class PlanGroupBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task AnEditorConfiguresOrderDefaultFallbackAndTrialAndTheApiReflectsIt()
    {
        var s = await PricingScenario.CreateAsync(server);
        var page = await SignedInAsync(s, phone: false);

        await page.GotoAsync("/console/plan-groups");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This environment has no plan group yet" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "plan-groups-empty");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Default plan").SelectOptionAsync(s.Starter);
        await page.GetByLabel("Fallback plan").SelectOptionAsync(s.Starter);
        await page.GetByLabel("Trial length (days)").FillAsync("14");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create plan group" }).ClickAsync();
        await Expect(page.Locator(".flash.ok")).ToContainTextAsync("Plan group created");

        // Every base plan is offered at first, by name: Enterprise, Pro, Starter. Starter goes up one.
        await Expect(page.Locator(".order-list li")).ToHaveTextAsync([new System.Text.RegularExpressions.Regex("Enterprise"), new System.Text.RegularExpressions.Regex("Pro"), new System.Text.RegularExpressions.Regex("Starter")]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Up Starter", Exact = true }).ClickAsync();
        await Expect(page.Locator(".flash.ok")).ToContainTextAsync("Starter moved up");
        await page.GetByLabel("When a trial expires").SelectOptionAsync(s.Pro);
        await page.GetByLabel("A trial needs a payment method on file").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save plan group" }).ClickAsync();
        await Expect(page.Locator(".flash.ok")).ToContainTextAsync("Plan group saved");

        var group = (await s.Api.GetAsync("/plan-groups")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(s.Starter, group.GetProperty("default_plan_id").GetString());
        Assert.Equal(s.Starter, group.GetProperty("fallback_plan_id").GetString());
        Assert.Equal(14, group.GetProperty("trial_days").GetInt32());
        Assert.Equal(s.Pro, group.GetProperty("trial_expiry_plan_id").GetString());
        Assert.True(group.GetProperty("trial_payment_method_required").GetBoolean());
        Assert.Equal(
            [s.Enterprise, s.Starter, s.Pro],
            group.GetProperty("ordered_plan_list").EnumerateArray().Select(p => p.GetProperty("plan_id").GetString()).ToList());
        // The page shows what the API answers: the order, and which plan is the default and the fallback.
        await Expect(page.Locator(".order-list li").First).ToContainTextAsync("Enterprise");
        await Expect(page.Locator(".order-list li").Filter(new() { HasText = "Starter" })).ToContainTextAsync("default");
        await Screenshots.SaveAsync(page, "plan-groups");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        var phone = await SignedInAsync(s, phone: true);
        await phone.GotoAsync("/console/plan-groups");
        await Expect(phone.Locator(".order-list li")).ToHaveCountAsync(3);
        await Screenshots.SaveAsync(phone, "plan-groups-phone");
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

public sealed class PlanGroupBrowserTestsOnSqlite(SqliteConsoleServer server) : PlanGroupBrowserTests(server), IClassFixture<SqliteConsoleServer>;

public sealed class PlanGroupBrowserTestsOnPostgres(PostgresConsoleServer server) : PlanGroupBrowserTests(server), IClassFixture<PostgresConsoleServer>;
