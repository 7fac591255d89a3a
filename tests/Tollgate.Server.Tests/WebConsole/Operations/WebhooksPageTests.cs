using System.Net;
using System.Text.RegularExpressions;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.Notifications;

namespace Tollgate.Server.Tests.WebConsole.Operations;

/// <summary>
/// The webhooks page over HTTP: an endpoint added in the console is the API's endpoint, its secret appears only in the
/// answer that made it, a test notice reaches it, pausing and resuming are the API's status, a failed delivery is sent
/// again on request, and a bad URL is refused next to its field.
/// </summary>
public abstract partial class WebhooksPageTests(TollgateFactory server)
{
    private const string Page = "/console/webhooks";

    [Fact]
    public async Task AnEndpointAddedInTheConsoleIsTheApisAndItsSecretIsShownOnce()
    {
        var api = await server.NewEnvironmentAsync();
        using var receiver = new WebhookReceiver();
        using var console = await OperationsConsole.InAsync(server, api.EnvironmentId!);

        using var added = await console.PostFormAsync(
            $"{Page}?handler=Add",
            new KeyValuePair<string, string>[] { new("Add.Name", "Billing alerts"), new("Add.Url", receiver.Url), new("Add.RequestTypes", "test.send"), new("Add.RequestTypes", "company.created") },
            formPage: Page);
        var html = await added.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("no-store", added.Headers.CacheControl?.ToString() ?? string.Empty, StringComparison.Ordinal);
        var webhook = Assert.Single((await api.GetAsync("/webhooks")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        var secret = webhook.GetProperty("secret").GetString()!;
        Assert.Equal(secret, WebUtility.HtmlDecode(SecretPattern().Match(html).Groups[1].Value));
        Assert.Equal(["company.created", "test.send"], webhook.GetProperty("request_types").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(secret, await console.PageAsync(Page), StringComparison.Ordinal);

        var id = webhook.GetProperty("id").GetString()!;
        using var tested = await console.PostFormAsync($"{Page}?handler=Test", new() { ["webhookId"] = id }, formPage: Page);
        Assert.Equal(HttpStatusCode.Redirect, tested.StatusCode);
        await receiver.WaitForAsync(r => r.Any(d => d.Action == "test.send"), "the test notice");
        Assert.Contains("Test notice delivered", await console.PageAsync(Page), StringComparison.Ordinal);

        using var paused = await console.PostFormAsync($"{Page}?handler=Status", new() { ["webhookId"] = id, ["status"] = "inactive" }, formPage: Page);
        Assert.Equal("inactive", (await api.GetAsync($"/webhooks/{id}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetString());
        Assert.Contains("paused", await console.PageAsync(Page), StringComparison.Ordinal);
        using var resumed = await console.PostFormAsync($"{Page}?handler=Status", new() { ["webhookId"] = id, ["status"] = "active" }, formPage: Page);
        Assert.Equal("active", (await api.GetAsync($"/webhooks/{id}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetString());

        using var removed = await console.PostFormAsync($"{Page}?handler=Remove", new() { ["webhookId"] = id }, formPage: Page);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        (await api.GetAsync($"/webhooks/{id}")).ShouldBe(HttpStatusCode.NotFound);

        // Every write is audited under the console user, the secret left out (the test notice writes nothing).
        var audit = await api.GetAsync($"/audit-log?resource_id={id}&limit=100");
        Assert.DoesNotContain(secret, audit.Text, StringComparison.Ordinal);
        var entries = audit.ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Reverse().ToList();
        Assert.Equal(["POST", "PUT", "PUT", "DELETE"], entries.Select(e => e.GetProperty("method").GetString()!));
        Assert.All(entries, e => Assert.Equal("app_user", e.GetProperty("actor_type").GetString()));
        Assert.All(entries, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("user_name").GetString())));
    }

    [Fact]
    public async Task AFailedDeliveryIsListedWithItsAnswerAndSentAgainOnRequest()
    {
        var api = await server.NewEnvironmentAsync();
        using var receiver = new WebhookReceiver { Answer = HttpStatusCode.InternalServerError };
        using var console = await OperationsConsole.InAsync(server, api.EnvironmentId!);
        (await api.PostAsync("/webhooks", new { name = "crm", url = receiver.Url, requestTypes = new[] { "company.created" } })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/companies", new { keys = new { id = "wh-page-co" }, name = "Webhook page co" })).ShouldBe(HttpStatusCode.OK);
        await receiver.WaitForAsync(r => r.Count > 0, "the first attempt");
        var html = await console.PageContainingAsync(Page, "HTTP 500");
        var deliveryId = DeliveryPattern().Match(html).Groups[1].Value;
        Assert.NotEmpty(deliveryId);

        receiver.Answer = HttpStatusCode.OK;
        var attempts = receiver.Received.Count;
        using var retried = await console.PostFormAsync($"{Page}?handler=Retry", new() { ["deliveryId"] = deliveryId }, formPage: Page);
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        await receiver.WaitForAsync(r => r.Count > attempts, "the retried delivery");
        await console.PageContainingAsync(Page, ">success<");
    }

    [Fact]
    public async Task ABadUrlIsRefusedNextToItsField()
    {
        var api = await server.NewEnvironmentAsync();
        using var console = await OperationsConsole.InAsync(server, api.EnvironmentId!);

        using var refused = await console.PostFormAsync(
            $"{Page}?handler=Add", new() { ["Add.Name"] = "broken", ["Add.Url"] = "not a url", ["Add.RequestTypes"] = "test.send" }, formPage: Page);
        var html = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Matches("data-valmsg-for=\"Add.Url\"[^>]*>[^<]+<", html);
        Assert.Empty((await api.GetAsync("/webhooks")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
    }

    [GeneratedRegex("id=\"new-secret-text\"[^>]*>([^<]+)<")]
    private static partial Regex SecretPattern();

    [GeneratedRegex("name=\"deliveryId\" value=\"([^\"]+)\"")]
    private static partial Regex DeliveryPattern();
}

public sealed class WebhooksPageTestsOnSqlite(SqliteServer server) : WebhooksPageTests(server), IClassFixture<SqliteServer>;

public sealed class WebhooksPageTestsOnPostgres(PostgresServer server) : WebhooksPageTests(server), IClassFixture<PostgresServer>;
