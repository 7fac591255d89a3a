using Microsoft.Playwright;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Xunit.Sdk;

namespace Tollgate.Server.Tests.WebConsole;

/// <summary>The browser fixture's own checks fail when they should: axe on a broken page, and a missing Chromium.</summary>
public sealed class BrowserFixtureTests(SqliteConsoleServer server) : IClassFixture<SqliteConsoleServer>
{
    [Fact]
    public async Task TheAccessibilityCheckFailsOnASeriousViolationAndListsItReadably()
    {
        var page = await server.NewPageAsync();
        await page.SetContentAsync("""
            <!doctype html><html lang="en"><head><title>Broken</title></head>
            <body><main><h1>Broken</h1><img src="/nowhere.png"><form><input type="text" name="q"></form></main></body></html>
            """);

        var failure = await Assert.ThrowsAsync<FailException>(() => Accessibility.AssertNoSeriousViolationsAsync(page));

        Assert.Contains("image-alt (critical)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("label (critical)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("<img src=\"/nowhere.png\">", failure.Message, StringComparison.Ordinal);
        Assert.Contains("dequeuniversity.com", failure.Message, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheAccessibilityCheckSeesThePageAsItIsNowOnEachRun()
    {
        // axe stays in the page between checks: a second check of the same page must still read the current document.
        var page = await server.NewPageAsync();
        await page.SetContentAsync("""
            <!doctype html><html lang="en"><head><title>Fine</title></head>
            <body><main><h1>Fine</h1><img src="/nowhere.png" alt="Nothing"></main></body></html>
            """);
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.EvaluateAsync("() => document.querySelector('img').removeAttribute('alt')");
        var failure = await Assert.ThrowsAsync<FailException>(() => Accessibility.AssertNoSeriousViolationsAsync(page));

        Assert.Contains("image-alt (critical)", failure.Message, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheAccessibilityCheckLooksInsideFrames()
    {
        var page = await server.NewPageAsync();
        await page.SetContentAsync("""
            <!doctype html><html lang="en"><head><title>Framed</title></head>
            <body><main><h1>Framed</h1><iframe title="Inner" srcdoc="<!doctype html><html lang=en><head><title>Inner</title></head><body><img src=/nowhere.png></body></html>"></iframe></main></body></html>
            """);

        var failure = await Assert.ThrowsAsync<FailException>(() => Accessibility.AssertNoSeriousViolationsAsync(page));

        Assert.Contains("image-alt (critical)", failure.Message, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AMissingChromiumFailsWithTheInstallCommandInsteadOfSkipping()
    {
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Chromium.LaunchAsync(playwright, "/nonexistent/chromium"));

        Assert.Contains("apt-get install chromium", failure.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/chromium", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachPageIsAPersonOfItsOwnWithItsOwnCookies()
    {
        var first = await server.NewPageAsync();
        var second = await server.NewPhonePageAsync();
        await first.GotoAsync("/about");
        await second.GotoAsync("/about");

        await first.Context.AddCookiesAsync([new Cookie { Name = "who", Value = "first", Url = server.BaseUrl.ToString() }]);

        Assert.Single(await first.Context.CookiesAsync());
        Assert.Empty(await second.Context.CookiesAsync());
        Assert.Equal(1280, first.ViewportSize!.Width);
        Assert.Equal(390, second.ViewportSize!.Width);
        await first.Context.CloseAsync();
        await second.Context.CloseAsync();
    }
}
