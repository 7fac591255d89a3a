using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Components;

/// <summary>
/// A temporary access token (issue 13) is minted by a secret key for one company, is short-lived, and opens nothing but
/// that company's component routes.
/// </summary>
public abstract class ComponentTokenTests(TollgateFactory server)
{
    [Fact]
    public async Task ASecretKeyIssuesATokenForOneCompanyThatEveryOtherRouteRefusesAndThatExpires()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "acme");
        var publishable = server.Api((await api.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("key").GetString());

        (await api.PostAsync("/temporary-access-tokens", new { resource_type = "company", lookup = Given.Keys("nobody") })).ShouldFail(HttpStatusCode.NotFound, "company");
        (await api.PostAsync("/temporary-access-tokens", new { resource_type = "company", lookup = new Dictionary<string, string>() })).ShouldFail(HttpStatusCode.BadRequest, "lookup");
        (await api.PostAsync("/temporary-access-tokens", new { resource_type = "user", lookup = Given.Keys("acme") })).ShouldFail(HttpStatusCode.BadRequest, "resource_type");
        (await publishable.PostAsync("/temporary-access-tokens", new { resource_type = "company", lookup = Given.Keys("acme") })).ShouldFail(HttpStatusCode.Forbidden, "publishable");

        var issued = (await api.PostAsync("/temporary-access-tokens", new { resource_type = "company", lookup = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data;
        var token = issued.GetProperty("token").GetString()!;
        Assert.StartsWith("token_", token, StringComparison.Ordinal);
        Assert.Equal(api.EnvironmentId, issued.GetProperty("environment_id").GetString());
        Assert.Equal(api.KeyId, issued.GetProperty("api_key_id").GetString());
        Assert.Equal("company", issued.GetProperty("resource_type").GetString());
        Assert.Equal("api_key", issued.GetProperty("issuer_type").GetString());
        Assert.Equal(TimeSpan.FromMinutes(15), issued.GetProperty("expired_at").GetDateTimeOffset() - issued.GetProperty("created_at").GetDateTimeOffset());

        var browser = server.Api(token);
        (await browser.GetAsync("/companies")).ShouldFail(HttpStatusCode.Forbidden, "temporary access token");
        (await browser.PostAsync("/temporary-access-tokens", new { resource_type = "company", lookup = Given.Keys("acme") })).ShouldFail(HttpStatusCode.Forbidden, "temporary access token");
        (await browser.PostAsync("/flags/anything/check", new { company = Given.Keys("acme") })).ShouldFail(HttpStatusCode.Forbidden, "temporary access token");
        (await server.Api(token + "x").GetAsync("/companies")).ShouldFail(HttpStatusCode.Unauthorized, "temporary access token");

        server.Time.Advance(TimeSpan.FromMinutes(15));
        (await browser.GetAsync("/companies")).ShouldFail(HttpStatusCode.Unauthorized, "expired");
    }

    [Fact]
    public async Task OnlyTheOriginsAnEnvironmentAllowsMayReadItsComponentRoutesFromABrowser()
    {
        var api = await server.NewEnvironmentAsync();
        var other = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "acme");
        await Given.CompanyAsync(other, "acme");
        (await api.PutAsync("/component-origins", new { origins = new[] { "https://app.example", "https://app.example/path" } })).ShouldFail(HttpStatusCode.BadRequest, "origins[1]");
        var set = (await api.PutAsync("/component-origins", new { origins = new[] { "https://App.example", "http://localhost:3000" } })).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(["http://localhost:3000", "https://app.example"], set.GetProperty("origins").EnumerateArray().Select(o => o.GetString()));
        var token = (await api.PostAsync("/temporary-access-tokens", new { lookup = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("token").GetString()!;
        var strangerToken = (await other.PostAsync("/temporary-access-tokens", new { lookup = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("token").GetString()!;
        using var http = server.CreateClient();

        using var preflight = await http.SendAsync(Preflight("https://app.example"));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("https://app.example", Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains("X-Schematic-Api-Key", Header(preflight, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Schematic-Components-Version", Header(preflight, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Null(Header(preflight, "Access-Control-Allow-Credentials"));
        using var refused = await http.SendAsync(Preflight("https://evil.example"));
        Assert.Null(Header(refused, "Access-Control-Allow-Origin"));

        using var read = await http.SendAsync(Get("/components/hydrate", "https://app.example", token));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("https://app.example", Header(read, "Access-Control-Allow-Origin"));
        // Another environment's key from an origin only this environment allows: the browser is not let read the answer.
        using var stranger = await http.SendAsync(Get("/components/hydrate", "https://app.example", strangerToken));
        Assert.Null(Header(stranger, "Access-Control-Allow-Origin"));
        // Management routes answer no browser at all.
        using var management = await http.SendAsync(Get("/companies", "https://app.example", api.Key!));
        Assert.Null(Header(management, "Access-Control-Allow-Origin"));

        static HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/components/hydrate");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "x-schematic-api-key,x-schematic-components-version,x-schematic-session-id");
            return request;
        }

        static HttpRequestMessage Get(string path, string origin, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Origin", origin);
            request.Headers.Add("X-Schematic-Api-Key", key);
            return request;
        }

        static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
    }
}

public sealed class ComponentTokenTestsOnSqlite(SqliteServer server) : ComponentTokenTests(server), IClassFixture<SqliteServer>;

public sealed class ComponentTokenTestsOnPostgres(PostgresServer server) : ComponentTokenTests(server), IClassFixture<PostgresServer>;
