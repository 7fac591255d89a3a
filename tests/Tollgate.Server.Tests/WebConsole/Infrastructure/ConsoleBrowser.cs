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
        await ShowsAsync(page, NotSignIn());
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
        var response = await RunAndWaitForNextDocumentAsync(page, () => page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/console/sign-in", StringComparison.Ordinal)));
        return response.Status;
    }

    /// <summary>
    /// Runs <paramref name="action"/> (which makes the page load another document: a form sent, a link followed) and
    /// waits until that next document has replaced the current one, whatever its address.
    /// </summary>
    /// <remarks>
    /// Not <c>WaitForLoadStateAsync</c>: Playwright for .NET checks whether the state has fired and only then subscribes
    /// to its event, on another thread than the one that delivers the event, so an event delivered in between is lost
    /// and the wait runs to its timeout although the page loaded (seen under load: DOMContentLoaded fired 1.6 s after
    /// the sign-in form was sent, and the wait saw only "networkidle" for 60 s). Instead the current document is
    /// marked, and a locator assertion (polled, and carried across navigations) waits for a document without the mark.
    /// What the caller does next auto-waits for its elements.
    /// </remarks>
    public static async Task<T> RunAndWaitForNextDocumentAsync<T>(IPage page, Func<Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(action);
        await page.EvaluateAsync("() => document.documentElement.setAttribute('data-left-behind', '')");
        var result = await action();
        await Assertions.Expect(page.Locator("html[data-left-behind]")).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        return result;
    }

    /// <summary>
    /// Waits until the page's address satisfies <paramref name="url"/> (a navigation has committed there), polling the
    /// address: the race-free stand-in for <c>WaitForURLAsync</c>, whose wait for the load state can miss its event
    /// (see <see cref="RunAndWaitForNextDocumentAsync"/>). What the caller does next auto-waits for its elements.
    /// </summary>
    public static async Task ShowsAsync(IPage page, Func<string, bool> url, int timeoutMilliseconds = 60_000)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(url);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!url(page.Url))
        {
            if (waited.ElapsedMilliseconds > timeoutMilliseconds)
            {
                throw new TimeoutException($"The page stayed at {page.Url} for {timeoutMilliseconds} ms.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary><see cref="ShowsAsync(IPage, Func{string, bool}, int)"/> for an address matching <paramref name="url"/>.</summary>
    public static Task ShowsAsync(IPage page, Regex url, int timeoutMilliseconds = 60_000)
    {
        ArgumentNullException.ThrowIfNull(url);
        return ShowsAsync(page, url.IsMatch, timeoutMilliseconds);
    }

    /// <summary>
    /// <see cref="ShowsAsync(IPage, Func{string, bool}, int)"/> for an address matching Playwright's glob
    /// <paramref name="glob"/> (<c>**</c> any text, <c>*</c> any text without a slash, <c>?</c> one character).
    /// </summary>
    public static Task ShowsAsync(IPage page, string glob, int timeoutMilliseconds = 60_000)
    {
        ArgumentNullException.ThrowIfNull(glob);
        var pattern = Regex.Escape(glob).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal);
        return ShowsAsync(page, new Regex("^" + pattern + "$"), timeoutMilliseconds);
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
        await RunAndWaitForNextDocumentAsync(page, async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            return true;
        });
        await ShowsAsync(page, SignInPage());
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
