using System.Net;
using System.Text.RegularExpressions;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Accounts;

/// <summary>
/// The sidebar shows each role the pages it can use: every page open to every role for reading stays for all of them,
/// every link a role sees opens for it, and a page whose only purpose is a write shows only to roles that may make it.
/// </summary>
public abstract partial class SidebarByRoleTests(TollgateFactory server)
{
    [Theory]
    [InlineData(ConsoleRole.Viewer)]
    [InlineData(ConsoleRole.Support)]
    [InlineData(ConsoleRole.Editor)]
    [InlineData(ConsoleRole.Admin)]
    [InlineData(ConsoleRole.Owner)]
    public async Task EachRoleSeesTheSidebarOfItsRoleAndEveryLinkInItOpens(ConsoleRole role)
    {
        var user = role == ConsoleRole.Owner ? await ConsoleUsers.OwnerAsync(server) : await ConsoleUsers.CreateAsync(server, role);
        using var console = await ConsoleHttp.SignInAsync(server, user.Email);

        var html = await console.PageAsync("/console");
        var sidebar = SidebarPattern().Match(html);
        Assert.True(sidebar.Success, "the page has no sidebar");
        var shown = LinkPattern().Matches(sidebar.Value).Select(m => m.Groups[1].Value).ToList();
        var expected = ConsoleNavigation.For(role).SelectMany(s => s.Items).Select(i => i.Path).ToList();

        // The brand links to the overview too; the rest are the sidebar's entries, in order.
        Assert.Equal(["/console", .. expected], shown);
        foreach (var path in expected)
        {
            using var response = await console.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role}: the sidebar's {path} answered {(int)response.StatusCode}");
        }

        // Every page any role may read stays in every role's sidebar.
        var readable = ConsoleNavigation.Sections.SelectMany(s => s.Items).Where(i => i.WritesOnly is null).Select(i => i.Path).ToHashSet();
        Assert.Subset(expected.ToHashSet(), readable);
    }

    [Fact]
    public void APageWhoseOnlyPurposeIsAWriteShowsOnlyToRolesThatMayMakeIt()
    {
        IReadOnlyList<ConsoleNavigation.Section> sections =
        [
            new("Settings", [new("Team", "/console/team"), new("Invite people", "/console/team/invite", WritesOnly: ConsoleArea.Team)]),
            new("Catalog", [new("New feature", "/console/features/new", WritesOnly: ConsoleArea.Catalog)]),
        ];

        Assert.Equal(["/console/team"], Paths(ConsoleNavigation.For(sections, ConsoleRole.Viewer)));
        Assert.Equal(["/console/team", "/console/features/new"], Paths(ConsoleNavigation.For(sections, ConsoleRole.Editor)));
        Assert.Equal(["/console/team"], Paths(ConsoleNavigation.For(sections, ConsoleRole.Support)));
        Assert.Equal(["/console/team", "/console/team/invite", "/console/features/new"], Paths(ConsoleNavigation.For(sections, ConsoleRole.Admin)));
        Assert.Equal(["/console/team"], Paths(ConsoleNavigation.For(sections, role: null)));

        // A section left with no entry is dropped, not shown as an empty heading.
        Assert.Equal(["Settings"], ConsoleNavigation.For(sections, ConsoleRole.Viewer).Select(s => s.Title));
    }

    private static string[] Paths(IReadOnlyList<ConsoleNavigation.Section> sections) => [.. sections.SelectMany(s => s.Items).Select(i => i.Path)];

    [GeneratedRegex("<nav class=\"sidebar\".*?</nav>", RegexOptions.Singleline)]
    private static partial Regex SidebarPattern();

    [GeneratedRegex("<a [^>]*href=\"([^\"]+)\"")]
    private static partial Regex LinkPattern();
}

public sealed class SidebarByRoleTestsOnSqlite(SqliteServer server) : SidebarByRoleTests(server), IClassFixture<SqliteServer>;

public sealed class SidebarByRoleTestsOnPostgres(PostgresServer server) : SidebarByRoleTests(server), IClassFixture<PostgresServer>;
