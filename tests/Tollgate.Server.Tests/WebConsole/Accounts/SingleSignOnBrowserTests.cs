using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Accounts;

/// <summary>
/// OpenID Connect sign-in in Chromium against a fake identity provider: someone invited, and someone who already has an
/// account, sign in through the provider and land in the console with their role; someone the console never invited is
/// refused with a page that says why, and gets no session.
/// </summary>
public abstract class SingleSignOnBrowserTests(OidcConsoleServer server)
{
    [Fact]
    public async Task InvitedAndKnownPeopleSignInThroughTheProviderWithTheirRoleAndStrangersAreRefused()
    {
        var owner = await ConsoleUsers.OwnerAsync(server);
        var accounts = server.Services.GetRequiredService<ConsoleAccounts>();
        var invited = $"sso-invited-{Guid.NewGuid():N}@tollgate.test";
        await accounts.InviteAsync(owner, invited, "support", CancellationToken.None);
        var known = await ConsoleUsers.CreateAsync(server, ConsoleRole.Editor, "Kim Known");

        // Invited: the invitation is accepted by signing in, with the invited role and the provider's name.
        var page = await SignInThroughProviderAsync(invited, "Ivy Invited", screenshot: true);
        await LandedInTheConsoleAsync(page);
        await Assertions.Expect(page.Locator(".user-chip")).ToContainTextAsync("Ivy Invited");
        await Assertions.Expect(page.Locator(".user-chip .badge")).ToHaveTextAsync("support");
        var user = (await server.Services.GetRequiredService<ConsoleUserStore>().ListAsync(CancellationToken.None)).Single(u => u.Email == invited);
        Assert.Equal(ConsoleRole.Support, user.Role);
        Assert.Equal("fake|" + invited, user.OidcSubject);
        Assert.Null(user.PasswordHash);
        Assert.DoesNotContain(await server.Services.GetRequiredService<ConsoleUserStore>().ListPendingInvitationsAsync(CancellationToken.None), i => i.Email == invited);
        await page.GotoAsync("/console/account");
        await Assertions.Expect(page.GetByText("You sign in with single sign-on")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "sso-account");
        await page.Context.CloseAsync();

        // Known: an account made with a password is linked to the provider's subject and keeps its role.
        var second = await SignInThroughProviderAsync(known.Email, "Kim from the IdP", screenshot: false);
        await LandedInTheConsoleAsync(second);
        await Assertions.Expect(second.Locator(".user-chip")).ToContainTextAsync("Kim Known");
        await Assertions.Expect(second.Locator(".user-chip .badge")).ToHaveTextAsync("editor");
        Assert.Equal("fake|" + known.Email, (await server.Services.GetRequiredService<ConsoleUserStore>().FindAsync(known.Id, CancellationToken.None))!.OidcSubject);
        await second.Context.CloseAsync();

        // A stranger: the provider vouches for them, the console does not know them.
        var issuedBefore = server.Provider.TokensIssued;
        var stranger = await SignInThroughProviderAsync($"stranger-{Guid.NewGuid():N}@tollgate.test", "Sam Stranger", screenshot: false);
        await ConsoleBrowser.ShowsAsync(stranger, url => url.Contains("/console/sign-in?error=", StringComparison.Ordinal));
        await Assertions.Expect(stranger.GetByText("this console has no account or invitation for that email")).ToBeVisibleAsync();
        Assert.Equal(issuedBefore + 1, server.Provider.TokensIssued);
        Assert.DoesNotContain(await stranger.Context.CookiesAsync(), c => c.Name == "tollgate_console");
        var console = await stranger.GotoAsync("/console");
        Assert.Contains("/console/sign-in", stranger.Url, StringComparison.Ordinal);
        Assert.Equal(200, console!.Status);
        await Screenshots.SaveAsync(stranger, "sso-refused");
        await Accessibility.AssertNoSeriousViolationsAsync(stranger);
        await stranger.Context.CloseAsync();
    }

    private async Task LandedInTheConsoleAsync(IPage page)
    {
        if (page.Url != server.BaseUrl + "console")
        {
            var said = await page.Locator(".flash, [role=alert], .validation-summary-errors").AllInnerTextsAsync();
            Assert.Fail($"single sign-on ended at {page.Url}, not the console; the page said: {string.Join(" | ", said)}");
        }
    }

    // Opens the sign-in page, follows its single sign-on button to the provider, and "signs in" there as the email.
    private async Task<IPage> SignInThroughProviderAsync(string email, string name, bool screenshot)
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");
        if (screenshot)
        {
            await Screenshots.SaveAsync(page, "sso-sign-in");
            await Accessibility.AssertNoSeriousViolationsAsync(page);
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Fake IdP" }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(page, url => url.StartsWith(server.Provider.Authority + "/authorize", StringComparison.Ordinal));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(page, url => !url.StartsWith(server.Provider.Authority, StringComparison.Ordinal) && !url.Contains("/oidc/callback", StringComparison.Ordinal));
        return page;
    }
}

public sealed class SingleSignOnBrowserTestsOnSqlite(OidcSqliteConsoleServer server) : SingleSignOnBrowserTests(server), IClassFixture<OidcSqliteConsoleServer>;

public sealed class SingleSignOnBrowserTestsOnPostgres(OidcPostgresConsoleServer server) : SingleSignOnBrowserTests(server), IClassFixture<OidcPostgresConsoleServer>;
