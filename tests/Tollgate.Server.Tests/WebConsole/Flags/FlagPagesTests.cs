using System.Net;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Flags;

/// <summary>
/// The flag pages and "Check as…" over HTTP: what they show, what their forms change (through the same service as
/// <c>PUT /flags/{id}/rules</c>, seen by the check API), errors beside their field, and that a viewer cannot write.
/// </summary>
public abstract class FlagPagesTests(TollgateFactory server)
{
    [Fact]
    public async Task TheFlagsListSearchesByKeyOrName()
    {
        var (s, console) = await SignedInAsync();

        var all = await console.PageAsync("/console/flags");
        var api = await console.PageAsync("/console/flags?q=API");
        var none = await console.PageAsync("/console/flags?q=zzz");

        Assert.Contains("<code>sso</code>", all, StringComparison.Ordinal);
        Assert.Contains("5 flags", all, StringComparison.Ordinal);
        Assert.Contains("<code>api-calls</code>", api, StringComparison.Ordinal);
        Assert.DoesNotContain("<code>sso</code>", api, StringComparison.Ordinal);
        Assert.Contains("No flag matches", none, StringComparison.Ordinal);
        GC.KeepAlive(s);
    }

    [Fact]
    public async Task CheckAsShowsTheAnswerTheDecidingRuleAndEachCondition()
    {
        var (s, console) = await SignedInAsync();
        await s.CompanyAsync("acme-pro", s.Pro, seats: 2);
        await s.CompanyAsync("acme-starter", s.Starter, seats: 2);

        var pro = await console.PageAsync("/console/check?flag=sso&company=acme-pro");
        var both = await console.PageAsync("/console/check?flag=sso&company=acme");
        var nobody = await console.PageAsync("/console/check?flag=sso&company=nobody-at-all");

        Assert.Contains("data-testid=\"answer-value\">On<", pro, StringComparison.Ordinal);
        Assert.Contains("Decided by <a href=\"#rule-1\"><strong>Pro</strong></a>", pro, StringComparison.Ordinal);
        Assert.Contains("class=\"rule-step decided\"", pro, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"holds\"", pro, StringComparison.Ordinal);
        Assert.Contains("Several companies match", both, StringComparison.Ordinal);
        Assert.Contains("acme-starter", both, StringComparison.Ordinal);
        Assert.Contains("No company has the id or a key starting with", nobody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARuleAddedInTheEditorDecidesTheNextCheck()
    {
        var (s, console) = await SignedInAsync();
        await s.CompanyAsync("big-co", s.Starter, seats: 8);
        var seats = await TraitIdAsync(s, "seats");
        var sso = await FlagIdAsync(s, "sso");
        Assert.False((await s.CheckAsync("sso", "big-co")).GetProperty("value").GetBoolean());

        using var saved = await console.PostFormAsync($"/console/flags/{sso}/rules/new?handler=Save", new()
        {
            ["Rule.Name"] = "Big teams get SSO",
            ["Rule.RuleType"] = "standard",
            ["Rule.Priority"] = "1",
            ["Rule.Value"] = "true",
            ["Rule.Conditions[0].ConditionType"] = "trait",
            ["Rule.Conditions[0].TraitId"] = seats,
            ["Rule.Conditions[0].Operator"] = "gt",
            ["Rule.Conditions[0].TraitValue"] = "5",
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var check = await s.CheckAsync("sso", "big-co");
        Assert.True(check.GetProperty("value").GetBoolean());
        Assert.Equal("standard", check.GetProperty("rule_type").GetString());
        var flagPage = await console.PageAsync($"/console/flags/{sso}");
        Assert.Contains("Company trait “seats” > “5”", WebUtility.HtmlDecode(flagPage), StringComparison.Ordinal);
        var explained = await console.PageAsync("/console/check?flag=sso&company=big-co");
        Assert.Contains("Decided by <a href=\"#rule-", explained, StringComparison.Ordinal);
        Assert.Contains("<strong>Big teams get SSO</strong></a>", explained, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnErrorTheServiceNamesIsShownBesideItsField()
    {
        var (s, console) = await SignedInAsync();
        var sso = await FlagIdAsync(s, "sso");

        using var refused = await console.PostFormAsync($"/console/flags/{sso}/rules/new?handler=Save", new()
        {
            ["Rule.Name"] = "No trait chosen",
            ["Rule.RuleType"] = "standard",
            ["Rule.Value"] = "true",
            ["Rule.Conditions[0].ConditionType"] = "trait",
            ["Rule.Conditions[0].Operator"] = "eq",
        });
        var html = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var select = html.IndexOf("id=\"Rule-Conditions-0-TraitId\"", StringComparison.Ordinal);
        var error = html.IndexOf("<span class=\"field-error\">must name an existing trait definition</span>", StringComparison.Ordinal);
        Assert.True(select > 0 && error > select && error - select < 1_500, "the trait error sits right after the trait field");
        Assert.Empty((await s.Api.GetAsync($"/flags/{sso}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("rules").EnumerateArray());
    }

    [Fact]
    public async Task ConditionsAndGroupsAreAddedAndRemovedWithoutSaving()
    {
        var (s, console) = await SignedInAsync();
        var sso = await FlagIdAsync(s, "sso");

        using var grouped = await console.PostFormAsync($"/console/flags/{sso}/rules/new?handler=Edit", new()
        {
            ["op"] = "add-group",
            ["Rule.Name"] = "Draft",
            ["Rule.Conditions[0].ConditionType"] = "plan",
            ["Rule.Conditions[0].Operator"] = "eq",
        });
        var html = await grouped.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, grouped.StatusCode);
        Assert.Contains("Group 1: any of", html, StringComparison.Ordinal);
        Assert.Contains("name=\"Rule.ConditionGroups[0].Conditions[1].ConditionType\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Draft\"", html, StringComparison.Ordinal);
        // A plan condition offers the plans to choose from.
        Assert.Contains($"name=\"Rule.Conditions[0].ResourceIds\" value=\"{s.Pro}\"", html, StringComparison.Ordinal);
        Assert.Empty((await s.Api.GetAsync($"/flags/{sso}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("rules").EnumerateArray());
    }

    [Fact]
    public async Task RulesAreReorderedAndRemovedFromTheFlagPage()
    {
        var (s, console) = await SignedInAsync();
        var beta = await FlagIdAsync(s, "beta");
        (await s.Api.PutAsync($"/flags/{beta}/rules", new
        {
            rules = new object[]
            {
                new { name = "First", ruleType = "standard", priority = 1, value = false },
                new { name = "Second", ruleType = "standard", priority = 2, value = true },
            },
        })).ShouldBe(HttpStatusCode.OK);
        var second = RuleIds(await s.Api.GetAsync($"/flags/{beta}"))["Second"];
        await s.CompanyAsync("any-co", s.Starter, seats: 1);
        Assert.False((await s.CheckAsync("beta", "any-co")).GetProperty("value").GetBoolean());

        using var moved = await console.PostFormAsync($"/console/flags/{beta}?handler=Move", new() { ["ruleId"] = second, ["direction"] = "up" });
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.True((await s.CheckAsync("beta", "any-co")).GetProperty("value").GetBoolean());

        using var removed = await console.PostFormAsync($"/console/flags/{beta}?handler=Remove", new() { ["ruleId"] = second });
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(["First"], RuleIds(await s.Api.GetAsync($"/flags/{beta}")).Keys);
    }

    [Fact]
    public async Task EveryFlagForACompanyLoadsAsAPartialForHtmx()
    {
        var (s, console) = await SignedInAsync();
        var company = await s.CompanyAsync("all-co", s.Pro, seats: 12);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/console/check/all?companyId={company}");
        request.Headers.Add("HX-Request", "true");
        var partial = await console.SendAsync(request);
        var full = await console.PageAsync($"/console/check/all?companyId={company}");

        Assert.DoesNotContain("<html", partial, StringComparison.Ordinal);
        Assert.Contains("data-flag=\"seats\"", partial, StringComparison.Ordinal);
        Assert.Contains("Plan limit reached", partial, StringComparison.Ordinal);
        Assert.Contains("<html", full, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AViewerSeesTheRulesButCannotChangeThem()
    {
        var s = await PricingScenario.CreateAsync(server);
        var viewer = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer);
        using var console = await ConsoleHttp.SignInAsync(server, viewer.Email);
        await SwitchAsync(console, s);
        var sso = await FlagIdAsync(s, "sso");

        var page = await console.PageAsync($"/console/flags/{sso}");
        using var save = await console.PostFormAsync($"/console/flags/{sso}/rules/new?handler=Save", new() { ["Rule.Name"] = "x", ["Rule.Value"] = "true" }, $"/console/flags/{sso}");

        Assert.DoesNotContain("Add rule</a>", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, save.StatusCode);
        Assert.Empty((await s.Api.GetAsync($"/flags/{sso}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("rules").EnumerateArray());
    }

    private async Task<(PricingScenario Scenario, ConsoleHttp Console)> SignedInAsync()
    {
        var s = await PricingScenario.CreateAsync(server);
        var owner = await ConsoleUsers.CreateAsync(server, ConsoleRole.Editor);
        var console = await ConsoleHttp.SignInAsync(server, owner.Email);
        await SwitchAsync(console, s);
        return (s, console);
    }

    private static async Task SwitchAsync(ConsoleHttp console, PricingScenario s)
    {
        using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = s.Api.EnvironmentId!, ["returnUrl"] = "/console" }, "/console");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
    }

    private static Dictionary<string, string> RuleIds(ApiResponse flag) =>
        flag.ShouldBe(HttpStatusCode.OK).Data.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("id").GetString()!);

    private static async Task<string> FlagIdAsync(PricingScenario s, string key) =>
        (await s.Api.GetAsync("/flags")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single(f => f.GetProperty("key").GetString() == key).GetProperty("id").GetString()!;

    private static async Task<string> TraitIdAsync(PricingScenario s, string name) =>
        (await s.Api.GetAsync("/trait-definitions")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single(t => t.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
}

public sealed class FlagPagesTestsOnSqlite(SqliteServer server) : FlagPagesTests(server), IClassFixture<SqliteServer>;

public sealed class FlagPagesTestsOnPostgres(PostgresServer server) : FlagPagesTests(server), IClassFixture<PostgresServer>;
