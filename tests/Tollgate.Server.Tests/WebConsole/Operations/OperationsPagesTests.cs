using System.Net;
using System.Text.RegularExpressions;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Operations;

/// <summary>
/// The operations pages over HTTP: keys made and revoked in the console are the API's keys; a key's text appears only
/// in the answer that made it; events tracked through the API reach the live tail; the audit log filters; only owners
/// and admins may write here.
/// </summary>
public abstract partial class OperationsPagesTests(TollgateFactory server)
{
    [Fact]
    public async Task AKeyMadeInTheConsoleWorksAgainstTheApiUntilItIsRevoked()
    {
        var api = await server.NewEnvironmentAsync();
        using var console = await OperationsConsole.InAsync(server, api.EnvironmentId!);
        var page = $"/console/environments?env={api.EnvironmentId}";

        using var made = await console.PostFormAsync($"{page}&handler=CreateKey", new() { ["NewKeyInput.Name"] = "backend", ["NewKeyInput.Kind"] = "secret" }, formPage: page);
        var html = await made.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var key = OperationsConsole.NewKey(html);
        Assert.NotNull(key);
        Assert.StartsWith("tg_sk_", key, StringComparison.Ordinal);
        Assert.Contains("no-store", made.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);

        (await server.Api(key).GetAsync("/companies")).ShouldBe(HttpStatusCode.OK);
        var later = await console.PageAsync(page);
        Assert.DoesNotContain(key, later, StringComparison.Ordinal);
        Assert.Null(OperationsConsole.NewKey(later));
        var keyId = (await api.GetAsync("/api-keys")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Single(k => k.GetProperty("name").GetString() == "backend").GetProperty("id").GetString()!;
        Assert.Contains(keyId, later, StringComparison.Ordinal);

        using var revoked = await console.PostFormAsync($"{page}&handler=RevokeKey", new() { ["keyId"] = keyId }, formPage: page);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        (await server.Api(key).GetAsync("/companies")).ShouldBe(HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(key, await console.PageAsync(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APublishableKeyMadeInTheConsoleIsRefusedByManagementEndpoints()
    {
        var api = await server.NewEnvironmentAsync();
        using var console = await OperationsConsole.InAsync(server, api.EnvironmentId!);
        var page = $"/console/environments?env={api.EnvironmentId}";

        using var made = await console.PostFormAsync($"{page}&handler=CreateKey", new() { ["NewKeyInput.Name"] = "web", ["NewKeyInput.Kind"] = "publishable" }, formPage: page);
        var key = OperationsConsole.NewKey(await made.Content.ReadAsStringAsync());

        Assert.StartsWith("tg_pk_", key, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await server.Api(key).GetAsync("/api-keys")).Status);
    }

    [Fact]
    public async Task AKeyWithoutANameIsRefusedNextToTheField()
    {
        var api = await server.NewEnvironmentAsync();
        using var console = await OperationsConsole.InAsync(server, api.EnvironmentId!);
        var page = $"/console/environments?env={api.EnvironmentId}";

        using var made = await console.PostFormAsync($"{page}&handler=CreateKey", new() { ["NewKeyInput.Name"] = " ", ["NewKeyInput.Kind"] = "secret" }, formPage: page);
        var html = await made.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, made.StatusCode);
        Assert.Null(OperationsConsole.NewKey(html));
        Assert.Matches("data-valmsg-for=\"NewKeyInput.Name\"[^>]*>[^<]+<", html);
    }

    [Fact]
    public async Task EnvironmentsAreCreatedWithAKeyShownOnceAndRenamed()
    {
        var api = await server.NewEnvironmentAsync();
        using var console = await OperationsConsole.InAsync(server, api.EnvironmentId!);
        var name = $"console-{Guid.NewGuid():N}";

        using var made = await console.PostFormAsync("/console/environments?handler=CreateEnvironment", new() { ["NewEnvironment.Name"] = name, ["NewEnvironment.Type"] = "staging" }, formPage: "/console/environments");
        var key = OperationsConsole.NewKey(await made.Content.ReadAsStringAsync());
        var environment = (await server.Api(key).GetAsync("/environment")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal((name, "staging"), (environment.GetProperty("name").GetString(), environment.GetProperty("environment_type").GetString()));

        var id = environment.GetProperty("id").GetString()!;
        using var renamed = await console.PostFormAsync($"/console/environments?env={id}&handler=UpdateEnvironment", new() { ["name"] = name + "-renamed", ["type"] = "production" }, formPage: "/console/environments");
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        var after = (await server.Api(key).GetAsync("/environment")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal((name + "-renamed", "production"), (after.GetProperty("name").GetString(), after.GetProperty("environment_type").GetString()));
    }

    [Fact]
    public async Task EventsTrackedThroughTheApiAppearInTheTailAndOnlyNewRowsArePolled()
    {
        var api = await server.NewEnvironmentAsync();
        using var console = await OperationsConsole.InAsync(server, api.EnvironmentId!);
        await Events.SendAsync(api, Events.Track("first_call", "tail-co", 3, idempotencyKey: "idem-first"));
        var tail = await console.PageContainingAsync("/console/events", "first_call");
        Assert.Contains("idem-first", tail, StringComparison.Ordinal);
        var after = long.Parse(AfterPattern().Match(tail).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(after > 0);

        await Events.SendAsync(api, Events.Track("second_call", "tail-co", 5));
        var rows = await console.PageContainingAsync($"/console/events?handler=Rows&after={after}", "second_call");

        Assert.DoesNotContain("first_call", rows, StringComparison.Ordinal);
        Assert.Contains("id=\"tail-poller\"", rows, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", rows, StringComparison.Ordinal);
        var filtered = await console.PageAsync("/console/events?subtype=first_call");
        Assert.Contains("first_call", filtered, StringComparison.Ordinal);
        Assert.DoesNotContain("second_call", filtered, StringComparison.Ordinal);
        Assert.DoesNotContain("tail-poller", await console.PageAsync("/console/events?paused=true"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuditLogFiltersByActorTypeAndResource()
    {
        var api = await server.NewEnvironmentAsync();
        (await api.PostAsync("/features", new { name = "Audited by key", feature_type = "boolean" })).ShouldBe(HttpStatusCode.Created);
        using var console = await OperationsConsole.InAsync(server, api.EnvironmentId!);
        var page = $"/console/environments?env={api.EnvironmentId}";
        using var made = await console.PostFormAsync($"{page}&handler=CreateKey", new() { ["NewKeyInput.Name"] = "audited-key", ["NewKeyInput.Kind"] = "secret" }, formPage: page);

        var byUser = await console.PageAsync("/console/audit?actor=app_user");
        var byKey = await console.PageAsync("/console/audit?actor=api_key");
        var features = await console.PageAsync("/console/audit?type=feature");

        Assert.Contains("Olivia Owner", byUser, StringComparison.Ordinal);
        Assert.Contains("audited-key", byUser, StringComparison.Ordinal);
        Assert.DoesNotContain("Audited by key", byUser, StringComparison.Ordinal);
        Assert.Contains("Audited by key", byKey, StringComparison.Ordinal);
        Assert.Contains(api.KeyId!, byKey, StringComparison.Ordinal);
        Assert.Contains("Audited by key", features, StringComparison.Ordinal);
        Assert.DoesNotContain("audited-key", features, StringComparison.Ordinal);
        Assert.Contains("No entries", await console.PageAsync("/console/audit?from=2000-01-01&to=2000-01-02"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTeamTabShowsTheConsolesOwnLog()
    {
        var api = await server.NewEnvironmentAsync();
        var invited = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer, "Vera Viewer");
        using var console = await OperationsConsole.InAsync(server, api.EnvironmentId!);

        var team = await console.PageAsync("/console/audit?scope=team&type=console_user");

        Assert.Contains(invited.Id, team, StringComparison.Ordinal);
        Assert.DoesNotContain(invited.Id, await console.PageAsync("/console/audit"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ConsoleRole.Viewer)]
    [InlineData(ConsoleRole.Support)]
    [InlineData(ConsoleRole.Editor)]
    public async Task OnlyOwnersAndAdminsMayWriteHere(ConsoleRole role)
    {
        var api = await server.NewEnvironmentAsync();
        using var console = await OperationsConsole.InAsync(server, api.EnvironmentId!, role);
        var page = $"/console/environments?env={api.EnvironmentId}";

        var html = await console.PageAsync(page);
        Assert.DoesNotContain("handler=CreateKey", html, StringComparison.Ordinal);
        foreach (var (path, fields) in new (string, Dictionary<string, string>)[]
        {
            ($"{page}&handler=CreateKey", new() { ["NewKeyInput.Name"] = "nope" }),
            ($"{page}&handler=RevokeKey", new() { ["keyId"] = api.KeyId! }),
            ("/console/environments?handler=CreateEnvironment", new() { ["NewEnvironment.Name"] = "nope" }),
            ($"{page}&handler=Policy", new() { ["PolicyForm.MaxQuantity"] = "5" }),
            ("/console/stripe?handler=Disconnect", []),
            ("/console/stripe?handler=Requeue", new() { ["status"] = "failed" }),
            ("/console/stripe?handler=Retry", new() { ["eventId"] = "evt_1" }),
            ("/console/stripe?handler=Connect", new() { ["Connect.SecretKey"] = "sk_test_x" }),
            ("/console/webhooks?handler=Add", new() { ["Add.Name"] = "nope", ["Add.Url"] = "https://example.com/hooks", ["Add.RequestTypes"] = "test.send" }),
            ("/console/webhooks?handler=Remove", new() { ["webhookId"] = "wh_1" }),
            ("/console/webhooks?handler=Retry", new() { ["deliveryId"] = "whev_1" }),
        })
        {
            using var refused = await console.PostFormAsync(path, fields, formPage: "/console");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        (await api.GetAsync("/companies")).ShouldBe(HttpStatusCode.OK);
        await console.PageAsync("/console/stripe");
        await console.PageAsync("/console/audit");
        await console.PageAsync("/console/events");
        Assert.DoesNotContain("handler=Add", await console.PageAsync("/console/webhooks"), StringComparison.Ordinal);
    }

    [GeneratedRegex("after=(\\d+)")]
    private static partial Regex AfterPattern();
}

public sealed class OperationsPagesTestsOnSqlite(SqliteServer server) : OperationsPagesTests(server), IClassFixture<SqliteServer>;

public sealed class OperationsPagesTestsOnPostgres(PostgresServer server) : OperationsPagesTests(server), IClassFixture<PostgresServer>;
