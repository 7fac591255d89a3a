using System.Net;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Flags;

/// <summary>
/// The flag pages in Chromium: a rule made in the rules editor changes what the check API answers, and "Check as…"
/// then shows that rule as the deciding one; every page at laptop and phone width, screenshotted and checked by axe.
/// </summary>
public abstract class FlagBrowserTests(ConsoleServer server)
{
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
        var editor = await ConsoleUsers.CreateAsync(server, ConsoleRole.Editor);
        var page = phone ? await server.NewPhonePageAsync() : await server.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, editor.Email);
        await page.GotoAsync("/console");
        // The environment switch submits itself on change.
        await page.Locator("#environment-switch").SelectOptionAsync(s.Api.EnvironmentId!);
        await page.WaitForSelectorAsync(".flash.info");
        return (s, page);
    }
}

public sealed class FlagBrowserTestsOnSqlite(SqliteConsoleServer server) : FlagBrowserTests(server), IClassFixture<SqliteConsoleServer>;

public sealed class FlagBrowserTestsOnPostgres(PostgresConsoleServer server) : FlagBrowserTests(server), IClassFixture<PostgresConsoleServer>;
