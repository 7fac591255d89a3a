using System.Net;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Versions;

/// <summary>The plan group and credits pages over HTTP: each write seen through the API, bad input next to its field, viewers refused.</summary>
public abstract class CatalogSettingsPagesTests(TollgateFactory server)
{
    [Fact]
    public async Task AnEnvironmentWithoutAPlanGroupExplainsItAndCreatesOneWithTheChosenPlans()
    {
        var (s, console) = await SignedInAsync();

        var empty = WebUtility.HtmlDecode(await console.PageAsync("/console/plan-groups"));
        using var created = await console.PostFormAsync("/console/plan-groups?handler=Create", new()
        {
            ["Input.DefaultPlanId"] = s.Starter, ["Input.FallbackPlanId"] = s.Starter, ["Input.TrialDays"] = "14", ["Input.OfferedPlanIds"] = s.Pro,
        }, "/console/plan-groups");

        Assert.Contains("This environment has no plan group yet", empty, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var group = (await s.Api.GetAsync("/plan-groups")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal(s.Starter, group.GetProperty("default_plan_id").GetString());
        Assert.Equal(14, group.GetProperty("trial_days").GetInt32());
    }

    [Fact]
    public async Task ANegativeTrialLengthIsRefusedNextToTheField()
    {
        var (_, console) = await SignedInAsync();

        using var response = await console.PostFormAsync("/console/plan-groups?handler=Create", new() { ["Input.TrialDays"] = "-3" }, "/console/plan-groups");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Matches("field-validation-error\"[^>]*data-valmsg-for=\"Input.TrialDays\"[^>]*>must be between", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ACreditTypeCreatedInTheConsoleIsListedByTheApiAndANamelessOneIsRefused()
    {
        var (s, console) = await SignedInAsync();

        using var created = await console.PostFormAsync("/console/credits?handler=CreateType", new() { ["NewType.Name"] = "Render minutes", ["NewType.PerUnitPrice"] = "0.02" }, "/console/credits");
        using var nameless = await console.PostFormAsync("/console/credits?handler=CreateType", new() { ["NewType.Name"] = "" }, "/console/credits");

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains((await s.Api.GetAsync("/billing/credits")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray(), c => c.GetProperty("name").GetString() == "Render minutes");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nameless.StatusCode);
        Assert.Matches("field-validation-error\"[^>]*data-valmsg-for=\"NewType.Name\"[^>]*>[^<]+<", await nameless.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AViewerCannotCreateAPlanGroupOrACreditType()
    {
        var s = await PricingScenario.CreateAsync(server);
        var viewer = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer);
        using var console = await ConsoleHttp.SignInAsync(server, viewer.Email);
        using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = s.Api.EnvironmentId! }, "/console");

        using var group = await console.PostFormAsync("/console/plan-groups?handler=Create", new() { ["Input.DefaultPlanId"] = s.Starter }, "/console/plan-groups");
        using var credit = await console.PostFormAsync("/console/credits?handler=CreateType", new() { ["NewType.Name"] = "Nope" }, "/console/credits");

        Assert.Equal(HttpStatusCode.Forbidden, group.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, credit.StatusCode);
        (await s.Api.GetAsync("/plan-groups")).ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<(PricingScenario Scenario, ConsoleHttp Console)> SignedInAsync()
    {
        var s = await PricingScenario.CreateAsync(server);
        var owner = await ConsoleUsers.OwnerAsync(server);
        var console = await ConsoleHttp.SignInAsync(server, owner.Email);
        using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = s.Api.EnvironmentId! }, "/console");
        return (s, console);
    }
}

public sealed class CatalogSettingsPagesTestsOnSqlite(SqliteServer server) : CatalogSettingsPagesTests(server), IClassFixture<SqliteServer>;

public sealed class CatalogSettingsPagesTestsOnPostgres(PostgresServer server) : CatalogSettingsPagesTests(server), IClassFixture<PostgresServer>;
