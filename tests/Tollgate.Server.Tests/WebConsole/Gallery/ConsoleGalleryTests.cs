using Microsoft.Playwright;
using Tollgate.Server.Tests.WebConsole.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Gallery;

/// <summary>
/// Every console page the app has, looked at as the owner on a laptop (1280 px) and on a phone (390 px), with real data
/// behind every route parameter: each must answer 200, fit the screen's width (no sideways scrolling of the document),
/// pass axe with no serious or critical violation and log no script error; on a laptop the sidebar's background must
/// run the page's full height. Each is saved as <c>gallery/&lt;page&gt;-&lt;desktop|phone&gt;.png</c>. One walk per store,
/// failing with every page that failed and why.
/// </summary>
public abstract class ConsoleGalleryTests(ConsoleServer server)
{
    // Pages that take only POSTs and send a plain GET back to the console: not pages to look at, but they must redirect.
    private static readonly HashSet<string> RedirectOnly = new(StringComparer.OrdinalIgnoreCase) { "/console/environment", "/console/sign-out" };

    [Fact]
    public async Task EveryConsolePageAnswersFitsALaptopAndAPhonePassesAxeAndIsScreenshotted()
    {
        var seed = await GallerySeed.CreateAsync(server);
        var problems = new List<string>();
        var pages = GalleryRoutes.Pages(server.Services, seed.Fillers, seed.Queries, problems);
        var desktop = await SignedInAsync(await server.NewPageAsync(), seed);
        var phone = await SignedInAsync(await server.NewPhonePageAsync(), seed);

        foreach (var page in pages.Where(p => RedirectOnly.Contains(p.Template)))
        {
            var response = await desktop.APIRequest.GetAsync(page.Url, new() { MaxRedirects = 0 });
            if (response.Status != 302)
            {
                problems.Add($"{page.Url}: expected a redirect (it only takes POSTs), got {response.Status}");
            }
        }

        // The laptop and the phone walk side by side, each in its own browser context: the walk is nearly all of this
        // test's time, and most of it is spent waiting on Chromium.
        var walkable = pages.Where(p => !RedirectOnly.Contains(p.Template)).ToList();
        var walks = await Task.WhenAll(WalkAsync(desktop, walkable, "desktop"), WalkAsync(phone, walkable, "phone"));
        problems.AddRange(walks.SelectMany(w => w));
        var looked = walkable.Select(p => p.Template).ToList();

        Assert.Contains("/console/companies/{id}", looked);
        Assert.Contains("/console/team", looked);
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s) on the console's pages:\n" + string.Join('\n', problems));
        await desktop.Context.CloseAsync();
        await phone.Context.CloseAsync();
    }

    private static async Task<List<string>> WalkAsync(IPage browser, IEnumerable<GalleryRoutes.GalleryPage> pages, string size)
    {
        var problems = new List<string>();
        foreach (var page in pages)
        {
            problems.AddRange((await LookAtAsync(browser, page, size)).Select(p => $"{page.Url} at {size}: {p}"));
        }

        return problems;
    }

    private static async Task<List<string>> LookAtAsync(IPage page, GalleryRoutes.GalleryPage target, string size)
    {
        var problems = new List<string>();
        var errors = new List<string>();
        void OnConsole(object? sender, IConsoleMessage message)
        {
            if (message.Type == "error")
            {
                errors.Add("console error: " + message.Text);
            }
        }

        void OnPageError(object? sender, string error) => errors.Add("script error: " + error);
        page.Console += OnConsole;
        page.PageError += OnPageError;
        try
        {
            var response = await page.GotoAsync(target.Url);
            if (response?.Status != 200)
            {
                problems.Add($"answered {response?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}");
                return problems;
            }

            if (!new Uri(page.Url).PathAndQuery.Equals(target.Url, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"ended at {new Uri(page.Url).PathAndQuery}");
            }

            var fit = await page.EvaluateAsync<int[]>(
                "() => [document.documentElement.scrollWidth, window.innerWidth, Math.ceil(document.querySelector('nav.sidebar')?.getBoundingClientRect().height ?? -1), document.documentElement.scrollHeight]");
            if (fit[0] > fit[1])
            {
                problems.Add($"the document is {fit[0]} px wide in a {fit[1]} px window ({fit[0] - fit[1]} px of sideways scrolling)");
            }

            if (size == "desktop" && fit[2] >= 0 && fit[2] < fit[3])
            {
                problems.Add($"the sidebar is {fit[2]} px tall on a {fit[3]} px page");
            }

            await Screenshots.SaveAsync(page, "gallery", $"{target.Name}-{size}");
            if (size == "desktop")
            {
                problems.AddRange(await SkipLinkProblemsAsync(page));
            }

            try
            {
                await Accessibility.AssertNoSeriousViolationsAsync(page);
            }
            catch (Xunit.Sdk.XunitException axe)
            {
                problems.Add(axe.Message);
            }
        }
        finally
        {
            page.Console -= OnConsole;
            page.PageError -= OnPageError;
        }

        problems.AddRange(errors);
        return problems;
    }

    /// <summary>
    /// The skip link of a page with the navigation: it is the first stop of Tab (or, on a page that gives a field the
    /// focus when it opens, it is reached with Shift+Tab from the start), shows a focus ring, and Enter moves the focus
    /// to the content, so that the next Tab lands in the content and not in the navigation.
    /// </summary>
    private static async Task<List<string>> SkipLinkProblemsAsync(IPage page)
    {
        if (await page.Locator("nav.sidebar").CountAsync() == 0)
        {
            return [];
        }

        var problems = new List<string>();
        if (await page.EvaluateAsync<bool>("() => document.activeElement === document.body"))
        {
            await page.Keyboard.PressAsync("Tab");
        }
        else
        {
            await page.Locator(".skip-link").FocusAsync();
        }

        if (await KeyboardFocus.TextAsync(page) != "Skip to content")
        {
            return [$"the first Tab reaches \"{await KeyboardFocus.TextAsync(page)}\", not the skip link"];
        }

        try
        {
            await KeyboardFocus.AssertVisibleAsync(page);
        }
        catch (Xunit.Sdk.XunitException ring)
        {
            problems.Add(ring.Message);
        }

        await page.Keyboard.PressAsync("Enter");
        if (await KeyboardFocus.IdAsync(page) != "content")
        {
            problems.Add($"the skip link moved the focus to #{await KeyboardFocus.IdAsync(page)}, not to the content");
        }

        await page.Keyboard.PressAsync("Tab");
        if (!await page.EvaluateAsync<bool>("() => document.activeElement === document.body || !!document.activeElement.closest('#content')"))
        {
            problems.Add($"after the skip link, Tab reaches #{await KeyboardFocus.IdAsync(page)} \"{await KeyboardFocus.TextAsync(page)}\" outside the content");
        }

        return problems;
    }

    private static async Task<IPage> SignedInAsync(IPage page, GallerySeed seed)
    {
        await ConsoleBrowser.SignInAsync(page, ConsoleUsers.OwnerEmail);
        await ConsoleBrowser.ShowEnvironmentAsync(page, seed.Scenario.Api.EnvironmentId!);
        return page;
    }
}

// On both stores: the walk looks at markup, layout and accessibility, and each page draws what its store's queries answer
// (an empty state, a count, an order), so a page that reads differently on PostgreSQL shows in its screenshots. It takes
// minutes on each.
public sealed class ConsoleGalleryTestsOnSqlite(SqliteConsoleServer server) : ConsoleGalleryTests(server), IClassFixture<SqliteConsoleServer>;

public sealed class ConsoleGalleryTestsOnPostgres(PostgresConsoleServer server) : ConsoleGalleryTests(server), IClassFixture<PostgresConsoleServer>;
