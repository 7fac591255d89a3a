using System.Globalization;
using Microsoft.Playwright;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Companies;

/// <summary>What the companies' browser flows do more than once: sign a new console user in, in a given environment; read a limit bar.</summary>
public static class CompanyBrowser
{
    /// <summary>A new console user of <paramref name="role"/>, signed in through the page and switched (with the top bar's selector) to the environment.</summary>
    public static async Task<IPage> SignInAsync(ConsoleServer server, ConsoleRole role, string environmentId, bool phone = false)
    {
        ArgumentNullException.ThrowIfNull(server);
        var user = await ConsoleUsers.CreateAsync(server, role);
        var page = phone ? await server.NewPhonePageAsync() : await server.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, user.Email);
        await page.GotoAsync("/console");
        // The environment switch submits itself on change.
        await page.GetByLabel("Environment", new() { Exact = true }).SelectOptionAsync(environmentId);
        await page.WaitForSelectorAsync(".flash.info");
        return page;
    }

    /// <summary>The filled share (0–100) of the limit bar named <paramref name="name"/>, as drawn (the SVG fill's width).</summary>
    public static async Task<double> LimitBarFillAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var width = await page.GetByRole(AriaRole.Meter, new() { Name = name, Exact = true }).Locator("rect.limit-bar__fill").GetAttributeAsync("width");
        return double.Parse(width!, CultureInfo.InvariantCulture);
    }

    /// <summary>The text of the limit bar named <paramref name="name"/> as a screen reader hears it ("850 of 1,000 (85%), near limit").</summary>
    public static async Task<string> LimitBarTextAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        return (await page.GetByRole(AriaRole.Meter, new() { Name = name, Exact = true }).GetAttributeAsync("aria-valuetext"))!;
    }
}
