using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Flows;

/// <summary>
/// The per-address sign-in limit in a real Chromium: past the minute's attempts, even the right password is refused
/// with 429 and a message that says to wait. The server allows three attempts a minute here (a fixture of its own: the
/// limit is per address, and every test's browser comes from 127.0.0.1).
/// </summary>
public abstract class SignInLimitBrowserTests(ConsoleServer server)
{
    /// <summary>The attempts per minute the fixtures allow.</summary>
    public const int Limit = 3;

    [Fact]
    public async Task PastTheMinutesAttemptsEvenTheRightPasswordIsRefusedWith429()
    {
        await ConsoleUsers.OwnerAsync(server);
        var page = await server.NewPageAsync();
        await page.GotoAsync("/console/sign-in");

        // Unknown addresses, so that no account's lockout is what refuses.
        for (var attempt = 1; attempt <= Limit; attempt++)
        {
            Assert.Equal(401, await ConsoleBrowser.SubmitSignInAsync(page, $"guess{attempt}@tollgate.test", "not the password"));
        }

        Assert.Equal(429, await ConsoleBrowser.SubmitSignInAsync(page, ConsoleUsers.OwnerEmail, ConsoleUsers.Password));
        await Assertions.Expect(page.GetByText("Too many sign-in attempts from your address. Wait a minute and try again.")).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "tollgate_console");

        // Another person at the same address is held back too: the limit is the address's, not the page's.
        var other = await server.NewPageAsync();
        await other.GotoAsync("/console/sign-in");
        Assert.Equal(429, await ConsoleBrowser.SubmitSignInAsync(other, ConsoleUsers.OwnerEmail, ConsoleUsers.Password));
        await Screenshots.SaveAsync(other, "sign-in-rate-limited");
        await Accessibility.AssertNoSeriousViolationsAsync(other);
        await page.Context.CloseAsync();
        await other.Context.CloseAsync();
    }
}

/// <summary>The server on SQLite with a small sign-in limit.</summary>
public sealed class SqliteSignInLimitedServer() : ConsoleServer(StoreKind.Sqlite)
{
    protected override int SignInAttemptsPerMinute => SignInLimitBrowserTests.Limit;
}

/// <summary>The server on PostgreSQL with a small sign-in limit.</summary>
public sealed class PostgresSignInLimitedServer() : ConsoleServer(StoreKind.Postgres)
{
    protected override int SignInAttemptsPerMinute => SignInLimitBrowserTests.Limit;
}

public sealed class SignInLimitBrowserTestsOnSqlite(SqliteSignInLimitedServer server) : SignInLimitBrowserTests(server), IClassFixture<SqliteSignInLimitedServer>;

public sealed class SignInLimitBrowserTestsOnPostgres(PostgresSignInLimitedServer server) : SignInLimitBrowserTests(server), IClassFixture<PostgresSignInLimitedServer>;
