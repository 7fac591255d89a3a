using System.Net;
using Microsoft.Playwright;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Operations;

/// <summary>
/// The operations pages in Chromium, as an admin: an API key made, copied, used and revoked, and its creation in the
/// audit log under the admin's name; an event tracked through the API appearing in the live tail without a reload; the
/// Stripe page before and after connecting (to the fake Stripe). Screenshots and axe at laptop and phone width.
/// </summary>
public abstract class OperationsBrowserTests(StripeConsoleServer server)
{
    [Fact]
    public async Task AnAdminMakesAKeyCopiesItUsesItRevokesItAndFindsItInTheAuditLog()
    {
        var api = await server.NewEnvironmentAsync();
        var page = await SignedInAsync(api, phone: false);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GotoAsync("/console/environments");
        await Screenshots.SaveAsync(page, "environments");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Key name").FillAsync("backend");
        await page.GetByLabel("Kind").SelectOptionAsync("secret");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var shown = page.Locator("#new-key-text");
        await Expect(shown).ToBeVisibleAsync();
        var key = (await shown.InnerTextAsync()).Trim();
        Assert.StartsWith("tg_sk_", key, StringComparison.Ordinal);
        var copy = page.Locator(".new-key").GetByRole(AriaRole.Button, new() { Name = "Copy" });
        await copy.ClickAsync();
        await Expect(page.Locator(".new-key").GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        Assert.Equal(key, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await Screenshots.SaveAsync(page, "environments-new-key");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        (await server.Api(key).GetAsync("/companies")).ShouldBe(HttpStatusCode.OK);
        await page.GotoAsync("/console/environments");
        await Expect(page.Locator("#new-key-text")).ToHaveCountAsync(0);
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

        // Revoking asks first (data-confirm): the person accepts.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke backend" }).ClickAsync();
        await Expect(page.Locator(".flash.ok")).ToContainTextAsync("Key revoked");
        (await server.Api(key).GetAsync("/companies")).ShouldBe(HttpStatusCode.Unauthorized);
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "backend" })).ToContainTextAsync("revoked");

        await page.GotoAsync("/console/audit");
        await page.GetByLabel("Resource type").FillAsync("api_key");
        await page.GetByLabel("Actor").SelectOptionAsync("app_user");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(page, u => u.Contains("type=api_key", StringComparison.Ordinal));
        var entries = page.Locator(".audit-entry");
        await Expect(entries).ToHaveCountAsync(2);
        await Expect(entries.Filter(new() { Has = page.Locator(".audit-action.create") })).ToContainTextAsync("Ada Admin");
        await Expect(entries.Filter(new() { Has = page.Locator(".audit-action.delete") })).ToContainTextAsync("Ada Admin");
        await Screenshots.SaveAsync(page, "audit-filtered");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        // Another actor: none of the admin's entries match.
        await page.GetByLabel("Actor").SelectOptionAsync("system");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await ConsoleBrowser.ShowsAsync(page, u => u.Contains("actor=system", StringComparison.Ordinal));
        await Expect(page.Locator(".audit-entry")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No entries" })).ToBeVisibleAsync();

        var phone = await SignedInAsync(api, phone: true);
        foreach (var (path, name) in new[] { ("/console/environments", "environments-phone"), ("/console/audit", "audit-phone") })
        {
            Assert.Equal(200, (await phone.GotoAsync(path))!.Status);
            await Screenshots.SaveAsync(phone, name);
            await Accessibility.AssertNoSeriousViolationsAsync(phone);
        }

        await page.Context.CloseAsync();
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task AnEventTrackedThroughTheApiAppearsInTheLiveTailWithoutAReload()
    {
        var api = await server.NewEnvironmentAsync();
        var page = await SignedInAsync(api, phone: false);
        await page.GotoAsync("/console/events");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Waiting for events" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "events-empty");
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        // A mark on this document: a reload or a navigation would lose it.
        await page.EvaluateAsync("() => { window.tailTestMark = 'same document'; }");

        await Events.SendAsync(api, Events.Track("report_export", "tail-co", 7, idempotencyKey: "tail-idem-1"));

        var row = page.Locator("#event-rows tr.event-row").Filter(new() { HasText = "report_export" });
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(row).ToContainTextAsync("tail-idem-1");
        Assert.Equal("same document", await page.EvaluateAsync<string?>("() => window.tailTestMark ?? null"));
        await Screenshots.SaveAsync(page, "events-live");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        var phone = await SignedInAsync(api, phone: true);
        await phone.GotoAsync("/console/events");
        await Expect(phone.Locator("#event-rows tr.event-row")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(phone, "events-phone");
        await Accessibility.AssertNoSeriousViolationsAsync(phone);

        await page.Context.CloseAsync();
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task TheStripePageExplainsHowToConnectAndShowsTheConnectionOnceConnected()
    {
        var api = await server.NewEnvironmentAsync();
        var page = await SignedInAsync(api, phone: false);
        await page.GotoAsync("/console/stripe");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not connected" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "stripe-not-connected");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        var account = server.Fake.NewAccount();
        await page.GetByLabel("Secret key").FillAsync(account.ApiKey);
        await page.GetByLabel("Webhook signing secret").FillAsync($"whsec_console_{Guid.NewGuid():N}");
        await page.GetByLabel("Import products, prices, customers and subscriptions").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await Expect(page.Locator(".flash.ok")).ToContainTextAsync("Stripe connection saved");

        await Expect(page.Locator(".stripe-stats .badge.ok")).ToHaveTextAsync("connected");
        Assert.DoesNotContain(account.ApiKey, await page.ContentAsync(), StringComparison.Ordinal);
        (await api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK);
        await Screenshots.SaveAsync(page, "stripe-connected");
        await Accessibility.AssertNoSeriousViolationsAsync(page);

        var phone = await SignedInAsync(api, phone: true);
        await phone.GotoAsync("/console/stripe");
        await Screenshots.SaveAsync(phone, "stripe-phone");
        await Accessibility.AssertNoSeriousViolationsAsync(phone);

        await page.Context.CloseAsync();
        await phone.Context.CloseAsync();
    }

    private async Task<IPage> SignedInAsync(ApiClient api, bool phone)
    {
        var page = await ConsoleBrowser.SignedInAsync(server, ConsoleRole.Admin, api.EnvironmentId!, phone, "Ada Admin");
        return page;
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}

public sealed class OperationsBrowserTestsOnSqlite(StripeSqliteConsoleServer server) : OperationsBrowserTests(server), IClassFixture<StripeSqliteConsoleServer>;

public sealed class OperationsBrowserTestsOnPostgres(StripePostgresConsoleServer server) : OperationsBrowserTests(server), IClassFixture<StripePostgresConsoleServer>;
