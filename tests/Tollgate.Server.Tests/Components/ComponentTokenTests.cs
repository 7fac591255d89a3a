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
        Assert.StartsWith("tg_tat_", token, StringComparison.Ordinal);
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
}

public sealed class ComponentTokenTestsOnSqlite(SqliteServer server) : ComponentTokenTests(server), IClassFixture<SqliteServer>;

public sealed class ComponentTokenTestsOnPostgres(PostgresServer server) : ComponentTokenTests(server), IClassFixture<PostgresServer>;
