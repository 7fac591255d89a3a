using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Environments, API keys, whoami and the audit log in Schematic's shapes (issue 11, item 6).</summary>
public abstract class PlatformAccountTests(TollgateFactory server)
{
    [Fact]
    public async Task DeletingAnEnvironmentRevokesItsKeysFreesItsNameAndRefusesTheCallersOwn()
    {
        var api = await server.NewEnvironmentAsync();
        var other = await server.NewEnvironmentAsync();
        var otherName = (await other.GetAsync("/environment")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("name").GetString()!;
        (await other.GetAsync("/features")).ShouldBe(HttpStatusCode.OK);

        (await api.DeleteAsync($"/environments/{api.EnvironmentId}")).ShouldFail(HttpStatusCode.Conflict, "environment_id");
        (await api.DeleteAsync($"/environments/{other.EnvironmentId}")).ShouldBe(HttpStatusCode.OK);

        (await other.GetAsync("/features")).ShouldBe(HttpStatusCode.Unauthorized);
        (await api.GetAsync($"/environments/{other.EnvironmentId}")).ShouldFail(HttpStatusCode.NotFound, "environment");
        (await api.DeleteAsync($"/environments/{other.EnvironmentId}")).ShouldBe(HttpStatusCode.NotFound);
        var listed = (await api.GetAsync("/environments?limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain(other.EnvironmentId, listed);
        Assert.Contains(api.EnvironmentId, listed);
        (await api.PostAsync("/environments", new { name = otherName, environment_type = "staging" })).ShouldBe(HttpStatusCode.Created);
        var audit = (await api.GetAsync($"/audit-log?resource_id={other.EnvironmentId}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single();
        Assert.Equal("DELETE", audit.GetProperty("method").GetString());
        Assert.Equal($"/environments/{other.EnvironmentId}", audit.GetProperty("url").GetString());
    }

    [Fact]
    public async Task AnEnvironmentIsRenamedAndRetypedAndABadTypeIsRefused()
    {
        var api = await server.NewEnvironmentAsync();
        var name = $"renamed-{Guid.NewGuid():N}";

        var updated = (await api.PutAsync($"/environments/{api.EnvironmentId}", new { name, environment_type = "production" })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(name, updated.GetProperty("name").GetString());
        Assert.Equal("production", updated.GetProperty("environment_type").GetString());
        Assert.Equal("production", (await api.GetAsync($"/environments/{api.EnvironmentId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("environment_type").GetString());
        (await api.PutAsync($"/environments/{api.EnvironmentId}", new { environment_type = "qa" })).ShouldFail(HttpStatusCode.BadRequest, "environment_type");
    }

    [Fact]
    public async Task AKeyIsRenamedAndDescribedButItsTextIsNeverShownAgain()
    {
        var api = await server.NewEnvironmentAsync();
        var created = (await api.PostAsync("/api-keys", new { name = "ci", description = "builds", @readonly = true })).ShouldBe(HttpStatusCode.Created).Data;
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("tg_pk_", secret, StringComparison.Ordinal);
        Assert.True(created.GetProperty("readonly").GetBoolean());

        var updated = (await api.PutAsync($"/api-keys/{id}", new { name = "deploy", description = "deploys" })).ShouldBe(HttpStatusCode.OK);
        var read = (await api.GetAsync($"/api-keys/{id}")).ShouldBe(HttpStatusCode.OK);
        var listed = (await api.GetAsync("/api-keys")).ShouldBe(HttpStatusCode.OK);

        foreach (var answer in new[] { updated, read, listed })
        {
            Assert.DoesNotContain(secret, answer.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\":", answer.Text, StringComparison.Ordinal);
        }

        Assert.Equal("deploy", read.Data.GetProperty("name").GetString());
        Assert.Equal("deploys", read.Data.GetProperty("description").GetString());
        Assert.Equal(["capture", "read"], read.Data.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).Order());
        Assert.Equal(2, (await api.GetAsync("/api-keys/count")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(0, (await api.GetAsync("/api-keys/count?environment_id=env_other")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        (await server.Api(secret).GetAsync("/features")).ShouldBe(HttpStatusCode.Forbidden);
        (await api.PutAsync("/api-keys/key_unknown", new { name = "x" })).ShouldFail(HttpStatusCode.NotFound, "API key");
    }

    [Fact]
    public async Task WhoAmINamesTheCallingKeyAndItsEnvironment()
    {
        var api = await server.NewEnvironmentAsync();

        var me = (await api.GetAsync("/whoami")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(api.KeyId, me.GetProperty("api_key_id").GetString());
        Assert.Equal(api.EnvironmentId, me.GetProperty("environment_id").GetString());
        Assert.Equal("api_key", me.GetProperty("actor_type").GetString());
        Assert.Contains(me.GetProperty("environments").EnumerateArray(), e => e.GetProperty("id").GetString() == api.EnvironmentId);
    }

    [Fact]
    public async Task AuditEntriesAreReadByIdAndCountedWithFilters()
    {
        var api = await server.NewEnvironmentAsync();
        var feature = await Given.BooleanFeatureAsync(api, "reports");
        (await api.PutAsync($"/features/{feature}", new { name = "Reports" })).ShouldBe(HttpStatusCode.OK);

        var entries = (await api.GetAsync("/audit-log")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToList();
        var newest = (await api.GetAsync($"/audit-log/{entries[0].GetProperty("id").GetString()}")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal("PUT", newest.GetProperty("method").GetString());
        Assert.Equal($"/features/{feature}", newest.GetProperty("url").GetString());
        Assert.Equal(feature, newest.GetProperty("resource_id_string").GetString());
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("resource_id").ValueKind);
        Assert.Equal("Reports", newest.GetProperty("resource_name").GetString());
        Assert.Equal(entries.Count, (await api.GetAsync("/audit-log/count")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(2, (await api.GetAsync("/audit-log/count?q=feature")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(0, (await api.GetAsync("/audit-log/count?actor_type=system")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(0, (await api.GetAsync($"/audit-log/count?start_time={Uri.EscapeDataString(server.Time.GetUtcNow().AddHours(1).ToString("O"))}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        (await api.GetAsync("/audit-log/audit_unknown")).ShouldFail(HttpStatusCode.NotFound, "audit");
        (await api.GetAsync("/audit-log/count?actor_type=robot")).ShouldFail(HttpStatusCode.BadRequest, "actor_type");
    }

    [Fact]
    public async Task APublishableKeyCannotReadAccountsEventsOrMemberships()
    {
        var api = await server.NewEnvironmentAsync();
        var publishable = server.Api((await api.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("secret").GetString());

        foreach (var path in new[] { "/whoami", "/environments", "/api-keys/count", "/audit-log/count", "/events", "/event-types", "/company-memberships", "/entity-key-definitions" })
        {
            (await publishable.GetAsync(path)).ShouldBe(HttpStatusCode.Forbidden);
        }
    }
}

public sealed class PlatformAccountTestsOnSqlite(SqliteServer server) : PlatformAccountTests(server), IClassFixture<SqliteServer>;

public sealed class PlatformAccountTestsOnPostgres(PostgresServer server) : PlatformAccountTests(server), IClassFixture<PostgresServer>;
