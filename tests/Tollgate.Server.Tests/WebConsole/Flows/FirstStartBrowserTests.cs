using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Flows;

/// <summary>
/// A console's first day in a real Chromium: the one-time link the server printed creates the owner (there is no
/// default password), the owner signs in, invites a support person by link, and that person joins, signs in and sees
/// what support may do and not the team's admin controls. Screenshots and axe on every page on the way, at laptop and
/// phone width. One test: each step needs the one before it, and a server has one first start.
/// </summary>
public abstract class FirstStartBrowserTests(ConsoleServer server)
{
    private const string OwnerEmail = "olivia@acme.test";
    private const string OwnerPassword = "a long owner passphrase";
    private const string SupportEmail = "sam@acme.test";
    private const string SupportPassword = "sam's own support phrase";

    [Fact]
    public async Task TheOwnerLinkCreatesTheOwnerWhoInvitesSupportWhoSignsInAndSeesNoAdminControls()
    {
        // Before anyone has set up the console: nobody can sign in, and the sign-in page says where the link is.
        var users = server.Services.GetRequiredService<ConsoleUserStore>();
        Assert.False(await users.AnyUserAsync(CancellationToken.None));
        var token = server.Services.GetRequiredService<Bootstrap>().ConsoleSetupToken;
        Assert.False(string.IsNullOrEmpty(token), "the first start makes a one-time owner link");

        var owner = await server.NewPageAsync();
        await owner.GotoAsync("/");
        Assert.EndsWith("/console/sign-in?returnUrl=%2Fconsole", owner.Url, StringComparison.Ordinal);
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("Nobody has set up this console yet");
        await Screenshots.SaveAsync(owner, "sign-in-first-start");
        await Accessibility.AssertNoSeriousViolationsAsync(owner);
        Assert.Equal(401, await ConsoleBrowser.SubmitSignInAsync(owner, "admin@tollgate.test", "admin"));
        await Expect(owner.GetByText("Wrong email or password.")).ToBeVisibleAsync();

        // The owner link, at both widths; opening it uses nothing up.
        var setupLink = $"/console/setup?token={Uri.EscapeDataString(token!)}";
        var phone = await server.NewPhonePageAsync();
        await phone.GotoAsync(setupLink);
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Create the owner" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(phone, "owner-setup-phone");
        await Accessibility.AssertNoSeriousViolationsAsync(phone);
        await phone.Context.CloseAsync();

        await owner.GotoAsync(setupLink);
        await Screenshots.SaveAsync(owner, "owner-setup");
        await Accessibility.AssertNoSeriousViolationsAsync(owner);
        await owner.GetByLabel("Your name", new() { Exact = true }).FillAsync("Olivia Owner");
        await owner.GetByLabel("Email", new() { Exact = true }).FillAsync(OwnerEmail);
        await owner.GetByLabel("Password", new() { Exact = true }).FillAsync(OwnerPassword);
        await owner.GetByLabel("Repeat the password", new() { Exact = true }).FillAsync(OwnerPassword);
        await owner.GetByRole(AriaRole.Button, new() { Name = "Create owner and sign in" }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(owner, u => u.EndsWith("/console", StringComparison.Ordinal));
        await Expect(owner.Locator(".user-chip")).ToContainTextAsync("Olivia Owner");
        await Expect(owner.Locator(".user-chip")).ToContainTextAsync("owner");

        // The link worked once.
        var again = await server.NewPageAsync();
        await again.GotoAsync(setupLink);
        await Expect(again.GetByRole(AriaRole.Heading, new() { Name = "This link does not work" })).ToBeVisibleAsync();
        await again.Context.CloseAsync();

        // Sign out, and in again with the password the owner chose.
        await ConsoleBrowser.SignOutAsync(owner);
        await Screenshots.SaveAsync(owner, "sign-in");
        await Accessibility.AssertNoSeriousViolationsAsync(owner);
        await ConsoleBrowser.SignInAsync(owner, OwnerEmail, OwnerPassword);

        // The team page; the owner invites a support person and gets a link shown once.
        await owner.GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(owner, u => u.EndsWith("/console/team", StringComparison.Ordinal));
        await Screenshots.SaveAsync(owner, "team");
        await Accessibility.AssertNoSeriousViolationsAsync(owner);
        await owner.GetByLabel("Email", new() { Exact = true }).FillAsync(SupportEmail);
        await owner.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("support");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Create invitation link" }).ClickAsync();
        var link = await owner.Locator("#invitation-link").InnerTextAsync();
        Assert.StartsWith(server.BaseUrl + "console/invitation?token=", link, StringComparison.Ordinal);
        await Expect(owner.Locator("section[aria-labelledby=pending-title]")).ToContainTextAsync(SupportEmail);
        await Screenshots.SaveAsync(owner, "team-invitation-link");
        await Accessibility.AssertNoSeriousViolationsAsync(owner);

        var ownerPhone = await server.NewPhonePageAsync();
        await ConsoleBrowser.SignInAsync(ownerPhone, OwnerEmail, OwnerPassword);
        await ownerPhone.GotoAsync("/console/team");
        await Screenshots.SaveAsync(ownerPhone, "team-phone");
        await Accessibility.AssertNoSeriousViolationsAsync(ownerPhone);
        await ownerPhone.Context.CloseAsync();

        // The support person opens the link in a browser of their own, joins, and is signed in with the invited role.
        var support = await server.NewPageAsync();
        await support.GotoAsync(link);
        await Expect(support.Locator("main, body").First).ToContainTextAsync(SupportEmail);
        await Screenshots.SaveAsync(support, "invitation");
        await Accessibility.AssertNoSeriousViolationsAsync(support);
        var supportPhone = await server.NewPhonePageAsync();
        await supportPhone.GotoAsync(link);
        await Screenshots.SaveAsync(supportPhone, "invitation-phone");
        await Accessibility.AssertNoSeriousViolationsAsync(supportPhone);
        await supportPhone.Context.CloseAsync();
        await support.GetByLabel("Your name", new() { Exact = true }).FillAsync("Sam Support");
        await support.GetByLabel("Password", new() { Exact = true }).FillAsync(SupportPassword);
        await support.GetByLabel("Repeat the password", new() { Exact = true }).FillAsync(SupportPassword);
        await support.GetByRole(AriaRole.Button, new() { Name = "Join and sign in" }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(support, u => u.EndsWith("/console", StringComparison.Ordinal));
        await Expect(support.Locator(".user-chip")).ToContainTextAsync("support");

        // Signed out, they sign in with their own password.
        await ConsoleBrowser.SignOutAsync(support);
        await ConsoleBrowser.SignInAsync(support, SupportEmail, SupportPassword);
        await Expect(support.Locator(".user-chip")).ToContainTextAsync("Sam Support");

        // Support sees the team but none of its admin controls: no invitation form, no role pickers, no disabling.
        await support.GotoAsync("/console/team");
        await Expect(support.GetByRole(AriaRole.Heading, new() { Name = "Team", Exact = true })).ToBeVisibleAsync();
        await Expect(support.GetByText("Olivia Owner")).ToBeVisibleAsync();
        await Expect(support.GetByRole(AriaRole.Button, new() { Name = "Create invitation link" })).ToHaveCountAsync(0);
        await Expect(support.Locator("main form")).ToHaveCountAsync(0);
        await Expect(support.Locator("main select")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(support, "team-as-support");
        await Accessibility.AssertNoSeriousViolationsAsync(support);

        // The owner's list now has both, with their roles; the link is used up.
        await owner.GotoAsync("/console/team");
        await Expect(owner.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sam Support" })).ToContainTextAsync("support");
        await owner.GotoAsync(link);
        await Expect(owner.GetByRole(AriaRole.Button, new() { Name = "Join and sign in" })).ToHaveCountAsync(0);
        await owner.Context.CloseAsync();
        await support.Context.CloseAsync();
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}

public sealed class FirstStartBrowserTestsOnSqlite(SqliteConsoleServer server) : FirstStartBrowserTests(server), IClassFixture<SqliteConsoleServer>;

public sealed class FirstStartBrowserTestsOnPostgres(PostgresConsoleServer server) : FirstStartBrowserTests(server), IClassFixture<PostgresConsoleServer>;
