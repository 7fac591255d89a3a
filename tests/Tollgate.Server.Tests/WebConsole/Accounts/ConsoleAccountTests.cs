using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Accounts;

/// <summary>
/// The console's accounts over HTTP, as a browser sends them: the one-time owner link, sign-in and lockout,
/// invitations, roles taking effect at once, default-deny writes and antiforgery.
/// </summary>
public abstract class ConsoleAccountTests(TollgateFactory server)
{
    [Fact]
    public async Task TheConsoleAsksForSignInAndKnowsNoDefaultPassword()
    {
        using var anonymous = ConsoleHttp.Anonymous(server);

        using var page = await anonymous.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/console/sign-in", page.Headers.Location?.AbsolutePath);
        foreach (var guess in new[] { ("admin@example.com", "admin"), ("owner@tollgate.test", "password"), ("admin@tollgate.test", "tollgate") })
        {
            using var attempt = await anonymous.PostFormAsync("/console/sign-in", new() { ["Input.Email"] = guess.Item1, ["Input.Password"] = guess.Item2 });
            Assert.Equal(HttpStatusCode.Unauthorized, attempt.StatusCode);
        }
    }

    [Fact]
    public async Task TheSetupLinkCreatesTheOwnerOnceAndThenNoLinkWorks()
    {
        await ConsoleUsers.OwnerAsync(server);
        var accounts = server.Services.GetRequiredService<ConsoleAccounts>();

        Assert.Null(await accounts.CreateSetupLinkAsync(CancellationToken.None));
        using var anonymous = ConsoleHttp.Anonymous(server);
        var html = await anonymous.PageAsync("/console/setup?token=anything");
        Assert.Contains("This link does not work", html, StringComparison.Ordinal);
        using var owner = await ConsoleHttp.SignInAsync(server, ConsoleUsers.OwnerEmail);
        Assert.Contains("Olivia Owner", await owner.PageAsync("/console"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswordsLockTheAccountUntilTheLockoutEnds()
    {
        var user = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer);
        using var anonymous = ConsoleHttp.Anonymous(server);

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await anonymous.PostFormAsync("/console/sign-in", new() { ["Input.Email"] = user.Email, ["Input.Password"] = $"not the password {attempt}" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var locked = await anonymous.PostFormAsync("/console/sign-in", new() { ["Input.Email"] = user.Email, ["Input.Password"] = ConsoleUsers.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        server.Time.Advance(TimeSpan.FromMinutes(16));
        using var signedIn = await ConsoleHttp.SignInAsync(server, user.Email);
        Assert.Contains(user.Name, await signedIn.PageAsync("/console"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvitationLinkMakesAUserWithTheInvitedRoleOnce()
    {
        await ConsoleUsers.OwnerAsync(server);
        using var owner = await ConsoleHttp.SignInAsync(server, ConsoleUsers.OwnerEmail);
        var email = $"sam-{Guid.NewGuid():N}@tollgate.test";

        using var invited = await owner.PostFormAsync("/console/team?handler=Invite", new() { ["Invite.Email"] = email, ["Invite.Role"] = "support" }, "/console/team");
        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        var team = await owner.PageAsync("/console/team");
        var link = System.Text.RegularExpressions.Regex.Match(team, "/console/invitation\\?token=[A-Za-z0-9%_-]+").Value;
        Assert.NotEmpty(link);
        Assert.DoesNotContain(link, await owner.PageAsync("/console/team"), StringComparison.Ordinal); // shown once

        using var newcomer = ConsoleHttp.Anonymous(server);
        var fields = new Dictionary<string, string> { ["Input.Name"] = "Sam Support", ["Input.Password"] = ConsoleUsers.Password, ["Input.ConfirmPassword"] = ConsoleUsers.Password };
        using var accepted = await newcomer.PostFormAsync(link, fields, link);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains("support", await newcomer.PageAsync("/console"), StringComparison.Ordinal);

        using var again = ConsoleHttp.Anonymous(server);
        Assert.Contains("This invitation does not work", await again.PageAsync(link), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyAnOwnerMayMakeAnOwner()
    {
        var admin = await ConsoleUsers.CreateAsync(server, ConsoleRole.Admin);
        using var client = await ConsoleHttp.SignInAsync(server, admin.Email);

        using var refused = await client.PostFormAsync("/console/team?handler=Invite", new() { ["Invite.Email"] = "boss@tollgate.test", ["Invite.Role"] = "owner" }, "/console/team");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("only an owner may make an owner", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AViewerMayReadTheTeamButEveryWriteIsRefused()
    {
        var viewer = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer);
        var target = await ConsoleUsers.CreateAsync(server, ConsoleRole.Support);
        using var client = await ConsoleHttp.SignInAsync(server, viewer.Email);

        var team = await client.PageAsync("/console/team");
        Assert.DoesNotContain("Create invitation link", team, StringComparison.Ordinal);
        foreach (var (handler, fields) in new (string, Dictionary<string, string>)[]
        {
            ("Invite", new() { ["Invite.Email"] = "x@tollgate.test", ["Invite.Role"] = "viewer" }),
            ("Role", new() { ["userId"] = target.Id, ["role"] = "admin" }),
            ("Disable", new() { ["userId"] = target.Id }),
        })
        {
            using var refused = await client.PostFormAsync($"/console/team?handler={handler}", fields, "/console/team");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        var stored = await server.Services.GetRequiredService<ConsoleUserStore>().FindAsync(target.Id, CancellationToken.None);
        Assert.Equal(ConsoleRole.Support, stored!.Role);
        Assert.True(stored.IsActive);
    }

    [Fact]
    public async Task ARoleChangeOrDisablingEndsTheUsersSessionAtOnce()
    {
        var user = await ConsoleUsers.CreateAsync(server, ConsoleRole.Editor);
        using var session = await ConsoleHttp.SignInAsync(server, user.Email);
        using var owner = await ConsoleHttp.SignInAsync(server, ConsoleUsers.OwnerEmail);

        using var changed = await owner.PostFormAsync("/console/team?handler=Role", new() { ["userId"] = user.Id, ["role"] = "viewer" }, "/console/team");
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        using var after = await session.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/console/sign-in", after.Headers.Location?.AbsolutePath);
        using var again = await ConsoleHttp.SignInAsync(server, user.Email);
        Assert.Contains(">viewer<", await again.PageAsync("/console"), StringComparison.Ordinal);

        using var disabled = await owner.PostFormAsync("/console/team?handler=Disable", new() { ["userId"] = user.Id }, "/console/team");
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        using var gone = await again.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Redirect, gone.StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => ConsoleHttp.SignInAsync(server, user.Email));
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryTokenIsRefused()
    {
        await ConsoleUsers.OwnerAsync(server);
        using var http = server.CreateClient(new() { AllowAutoRedirect = false });
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = ConsoleUsers.OwnerEmail, ["Input.Password"] = ConsoleUsers.Password });

        using var response = await http.PostAsync(new Uri("/console/sign-in", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TeamChangesAreAuditedUnderTheConsoleUsersName()
    {
        await ConsoleUsers.OwnerAsync(server);
        var invited = await ConsoleUsers.CreateAsync(server, ConsoleRole.Support, "Audited Person");

        var entries = await server.Services.GetRequiredService<Server.Audit.AuditLog>().ListAsync(
            ConsoleAccounts.AuditEnvironment, new Server.Audit.AuditFilter(invited.Id, null, null, null, null, null), 10, 0, CancellationToken.None);

        var created = Assert.Single(entries);
        Assert.Equal("create", created.Action);
        Assert.Equal(invited.Id, created.UserId);
        Assert.Equal("Audited Person", created.UserName);
        Assert.DoesNotContain("password", created.After!.Value.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(JsonValueKind.Object, created.After.Value.ValueKind);
    }
}

public sealed class ConsoleAccountTestsOnSqlite(SqliteServer server) : ConsoleAccountTests(server), IClassFixture<SqliteServer>;

public sealed class ConsoleAccountTestsOnPostgres(PostgresServer server) : ConsoleAccountTests(server), IClassFixture<PostgresServer>;
