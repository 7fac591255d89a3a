using System.Net;
using System.Text.RegularExpressions;
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
        await ConsoleBrowser.ShowsAsync(page, "**/console/companies?over=true");
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

    /// <summary>
    /// The intermittent "company page never opens" of the browser runs: pressing a result blurred the search box, its
    /// <c>change</c> event searched again, and the fresh results replaced the pressed link before the button came up,
    /// so the click landed on no link and nothing navigated. A person holding the button for a moment (here a second,
    /// far longer than the search takes) must still open the company.
    /// </summary>
    [Fact]
    public async Task PressingASearchResultOpensTheCompanyEvenWhenTheButtonIsHeldWhileTheSearchBoxLosesFocus()
    {
        var s = await PricingScenario.CreateAsync(server);
        var held = await s.CompanyAsync("held-click-robotics", s.Starter, seats: 1);
        await s.CompanyAsync("held-click-other", s.Starter, seats: 1);
        var page = await CompanyBrowser.SignInAsync(server, ConsoleRole.Viewer, s.Api.EnvironmentId!);
        await page.GotoAsync("/console/companies");
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("held-click-rob");
        await Assertions.Expect(Names(page)).ToHaveTextAsync(["held-click-robotics"]);

        var searches = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/console/companies?", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref searches);
            }
        };
        var link = page.Locator("#results").GetByRole(AriaRole.Link, new() { Name = "held-click-robotics", Exact = true });
        var box = (await link.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await page.Mouse.DownAsync();
        await page.WaitForTimeoutAsync(1_000);
        await page.Mouse.UpAsync();

        await ConsoleBrowser.ShowsAsync(page, new Regex($"/console/companies/{Regex.Escape(held)}$"));
        Assert.Equal(0, searches);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Issue 12's "keyboard navigation works" on the console itself: the first Tab reaches the skip link, which jumps
    /// past the navigation; Tab reaches the search box, typing narrows the list, Tab reaches the result and Enter opens it.
    /// </summary>
    [Fact]
    public async Task APersonSkipsTheNavigationFindsACompanyAndOpensItWithTheKeyboardAlone()
    {
        var s = await PricingScenario.CreateAsync(server);
        var wanted = await s.CompanyAsync("keyboard-kestrel", s.Starter, seats: 1);
        await s.CompanyAsync("keyboard-other", s.Starter, seats: 1);
        var page = await CompanyBrowser.SignInAsync(server, ConsoleRole.Viewer, s.Api.EnvironmentId!);
        await page.GotoAsync("/console/companies");

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await FocusedTextAsync(page));
        await page.Keyboard.PressAsync("Enter");
        Assert.EndsWith("#content", page.Url, StringComparison.Ordinal);

        // From the content, the search box is the first stop: nothing of the navigation comes between.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("company-search", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.TypeAsync("keyboard-kes");
        await Assertions.Expect(Names(page)).ToHaveTextAsync(["keyboard-kestrel"]);

        // The person types the rest and Tabs on at once, to the result already listed, without waiting for the answer
        // to what they typed last. That answer is held back until the focus is on the result, so it always arrives
        // after the person moved on (the race that, unfixed, replaced the list under them and dropped the focus to the
        // top of the page).
        var focusOnResult = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(url => url.Contains("q=keyboard-kestrel", StringComparison.Ordinal), async route =>
        {
            await focusOnResult.Task;
            await route.ContinueAsync();
        });
        await page.EvaluateAsync(@"() => {
            window.lastSearchAnswered = false;
            document.addEventListener('htmx:afterRequest', e => {
                if (e.detail.xhr && e.detail.xhr.responseURL.includes('q=keyboard-kestrel')) { window.lastSearchAnswered = true; }
            });
        }");
        await page.Keyboard.TypeAsync("trel");

        // Past the plan, the search button, the four filter chips and the sortable "Company" header: the result.
        for (var presses = 0; presses < 12 && await FocusedTextAsync(page) != "keyboard-kestrel"; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal("keyboard-kestrel", await FocusedTextAsync(page));
        focusOnResult.SetResult();
        await page.WaitForFunctionAsync("() => window.lastSearchAnswered === true");
        // The answer came and went: the focus is still on the result the person Tabbed to, in the list.
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement.isConnected && document.activeElement.matches('#results a.company-name')"));
        Assert.Equal("keyboard-kestrel", await FocusedTextAsync(page));
        await page.Keyboard.PressAsync("Enter");
        await ConsoleBrowser.ShowsAsync(page, new Regex($"/console/companies/{Regex.Escape(wanted)}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "keyboard-kestrel", Level = 1 })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Issue 12's search box: typing fast while the answer to the first text is slow must still leave the list filtered
    /// by the box's final text. The answer to "late-answer" is held until the person has typed on to "late-answer-bravo"
    /// and paused; when it comes, last, the list must end (and stay) as the final text filters it, the URL with it.
    /// </summary>
    [Fact]
    public async Task TheListEndsFilteredByTheSearchBoxsFinalTextWhenTheAnswerToAnEarlierTextComesLate()
    {
        var (page, search) = await CompaniesPageWithAsync("late-answer");

        var firstAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(url => SearchFor("late-answer").IsMatch(url), async route =>
        {
            firstAsked.TrySetResult();
            await release.Task;
            await route.ContinueAsync();
        });
        await search.FillAsync("late-answer");
        await firstAsked.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await search.PressSequentiallyAsync("-bravo");
        // Past the box's 300 ms pause: the search for the final text has been asked for, behind the held one.
        await page.WaitForTimeoutAsync(800);
        release.SetResult();

        await ListEndsFollowingTheBoxAsync(page, search, "late-answer-bravo", "late-answer-bravo");
        Assert.Contains("q=late-answer-bravo", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The answer console.js holds back while the focus is in the list (so a result a person Tabbed to is not taken
    /// away) left the box and the list disagreeing for good: the box said "held-answer-b", the list still showed what
    /// "held-answer" found, and going back to the box changed nothing. Once the focus leaves the list, the list must
    /// follow the box.
    /// </summary>
    [Fact]
    public async Task AnAnswerHeldBackWhileTheFocusIsInTheListIsShownOnceTheFocusLeavesTheList()
    {
        var (page, search) = await CompaniesPageWithAsync("held-answer");
        await search.FillAsync("held-answer");
        await Assertions.Expect(Names(page)).ToHaveTextAsync(["held-answer-alpha", "held-answer-bravo"]);

        // The answer to "held-answer-b" comes only once the person has Tabbed into the list.
        var focusInList = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(url => SearchFor("held-answer-b").IsMatch(url), async route =>
        {
            await focusInList.Task;
            await route.ContinueAsync();
        });
        await page.EvaluateAsync(@"() => {
            window.heldAnswered = false;
            document.addEventListener('htmx:afterRequest', e => {
                if (e.detail.xhr && /[?&]q=held-answer-b(&|$)/.test(e.detail.xhr.responseURL)) { window.heldAnswered = true; }
            });
        }");
        await search.PressSequentiallyAsync("-b");
        await KeyboardFocus.MoveToAsync(page, "#results a.company-name", "Tab", most: 12);
        focusInList.SetResult();
        await page.WaitForFunctionAsync("() => window.heldAnswered === true");
        // Held back: the list the person is in stays as they saw it.
        await Assertions.Expect(Names(page)).ToHaveTextAsync(["held-answer-alpha", "held-answer-bravo"]);

        // Back to the box: the list now follows it.
        await KeyboardFocus.MoveToAsync(page, "#company-search", "Shift+Tab", most: 12);
        await ListEndsFollowingTheBoxAsync(page, search, "held-answer-b", "held-answer-bravo");
        Assert.Equal("company-search", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The companies page, signed in as a viewer, of an environment with two companies, <paramref name="prefix"/>-alpha
    /// and <paramref name="prefix"/>-bravo; answers the page and its search box.
    /// </summary>
    private async Task<(IPage Page, ILocator Search)> CompaniesPageWithAsync(string prefix)
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync($"{prefix}-alpha", s.Starter, seats: 1);
        await s.CompanyAsync($"{prefix}-bravo", s.Starter, seats: 1);
        var page = await CompanyBrowser.SignInAsync(server, ConsoleRole.Viewer, s.Api.EnvironmentId!);
        await page.GotoAsync("/console/companies");
        return (page, page.GetByLabel("Search", new() { Exact = true }));
    }

    /// <summary>The list shows <paramref name="name"/> alone, and still does once no search is in flight, with the box saying <paramref name="text"/>.</summary>
    private static async Task ListEndsFollowingTheBoxAsync(IPage page, ILocator search, string text, string name)
    {
        await Assertions.Expect(Names(page)).ToHaveTextAsync([name]);
        await WaitForSearchesToSettleAsync(page);
        await Assertions.Expect(search).ToHaveValueAsync(text);
        await Assertions.Expect(Names(page)).ToHaveTextAsync([name]);
    }

    /// <summary>A search (the companies form's GET) whose text is exactly <paramref name="text"/>.</summary>
    private static Regex SearchFor(string text) => new($"/console/companies\\?q={Regex.Escape(text)}(&|$)");

    /// <summary>Waits until the search form has no request in flight (htmx marks it with htmx-request meanwhile).</summary>
    private static Task WaitForSearchesToSettleAsync(IPage page) =>
        page.WaitForFunctionAsync("() => !document.querySelector('form[role=search]').classList.contains('htmx-request')");

    private static Task<string> FocusedTextAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()");

    /// <summary>The company names listed in the results, in order.</summary>
    private static ILocator Names(IPage page) => page.Locator("#results a.company-name");
}

/// <summary>On SQLite.</summary>
public sealed class CompanyListBrowserTestsOnSqlite(SqliteConsoleServer server) : CompanyListBrowserTests(server), IClassFixture<SqliteConsoleServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class CompanyListBrowserTestsOnPostgres(PostgresConsoleServer server) : CompanyListBrowserTests(server), IClassFixture<PostgresConsoleServer>;
