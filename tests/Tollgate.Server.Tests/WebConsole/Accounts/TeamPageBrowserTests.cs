using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Accounts;

/// <summary>
/// Issue 12's team page at phone (390 px) and laptop (1280 px) width: a date in the team's tables reads on one line (a
/// browser broke "2026-12-14" at its hyphens, one part per line), and the pending invitations' table still fits its card.
/// </summary>
public abstract class TeamPageBrowserTests(ConsoleServer server)
{
    // The lines a cell's text is laid out on (its text's boxes, by their top edge).
    private const string LinesOfCell = """
        cell => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
        }
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DatesInTheTeamsTablesReadOnOneLineAndTheInvitationsTableFits(bool phone)
    {
        var owner = await ConsoleUsers.OwnerAsync(server);
        await server.Services.GetRequiredService<ConsoleAccounts>()
            .InviteAsync(owner, $"invited-{Guid.NewGuid():N}@tollgate.test", "support", CancellationToken.None);
        var page = phone ? await server.NewPhonePageAsync() : await server.NewPageAsync();
        await ConsoleBrowser.SignInAsync(page, ConsoleUsers.OwnerEmail);
        await page.GotoAsync("/console/team");

        var invitations = page.Locator(".table-wrap[aria-label='Pending invitations']");
        var expires = invitations.Locator("tbody tr td:nth-child(3)");
        Assert.True(await expires.CountAsync() > 0, "no pending invitation listed");
        foreach (var cell in await expires.AllAsync())
        {
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", (await cell.TextContentAsync())!.Trim());
            Assert.Equal(1, await cell.EvaluateAsync<int>(LinesOfCell));
        }

        Assert.True(
            await invitations.EvaluateAsync<bool>("wrap => wrap.scrollWidth <= wrap.clientWidth + 1"),
            "the pending invitations' table is wider than its card");

        // The last sign-in is shown from laptop width on (a phone leaves the column out).
        var lastSignIn = page.Locator(".table-wrap[aria-label='People']").Locator("tbody tr td:nth-child(3)");
        foreach (var cell in await lastSignIn.AllAsync())
        {
            if (await cell.IsVisibleAsync())
            {
                Assert.Equal(1, await cell.EvaluateAsync<int>(LinesOfCell));
            }
        }

        Assert.Equal(!phone, await lastSignIn.First.IsVisibleAsync());
        await Screenshots.SaveAsync(page, phone ? "team-phone" : "team-desktop");
        await page.Context.CloseAsync();
    }
}

/// <summary>On SQLite.</summary>
public sealed class TeamPageBrowserTestsOnSqlite(SqliteConsoleServer server) : TeamPageBrowserTests(server), IClassFixture<SqliteConsoleServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class TeamPageBrowserTestsOnPostgres(PostgresConsoleServer server) : TeamPageBrowserTests(server), IClassFixture<PostgresConsoleServer>;
