using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>What a person does in the console's browser tests more than once: sign in and out through the pages.</summary>
public static partial class ConsoleBrowser
{
    /// <summary>Signs in through <c>/console/sign-in</c> as a person would, and waits for the console to open.</summary>
    public static async Task SignInAsync(IPage page, string email, string password = ConsoleUsers.Password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await SubmitSignInAsync(page, email, password);
        await page.WaitForURLAsync(NotSignIn(), new() { Timeout = 15_000 });
    }

    /// <summary>Fills and sends the sign-in form, and answers the response's status (the page stays where the server put it).</summary>
    public static async Task<int> SubmitSignInAsync(IPage page, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (!page.Url.Contains("/console/sign-in", StringComparison.Ordinal))
        {
            await page.GotoAsync("/console/sign-in");
        }

        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/console/sign-in", StringComparison.Ordinal));
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        return response.Status;
    }

    /// <summary>
    /// A new page (phone or laptop width) signed in as a new console user of <paramref name="role"/>, looking at the
    /// environment <paramref name="environmentId"/>.
    /// </summary>
    public static async Task<IPage> SignedInAsync(ConsoleServer server, ConsoleRole role, string environmentId, bool phone, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var user = await ConsoleUsers.CreateAsync(server, role, name);
        var page = phone ? await server.NewPhonePageAsync() : await server.NewPageAsync();
        await SignInAsync(page, user.Email);
        await ShowEnvironmentAsync(page, environmentId);
        return page;
    }

    /// <summary>Switches the console to the environment with the top bar's switch (it submits itself on change).</summary>
    public static async Task ShowEnvironmentAsync(IPage page, string environmentId)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/console");
        await page.Locator("#environment-switch").SelectOptionAsync(environmentId);
        await page.WaitForSelectorAsync(".flash.info");
    }

    /// <summary>Signs out with the top bar's button and waits for the sign-in page.</summary>
    public static async Task SignOutAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(SignInPage());
    }

    /// <summary>The antiforgery request token of the page (the layout's <c>csrf-token</c> meta tag, else a form's hidden field).</summary>
    public static async Task<string> AntiforgeryTokenAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var token = await page.EvaluateAsync<string?>(
            "() => document.querySelector('meta[name=csrf-token]')?.content ?? document.querySelector('input[name=__RequestVerificationToken]')?.value ?? null");
        return token is { Length: > 0 } ? token : throw new InvalidOperationException($"{page.Url} carries no antiforgery token.");
    }

    [GeneratedRegex("/console/sign-in")]
    private static partial Regex SignInPage();

    [GeneratedRegex("^(?!.*/console/sign-in).*$")]
    private static partial Regex NotSignIn();
}
