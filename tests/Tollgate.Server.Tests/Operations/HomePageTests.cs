using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Operations;

/// <summary>
/// <c>GET /</c> sends a browser to the console; <c>GET /about</c> answers a page for a person: what this is, its version
/// and readiness, and working links to the console and the API docs.
/// </summary>
public abstract class HomePageTests(TollgateFactory server)
{
    [Fact]
    public async Task TheRootSendsABrowserToTheConsole()
    {
        using var http = server.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TheAboutPageIsAnAccessiblePageNamingTollgateItsStatusAndTheDocs()
    {
        using var http = server.CreateClient();

        using var response = await http.GetAsync(new Uri("/about", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<title>Tollgate ", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Tollgate</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"<dd>{Server.Operations.HomePage.Version}</dd>", html, StringComparison.Ordinal);
        Assert.Contains(server.Store == StoreKind.Postgres ? "<dd>PostgreSQL</dd>" : "<dd>SQLite</dd>", html, StringComparison.Ordinal);
        Assert.Contains(">Ready</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Data Source", html, StringComparison.Ordinal); // the store's kind, never its address
        foreach (var link in new[] { "/console", "/docs", "/openapi/v1.json", "/health/ready", "/health/live", "/metrics" })
        {
            Assert.Contains($"href=\"{link}\"", html, StringComparison.Ordinal);
            using var linked = await http.GetAsync(new Uri(link, UriKind.Relative));
            Assert.True(linked.IsSuccessStatusCode, $"the page links {link}, which answers {(int)linked.StatusCode}");
        }
    }
}

public sealed class HomePageTestsOnSqlite(SqliteServer server) : HomePageTests(server), IClassFixture<SqliteServer>;

public sealed class HomePageTestsOnPostgres(PostgresServer server) : HomePageTests(server), IClassFixture<PostgresServer>;
