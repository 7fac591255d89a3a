using System.Net;
using Tollgate.Server.Tests.Functional.PlanMigrations;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Versions;

/// <summary>
/// The plan version pages over HTTP: a draft started in the console, the diff of two versions, publishing with the
/// migration preview, the migration pages, and who may do it. Every write is checked through the API and the audit log.
/// </summary>
public abstract class PlanVersionPagesTests(TollgateFactory server)
{
    [Fact]
    public async Task ANewDraftStartedInTheConsoleIsADraftThroughTheApiAuditedUnderTheConsoleUser()
    {
        var (s, console, owner) = await SignedInAsync();

        using var response = await console.PostFormAsync($"/console/plans/{s.Pro}/versions?handler=Draft", [], $"/console/plans/{s.Pro}/versions");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var versions = (await s.Api.GetAsync($"/plans/{s.Pro}/versions")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().ToList();
        Assert.Equal(["published", "draft"], versions.Select(v => v.GetProperty("status").GetString()));
        var audit = (await s.Api.GetAsync("/audit-log?limit=100")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray();
        Assert.Contains(audit, e => e.GetProperty("resource_id_string").GetString() == versions[1].GetProperty("id").GetString() && e.GetProperty("user_name").GetString() == owner.Name);
        var page = await console.PageAsync($"/console/plans/{s.Pro}/versions");
        Assert.Contains("Review and publish v2", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDiffShowsTheChangedLimitBeforeAndAfter()
    {
        var (s, console, _) = await SignedInAsync();
        var v1 = await PublishedVersionAsync(s);
        var draft = await DraftWithApiCallsAsync(s, 2000);

        var page = WebUtility.HtmlDecode(await console.PageAsync($"/console/plans/{s.Pro}/versions/diff?from={v1}&to={draft}"));

        Assert.Contains("diff-changed", page, StringComparison.Ordinal);
        Assert.Contains("<del>1,000</del>", page, StringComparison.Ordinal);
        Assert.Contains("<ins>2,000</ins>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("diff-added", page.Replace("stat diff-added", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishingShowsThePreviewThenMovesTheCompaniesAndOpensTheMigration()
    {
        var (s, console, owner) = await SignedInAsync();
        await s.CompanyAsync("acme", s.Pro, seats: 2);
        await s.CompanyAsync("globex", s.Pro, seats: 1);
        var draft = await DraftWithApiCallsAsync(s, 2000);
        var path = $"/console/plans/{s.Pro}/versions/{draft}/publish";

        var preview = WebUtility.HtmlDecode(await console.PageAsync(path));
        var impact = WebUtility.HtmlDecode(await console.PageAsync($"{path}?handler=Impact"));
        using var response = await console.PostFormAsync(path, new() { ["Strategy"] = "immediate" });

        Assert.Contains("Companies that would move</div><div class=\"value\">2</div>", preview, StringComparison.Ordinal);
        Assert.Contains("value 1,000 → 2,000", preview, StringComparison.Ordinal);
        Assert.Contains($"hx-get=\"{path}?handler=Impact\"", preview, StringComparison.Ordinal);
        Assert.Contains("Over a new limit</div><div class=\"value\">0</div>", impact, StringComparison.Ordinal);
        Assert.Contains("/console/companies/", impact, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", impact, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/console/migrations/", location, StringComparison.Ordinal);
        var version = (await s.Api.GetAsync($"/plans/version/{draft}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("published", version.GetProperty("status").GetString());
        Assert.Equal("immediate", version.GetProperty("migration_strategy").GetString());
        var migration = (await s.Api.GetAsync($"/plan-version-migrations/{location.Split('/')[^1]}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(2, migration.GetProperty("total_companies").GetInt32());
        var audit = (await s.Api.GetAsync("/audit-log?limit=100")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray();
        Assert.Contains(audit, e => e.GetProperty("resource_id_string").GetString() == draft && e.GetProperty("action").GetString() != "create" && e.GetProperty("user_name").GetString() == owner.Name);
        var detail = await console.PageAsync(location);
        Assert.Contains("data-status=\"completed\"", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("hx-trigger", detail, StringComparison.Ordinal);
        Assert.Contains(location, await console.PageAsync("/console/migrations"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownStrategyIsRefusedWith422NextToTheChoiceAndNothingIsPublished()
    {
        var (s, console, _) = await SignedInAsync();
        var draft = await DraftWithApiCallsAsync(s, 2000);
        var path = $"/console/plans/{s.Pro}/versions/{draft}/publish";

        using var response = await console.PostFormAsync(path, new() { ["Strategy"] = "someday" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Matches("field-validation-error\"[^>]*data-valmsg-for=\"Strategy\"[^>]*>must be one of", html);
        Assert.Equal("draft", (await s.Api.GetAsync($"/plans/version/{draft}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CancellingAFinishedMigrationIsRefusedWithTheReason()
    {
        var (s, console, _) = await SignedInAsync();
        await s.CompanyAsync("acme", s.Pro, seats: 2);
        var draft = await DraftWithApiCallsAsync(s, 2000);
        (await s.Api.PutAsync($"/plans/version/{draft}/publish", new { migrationStrategy = "immediate" })).ShouldBe(HttpStatusCode.OK);
        var migration = (await s.Api.GetAsync($"/plan-version-migrations?plan_version_id={draft}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single().GetProperty("id").GetString();

        using var response = await console.PostFormAsync($"/console/migrations/{migration}?handler=Cancel", [], $"/console/migrations/{migration}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("only a migration with companies still to move can be cancelled", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal("completed", (await s.Api.GetAsync($"/plan-version-migrations/{migration}")).Data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CancellingAScheduledMigrationFromItsPageKeepsTheCompanyOnItsVersionAndSaysSo()
    {
        var (s, console, _) = await SignedInAsync();
        var now = server.Time.GetUtcNow();
        // A billed company moves at the end of its period, 25 days away: the migration waits for it.
        var billed = (await s.Api.PostAsync("/companies", new
        {
            keys = Given.Keys("acme"), name = "acme", basePlanId = s.Pro, subscription = new { id = "sub_1", periodStart = now.AddDays(-5), periodEnd = now.AddDays(25) },
        })).ShouldBe(HttpStatusCode.OK).Id;
        var (v1, v2) = await MigrationGiven.ProVersionTwoAsync(s);
        var migration = (await s.Api.PostAsync("/plan-version-migrations", new { planId = s.Pro, planVersionIdTo = v2, strategy = "end_of_billing_period", targetPlanType = "plan" }))
            .ShouldBe(HttpStatusCode.OK).Id;
        await MigrationGiven.FinishedAsync(s.Api, migration);

        using var response = await console.PostFormAsync($"/console/migrations/{migration}?handler=Cancel", [], $"/console/migrations/{migration}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("cancelled", (await s.Api.GetAsync($"/plan-version-migrations/{migration}")).Data.GetProperty("status").GetString());
        Assert.Equal([v1], await MigrationGiven.VersionIdsAsync(s.Api, billed));
        Assert.Contains("Migration cancelled. Companies not yet moved keep their version.", WebUtility.HtmlDecode(await console.PageAsync($"/console/migrations/{migration}")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AViewerSeesThePagesButEveryWriteIsRefused()
    {
        var (s, _, _) = await SignedInAsync();
        var viewer = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer);
        using var console = await ConsoleHttp.SignInAsync(server, viewer.Email);
        using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = s.Api.EnvironmentId! }, "/console");
        var draft = await DraftWithApiCallsAsync(s, 2000);
        var publish = $"/console/plans/{s.Pro}/versions/{draft}/publish";

        var page = WebUtility.HtmlDecode(await console.PageAsync(publish));
        using var published = await console.PostFormAsync(publish, new() { ["Strategy"] = "immediate" });
        using var deleted = await console.PostFormAsync($"/console/plans/{s.Pro}/versions?handler=Delete", new() { ["versionId"] = draft }, $"/console/plans/{s.Pro}/versions");

        Assert.Contains("Your role can review this draft but not publish it", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, published.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, deleted.StatusCode);
        Assert.Equal("draft", (await s.Api.GetAsync($"/plans/version/{draft}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetString());
    }

    private async Task<(PricingScenario Scenario, ConsoleHttp Console, ConsoleUser Owner)> SignedInAsync()
    {
        var s = await PricingScenario.CreateAsync(server);
        var owner = await ConsoleUsers.OwnerAsync(server);
        var console = await ConsoleHttp.SignInAsync(server, owner.Email);
        using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = s.Api.EnvironmentId! }, "/console");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        return (s, console, owner);
    }

    private static async Task<string> DraftWithApiCallsAsync(PricingScenario s, long limit)
    {
        var draft = (await s.Api.PostAsync($"/plans/{s.Pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        var calls = (await s.Api.GetAsync($"/plan-entitlements?plan_id={s.Pro}&limit=1000")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Single(e => e.GetProperty("plan_version_id").GetString() == draft && e.GetProperty("feature_id").GetString() == s.ApiCalls);
        (await s.Api.PutAsync($"/plan-entitlements/{calls.GetProperty("id").GetString()}", new { valueType = "numeric", valueNumeric = limit, metricPeriod = "current_month" }))
            .ShouldBe(HttpStatusCode.OK);
        return draft;
    }

    private static async Task<string> PublishedVersionAsync(PricingScenario s) =>
        (await s.Api.GetAsync($"/plans/{s.Pro}/versions")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .Single(v => v.GetProperty("status").GetString() == "published").GetProperty("id").GetString()!;
}

public sealed class PlanVersionPagesTestsOnSqlite(SqliteServer server) : PlanVersionPagesTests(server), IClassFixture<SqliteServer>;

public sealed class PlanVersionPagesTestsOnPostgres(PostgresServer server) : PlanVersionPagesTests(server), IClassFixture<PostgresServer>;
