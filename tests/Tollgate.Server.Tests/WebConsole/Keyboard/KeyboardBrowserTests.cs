using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Keyboard;

/// <summary>
/// Issue 12's "keyboard navigation works", beyond the company search: a person who uses no mouse signs in, opens the
/// entitlement grid from the navigation, changes a plan's limit in its cell and saves it, then opens a company and adds
/// an override with a note, by Tab, Shift+Tab, Enter, Space and the arrow keys in selects alone. Every stop the focus
/// makes shows a focus ring (<see cref="KeyboardFocus.AssertVisibleAsync"/>). The one step that is not a key press is
/// the choice of the test's environment (the switch submits itself on each arrow press, and the shared server has
/// many environments); the company search by keyboard is <c>CompanyListBrowserTests</c>'.
/// </summary>
public abstract class KeyboardBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task APersonChangesAGridLimitAndAddsAnOverrideWithANoteByKeyboardAlone()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("keyboard-kite", s.Starter, seats: 1);
        Assert.False((await s.CheckAsync("sso", "keyboard-kite")).GetProperty("value").GetBoolean());
        await ConsoleUsers.OwnerAsync(server);
        var page = await server.NewPageAsync();

        // Sign in: the email field has the focus when the page opens; Tab to the password; Enter sends the form.
        await page.GotoAsync("/console/sign-in");
        // Chromium applies autofocus at its next rendering step, which may come after the load event: wait for it.
        await Assertions.Expect(page.Locator("#Input_Email")).ToBeFocusedAsync();
        await KeyboardFocus.AssertVisibleAsync(page);
        await page.Keyboard.TypeAsync(ConsoleUsers.OwnerEmail);
        await KeyboardFocus.MoveToAsync(page, "#Input_Password");
        await page.Keyboard.TypeAsync(ConsoleUsers.Password);
        await ConsoleBrowser.RunAndWaitForNextDocumentAsync(page, async () => { await page.Keyboard.PressAsync("Enter"); return true; });
        await ConsoleBrowser.ShowsAsync(page, new Regex("/console$"));
        await ConsoleBrowser.ShowEnvironmentAsync(page, s.Api.EnvironmentId!);

        // The entitlement grid, from the navigation.
        await KeyboardFocus.MoveToAsync(page, "nav.sidebar a[href='/console/plans/grid']");
        await ConsoleBrowser.RunAndWaitForNextDocumentAsync(page, async () => { await page.Keyboard.PressAsync("Enter"); return true; });
        await ConsoleBrowser.ShowsAsync(page, new Regex("/console/plans/grid$"));

        // Pro's api-calls cell: Enter opens its editor (Save has the focus), Shift+Tab reaches the limit.
        var cell = $"#cell-{s.Pro}-{s.ApiCalls}";
        await KeyboardFocus.MoveToAsync(page, $"{cell} a");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator($"{cell} form")).ToBeVisibleAsync();
        await KeyboardFocus.MoveToAsync(page, $"{cell} input[name='Input.ValueNumeric']", "Shift+Tab", most: 20);
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("2500");
        await KeyboardFocus.MoveToAsync(page, $"{cell} button[type='submit']", most: 20);
        await page.RunAndWaitForResponseAsync(
            () => page.Keyboard.PressAsync("Enter"),
            r => r.Request.Method == "POST" && r.Url.Contains("handler=Save", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator(cell)).ToContainTextAsync("2,500");
        var limit = (await s.Api.GetAsync($"/plan-entitlements?plan_id={s.Pro}&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Single(e => e.GetProperty("feature_id").GetString() == s.ApiCalls);
        Assert.Equal(2500, limit.GetProperty("value_numeric").GetInt64());

        // The company, from the navigation and the search.
        await KeyboardFocus.MoveToAsync(page, "nav.sidebar a[href='/console/companies']", "Shift+Tab", most: 200);
        await ConsoleBrowser.RunAndWaitForNextDocumentAsync(page, async () => { await page.Keyboard.PressAsync("Enter"); return true; });
        await KeyboardFocus.MoveToAsync(page, "#company-search");
        await page.Keyboard.TypeAsync("keyboard-kite");
        // The list follows the typing 300 ms after each key; the last answer (its address pushed) must be in before Tab
        // moves on, or it replaces the list under the focus.
        await ConsoleBrowser.ShowsAsync(page, new Regex("[?&]q=keyboard-kite(&|$)"));
        await Assertions.Expect(page.Locator("#results a.company-name")).ToHaveTextAsync(["keyboard-kite"]);
        await KeyboardFocus.MoveToAsync(page, "#results a.company-name", most: 20);
        await ConsoleBrowser.RunAndWaitForNextDocumentAsync(page, async () => { await page.Keyboard.PressAsync("Enter"); return true; });
        await ConsoleBrowser.ShowsAsync(page, new Regex($"/console/companies/{Regex.Escape(company)}$"));

        // The override form opens with Space on its summary; the arrow keys choose the feature and the value.
        await KeyboardFocus.MoveToAsync(page, "details.company-action:has(form[action*='handler=Override']) > summary", most: 150);
        await page.Keyboard.PressAsync("Space");
        await KeyboardFocus.MoveToAsync(page, "#Override_FeatureId", most: 5);
        await ChooseByArrowsAsync(page, "#Override_FeatureId", s.Sso);
        await KeyboardFocus.MoveToAsync(page, "#Override_ValueType", most: 5);
        Assert.Equal("on", await page.Locator("#Override_ValueType").InputValueAsync());
        await KeyboardFocus.MoveToAsync(page, "#Override_Note", most: 20);
        await page.Keyboard.TypeAsync("Agreed on the phone: SSO for the pilot");
        await KeyboardFocus.MoveToAsync(page, "form[action*='handler=Override'] button[type='submit']", most: 10);
        await ConsoleBrowser.RunAndWaitForNextDocumentAsync(page, async () => { await page.Keyboard.PressAsync("Enter"); return true; });

        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Agreed on the phone: SSO for the pilot");
        Assert.True((await s.CheckAsync("sso", "keyboard-kite")).GetProperty("value").GetBoolean(), "the override made by keyboard turns sso on");
        await page.Context.CloseAsync();
    }

    /// <summary>Presses ArrowDown on the focused select until it holds <paramref name="value"/> (a closed select changes its value with each press).</summary>
    private static async Task ChooseByArrowsAsync(IPage page, string select, string value)
    {
        for (var presses = 0; presses < 30 && await page.Locator(select).InputValueAsync() != value; presses++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }

        Assert.Equal(value, await page.Locator(select).InputValueAsync());
    }
}

/// <summary>On SQLite.</summary>
public sealed class KeyboardBrowserTestsOnSqlite(SqliteConsoleServer server) : KeyboardBrowserTests(server), IClassFixture<SqliteConsoleServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class KeyboardBrowserTestsOnPostgres(PostgresConsoleServer server) : KeyboardBrowserTests(server), IClassFixture<PostgresConsoleServer>;
