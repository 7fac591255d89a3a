using System.Net;
using System.Text.RegularExpressions;
using Tollgate.Server.Tests.Functional.Finding;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Companies;

/// <summary>
/// The companies list and the overview over HTTP (rules and what each query string shows); the flows a person follows
/// are in <c>CompanyDirectoryBrowserTests</c>.
/// </summary>
public abstract partial class CompanyListPageTests(TollgateFactory server)
{
    [Fact]
    public async Task TheListShowsEachFilterSortAndPageFromItsQueryString()
    {
        var w = await DirectoryWorld.CreateAsync(server);
        using var console = await SignedInAsync(w, ConsoleRole.Viewer);

        Assert.Equal(["acme", "fox"], Names(await console.PageAsync("/console/companies?over=true&sort=name")));
        Assert.Equal(["fox", "acme", "bolt"], Names(await console.PageAsync("/console/companies?over=true&near=true")));
        Assert.Equal(["echo"], Names(await console.PageAsync("/console/companies?trialing=true")));
        Assert.Equal(["delta"], Names(await console.PageAsync("/console/companies?overrides=true")));
        Assert.Equal(["acme", "fox"], Names(await console.PageAsync($"/console/companies?plan={w.S.Starter}")));
        Assert.Equal(["Hotel Group"], Names(await console.PageAsync("/console/companies?q=ops%40hotel")));
        Assert.Equal(["fox", "acme", "bolt", "cargo"], Names(await console.PageAsync("/console/companies?sort=usage&dir=desc")).Take(4));
        Assert.Equal(["Hotel Group", "golf", "fox"], Names(await console.PageAsync("/console/companies?sort=name&dir=desc")).Take(3));
        var all = await console.PageAsync("/console/companies");
        Assert.Contains("Showing 1–8 of 8", all, StringComparison.Ordinal);
        Assert.Contains($"href=\"/console/companies/{w.Ids["acme"]}\"", all, StringComparison.Ordinal);
        Assert.Contains("aria-sort=\"ascending\"", all, StringComparison.Ordinal);
        Assert.Contains("120 / 100 · 120%", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStalePlanLinkSaysSoNextToThePlanAndListsEveryCompany()
    {
        var w = await DirectoryWorld.CreateAsync(server);
        using var console = await SignedInAsync(w, ConsoleRole.Support);

        var html = await console.PageAsync("/console/companies?plan=plan_gone");

        Assert.Contains("must name an existing plan", html, StringComparison.Ordinal);
        Assert.Equal(8, Names(html).Count);
    }

    [Fact]
    public async Task EmptyStatesSayWhereCompaniesComeFromAndHowToWidenASearch()
    {
        var w = await DirectoryWorld.CreateAsync(server);
        using var console = await SignedInAsync(w, ConsoleRole.Viewer);

        var none = await console.PageAsync("/console/companies?q=nobody-here");
        var pastTheEnd = await console.PageAsync("/console/companies?p=9");

        Assert.Contains("No companies match", none, StringComparison.Ordinal);
        Assert.Contains("Clear search and filters", none, StringComparison.Ordinal);
        Assert.Contains("No more companies", pastTheEnd, StringComparison.Ordinal);
        var empty = await server.NewEnvironmentAsync();
        await SwitchAsync(console, empty.EnvironmentId!);
        Assert.Contains("No companies in", await console.PageAsync("/console/companies"), StringComparison.Ordinal);
        Assert.Contains("No customers yet", await console.PageAsync("/console"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOverviewCountsCustomersAndListsWhoIsOverNearAndTrialing()
    {
        var w = await DirectoryWorld.CreateAsync(server);
        using var console = await SignedInAsync(w, ConsoleRole.Viewer);

        var html = await console.PageAsync("/console");

        Assert.Equal(["8", "2", "1", "1", "1"], StatValues().Matches(html).Select(m => m.Groups[1].Value));
        var over = Section(html, "over-title");
        Assert.Equal(["fox", "acme"], Names(over));
        Assert.Equal(["bolt"], Names(Section(html, "near-title")));
        Assert.Equal(["echo"], Names(Section(html, "trials-title")));
        Assert.Contains("in 14 days", Section(html, "trials-title"), StringComparison.Ordinal);
        Assert.Contains("Starter", Section(html, "plans-title"), StringComparison.Ordinal);
        Assert.Contains("Recent changes", html, StringComparison.Ordinal);
    }

    private async Task<ConsoleHttp> SignedInAsync(DirectoryWorld w, ConsoleRole role)
    {
        var user = await ConsoleUsers.CreateAsync(server, role);
        var console = await ConsoleHttp.SignInAsync(server, user.Email);
        await SwitchAsync(console, w.S.Api.EnvironmentId!);
        return console;
    }

    private static async Task SwitchAsync(ConsoleHttp console, string environmentId)
    {
        // The switcher's token, as console.js would send it: the page's csrf-token meta tag.
        var token = WebUtility.HtmlDecode(CsrfToken().Match(await console.PageAsync("/console/companies")).Groups[1].Value);
        using var switched = await console.PostFormAsync(
            "/console/environment", new() { ["environmentId"] = environmentId, ["returnUrl"] = "/console", ["__RequestVerificationToken"] = token }, "/console/companies");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
    }

    /// <summary>The company names linked in the HTML, in order (list rows and overview lists alike).</summary>
    private static List<string> Names(string html) =>
        [.. CompanyLink().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    /// <summary>The HTML of the overview section labelled by the heading <paramref name="headingId"/>.</summary>
    private static string Section(string html, string headingId)
    {
        var start = html.IndexOf($"aria-labelledby=\"{headingId}\"", StringComparison.Ordinal);
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    [GeneratedRegex("<a (?:class=\"company-name\" )?href=\"/console/companies/comp_[^\"]+\">([^<]+)</a>")]
    private static partial Regex CompanyLink();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\">")]
    private static partial Regex CsrfToken();

    [GeneratedRegex("<span class=\"value\">([^<]+)</span>")]
    private static partial Regex StatValues();
}

public sealed class CompanyListPageTestsOnSqlite(SqliteServer server) : CompanyListPageTests(server), IClassFixture<SqliteServer>;

public sealed class CompanyListPageTestsOnPostgres(PostgresServer server) : CompanyListPageTests(server), IClassFixture<PostgresServer>;
