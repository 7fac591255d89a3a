using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Flows;

/// <summary>
/// Who may write, in a real Chromium: a viewer finds no usable form on any console page and every POST to every console
/// page is refused with 403 even with a valid antiforgery token (the pages and their handlers come from the running
/// app, so a page added later is covered); a POST without the token is refused; wrong passwords lock the account until
/// the lockout has passed.
/// </summary>
public abstract partial class AccessControlBrowserTests(ConsoleServer server)
{
    // Pages a person uses before signing in; they have their own tests (first start, sign-in).
    private static readonly string[] AnonymousPages = ["/console/sign-in", "/console/setup", "/console/invitation"];

    [Fact]
    public async Task AViewerFindsEveryFormThatWritesAbsentOrDisabledOnEveryConsolePage()
    {
        await SomethingToEditAsync();
        var viewer = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer, "Vera Viewer");
        var writes = await ConsoleRoutes.WritesAsync(server.Services);
        var open = writes.Where(w => w.IsOpenToEveryone).Select(w => w.Url).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var page = await server.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, viewer.Email);

        var looked = new List<string>();
        var problems = new List<string>();
        foreach (var path in ConsoleRoutes.Pages(server.Services).Where(p => !AnonymousPages.Contains(p, StringComparer.OrdinalIgnoreCase)))
        {
            var response = await page.GotoAsync(path);
            if (response?.Status != 200 || !page.Url.EndsWith(path, StringComparison.OrdinalIgnoreCase))
            {
                continue; // a page that needs a real record, or only takes POSTs; its POSTs are covered below
            }

            looked.Add(path);
            foreach (var form in await page.EvaluateAsync<WriteControl[]>(WriteControlsScript))
            {
                var target = new Uri(form.Action);
                var handler = HandlerQuery().Match(target.Query);
                var url = target.AbsolutePath + (handler.Success ? "?handler=" + handler.Groups[1].Value : string.Empty);
                if (form.Enabled && !open.Contains(url))
                {
                    problems.Add($"{path}: a usable {form.Kind} that writes to {url}");
                }
            }
        }

        Assert.Contains("/console", looked);
        Assert.Contains("/console/team", looked);
        Assert.Contains("/console/account", looked);
        Assert.True(problems.Count == 0, "A viewer can use forms that write:\n" + string.Join('\n', problems));
        await page.GotoAsync("/console/team");
        await Screenshots.SaveAsync(page, "team-as-viewer");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task EveryPostToEveryConsolePageIsRefusedToAViewerWith403EvenWithAValidAntiforgeryToken()
    {
        await SomethingToEditAsync();
        var viewer = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer);
        var users = server.Services.GetRequiredService<ConsoleUserStore>();
        var before = (await users.ListAsync(CancellationToken.None)).Count + (await users.ListPendingInvitationsAsync(CancellationToken.None)).Count;
        var writes = await ConsoleRoutes.WritesAsync(server.Services);
        var page = await server.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, viewer.Email);
        await page.GotoAsync("/console");
        var token = await ConsoleBrowser.AntiforgeryTokenAsync(page);

        var refusedUrls = new List<string>();
        var problems = new List<string>();
        foreach (var write in writes.Where(w => !w.IsOpenToEveryone))
        {
            var form = page.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", token);
            form.Set("userId", "cusr_placeholder");
            form.Set("invitationId", "inv_placeholder");
            form.Set("role", "owner");
            form.Set("Invite.Email", "intruder@tollgate.test");
            form.Set("Invite.Role", "owner");
            var response = await page.APIRequest.FetchAsync(write.Url, new() { Method = write.Method, Form = form, MaxRedirects = 0 });
            if (response.Status == 403)
            {
                refusedUrls.Add(write.Url);
            }
            else
            {
                problems.Add($"{write.Method} {write.Url} ({write.Source}, area {write.Area?.ToString() ?? "undeclared"}) answered {response.Status}");
            }
        }

        // The walk found the console's writes (the team's at least), and the token itself was good: the same token
        // switches the viewer's own environment (a write to their own session, open to every role).
        Assert.Contains("/console/team?handler=Invite", refusedUrls, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("/console/team?handler=Role", refusedUrls, StringComparer.OrdinalIgnoreCase);
        Assert.True(problems.Count == 0, "The console let a viewer post:\n" + string.Join('\n', problems));
        var control = page.APIRequest.CreateFormData();
        control.Set("__RequestVerificationToken", token);
        control.Set("returnUrl", "/console");
        var own = await page.APIRequest.PostAsync("/console/environment", new() { Form = control, MaxRedirects = 0 });
        Assert.Equal(302, own.Status);
        var after = (await users.ListAsync(CancellationToken.None)).Count + (await users.ListPendingInvitationsAsync(CancellationToken.None)).Count;
        Assert.Equal(before, after);

        // What a viewer sees when a refused form is sent anyway: a page that says so, not an error dump.
        var refused = await page.APIRequest.PostAsync("/console/team?handler=Invite", new() { Form = control, MaxRedirects = 0 });
        Assert.Equal(403, refused.Status);
        Assert.Contains("Your role may not change the team", await refused.TextAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        await ConsoleUsers.OwnerAsync(server);
        var users = server.Services.GetRequiredService<ConsoleUserStore>();
        var page = await server.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, ConsoleUsers.OwnerEmail);
        await page.GotoAsync("/console/team");
        var email = $"no-token-{Guid.NewGuid():N}@tollgate.test";

        var form = page.APIRequest.CreateFormData();
        form.Set("Invite.Email", email);
        form.Set("Invite.Role", "viewer");
        var withoutToken = await page.APIRequest.PostAsync("/console/team?handler=Invite", new() { Form = form, MaxRedirects = 0 });

        Assert.Equal(400, withoutToken.Status);
        Assert.DoesNotContain(await users.ListPendingInvitationsAsync(CancellationToken.None), i => i.Email == email);

        // The same form with the page's token goes through: the refusal was the token's.
        form.Set("__RequestVerificationToken", await ConsoleBrowser.AntiforgeryTokenAsync(page));
        var withToken = await page.APIRequest.PostAsync("/console/team?handler=Invite", new() { Form = form, MaxRedirects = 0 });
        Assert.Equal(302, withToken.Status);
        Assert.Contains(await users.ListPendingInvitationsAsync(CancellationToken.None), i => i.Email == email);

        // Signing in needs the token too.
        var anonymous = await server.NewPageAsync();
        var signIn = anonymous.APIRequest.CreateFormData();
        signIn.Set("Input.Email", ConsoleUsers.OwnerEmail);
        signIn.Set("Input.Password", ConsoleUsers.Password);
        var bare = await anonymous.APIRequest.PostAsync("/console/sign-in", new() { Form = signIn, MaxRedirects = 0 });
        Assert.Equal(400, bare.Status);
        Assert.DoesNotContain(await anonymous.Context.CookiesAsync(), c => c.Name == "tollgate_console");
        await page.Context.CloseAsync();
        await anonymous.Context.CloseAsync();
    }

    [Fact]
    public async Task WrongPasswordsLockTheAccountEvenAgainstTheRightOneUntilTheLockoutHasPassed()
    {
        var user = await ConsoleUsers.CreateAsync(server, ConsoleRole.Support, "Lou Locked");
        var settings = server.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value;
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");

        for (var attempt = 1; attempt < settings.LockoutThreshold; attempt++)
        {
            Assert.Equal(401, await ConsoleBrowser.SubmitSignInAsync(page, user.Email, $"wrong guess {attempt}"));
            await Assertions.Expect(page.GetByText("Wrong email or password.")).ToBeVisibleAsync();
        }

        Assert.Equal(401, await ConsoleBrowser.SubmitSignInAsync(page, user.Email, "the last wrong guess"));
        await Assertions.Expect(page.GetByText("This account is locked after too many wrong passwords.")).ToBeVisibleAsync();
        Assert.Equal(401, await ConsoleBrowser.SubmitSignInAsync(page, user.Email, ConsoleUsers.Password));
        await Assertions.Expect(page.GetByText("This account is locked after too many wrong passwords.")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "sign-in-locked");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Shortly before the lockout ends it still holds; after it, the right password works.
        server.Time.Advance(settings.LockoutDuration - TimeSpan.FromSeconds(30));
        Assert.Equal(401, await ConsoleBrowser.SubmitSignInAsync(page, user.Email, ConsoleUsers.Password));
        server.Time.Advance(TimeSpan.FromMinutes(1));
        await ConsoleBrowser.SignInAsync(page, user.Email);
        await Assertions.Expect(page.Locator(".user-chip")).ToContainTextAsync("Lou Locked");
        await page.Context.CloseAsync();
    }

    /// <summary>Rows a writer could act on (another user, a pending invitation), so the pages show every kind of form.</summary>
    private async Task SomethingToEditAsync()
    {
        var owner = await ConsoleUsers.OwnerAsync(server);
        await ConsoleUsers.CreateAsync(server, ConsoleRole.Support);
        await server.Services.GetRequiredService<ConsoleAccounts>().InviteAsync(owner, $"pending-{Guid.NewGuid():N}@tollgate.test", "editor", CancellationToken.None);
    }

    // Every control on the page that would send a write: POST forms, and htmx attributes that post, put, patch or delete.
    private const string WriteControlsScript = """
        () => {
          const usable = f => [...f.querySelectorAll('button, input[type=submit], input[type=image]')]
            .filter(b => b.tagName !== 'BUTTON' || (b.getAttribute('type') ?? 'submit') === 'submit')
            .some(b => !b.matches(':disabled'))
            || (f.hasAttribute('data-autosubmit') || f.querySelector('[data-autosubmit]') !== null) && [...f.elements].some(e => !e.matches(':disabled'));
          const forms = [...document.querySelectorAll('form')]
            .filter(f => (f.getAttribute('method') ?? 'get').toLowerCase() === 'post')
            .map(f => ({ kind: 'form', action: f.action, enabled: usable(f) }));
          const htmx = [...document.querySelectorAll('[hx-post],[hx-put],[hx-patch],[hx-delete]')]
            .map(e => ({ kind: 'htmx control', action: new URL(e.getAttribute('hx-post') ?? e.getAttribute('hx-put') ?? e.getAttribute('hx-patch') ?? e.getAttribute('hx-delete'), location.href).href, enabled: !e.matches(':disabled') }));
          return forms.concat(htmx);
        }
        """;

    [GeneratedRegex(@"[?&]handler=([^&]+)")]
    private static partial Regex HandlerQuery();

    /// <summary>A control of the page that writes: where it sends, and whether a person can use it (filled from the page's script).</summary>
    public sealed class WriteControl
    {
        public string Kind { get; set; } = string.Empty;

        public string Action { get; set; } = string.Empty;

        public bool Enabled { get; set; }
    }
}

public sealed class AccessControlBrowserTestsOnSqlite(SqliteConsoleServer server) : AccessControlBrowserTests(server), IClassFixture<SqliteConsoleServer>;

public sealed class AccessControlBrowserTestsOnPostgres(PostgresConsoleServer server) : AccessControlBrowserTests(server), IClassFixture<PostgresConsoleServer>;
