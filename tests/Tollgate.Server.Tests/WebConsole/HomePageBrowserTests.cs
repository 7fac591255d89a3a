using Microsoft.Playwright;
using Tollgate.Server.Tests.WebConsole.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole;

/// <summary>
/// The server page (<c>GET /about</c>; <c>/</c> sends a browser on to the console) in a real Chromium: the page renders, names the store, says the server is ready, links the API docs,
/// and has no serious accessibility violation, at laptop and phone width. It also proves the browser fixture itself:
/// a real port, the fake clock's server, screenshots and axe.
/// </summary>
public abstract class HomePageBrowserTests(ConsoleServer server)
{
    [Fact]
    public async Task TheHomePageRendersInChromiumAtLaptopWidthAndPassesAxe()
    {
        var page = await server.NewPageAsync();

        var response = await page.GotoAsync("/about");

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Equal("Tollgate", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(server.Store == Tollgate.Server.Tests.Infrastructure.StoreKind.Postgres ? "PostgreSQL" : "SQLite",
            await page.Locator("dt:text-is('Store') + dd").InnerTextAsync());
        Assert.Equal("Ready", await page.Locator("dt:text-is('Status') + dd span").InnerTextAsync());
        var docs = page.GetByRole(AriaRole.Link, new() { Name = "API reference" });
        Assert.Equal("/docs", await docs.GetAttributeAsync("href"));
        var saved = await Screenshots.SaveAsync(page, "home-desktop");
        Assert.True(new FileInfo(saved).Length > 1000, $"{saved} is a real picture");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // The keyboard reaches the first link, and focus is visible (the page's own focus style).
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Console", await page.EvaluateAsync<string>("document.activeElement.textContent"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheHomePageFitsAPhoneWithoutSidewaysScrollingAndPassesAxe()
    {
        var page = await server.NewPhonePageAsync();

        await page.GotoAsync("/about");

        Assert.Equal(390, await page.EvaluateAsync<int>("window.innerWidth"));
        var scrollWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 390, $"the page is {scrollWidth} px wide on a 390 px phone");
        await Screenshots.SaveAsync(page, "home-phone");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheBrowserReachesTheSameServerTheApiClientAndTheFakeClockDrive()
    {
        // An environment made through the API client is visible to the server the browser talks to.
        var environment = await server.NewEnvironmentAsync();
        var page = await server.NewPageAsync();

        var response = await page.APIRequest.GetAsync("/environments/" + environment.EnvironmentId,
            new() { Headers = new Dictionary<string, string> { ["X-Schematic-Api-Key"] = Tollgate.Server.Tests.Infrastructure.TollgateFactory.SecretKey } });

        Assert.Equal(200, response.Status);
        Assert.Contains(environment.EnvironmentId!, await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", server.BaseUrl.Host);
        Assert.True(server.Time.GetUtcNow() < Tollgate.Server.Tests.Infrastructure.TollgateFactory.Start.AddDays(1), "the server keeps the fixture's fake clock");
        await page.Context.CloseAsync();
    }
}

public sealed class HomePageBrowserTestsOnSqlite(SqliteConsoleServer server) : HomePageBrowserTests(server), IClassFixture<SqliteConsoleServer>;

public sealed class HomePageBrowserTestsOnPostgres(PostgresConsoleServer server) : HomePageBrowserTests(server), IClassFixture<PostgresConsoleServer>;
