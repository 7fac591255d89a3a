using System.Net;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.PlanGroups;

/// <summary>The plan group page over HTTP: each write seen through <c>GET /plan-groups</c>, bad input next to its field, viewers refused.</summary>
public abstract class PlanGroupPagesTests(TollgateFactory server)
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
        Assert.Equal(s.Starter, group.GetProperty("fallback_plan_id").GetString());
        Assert.Equal(14, group.GetProperty("trial_days").GetInt32());
        Assert.Equal([s.Pro], PlanOrder(group));
    }

    [Fact]
    public async Task MovingAPlanUpChangesTheOrderAndSavingKeepsItWhileChangingTheTrial()
    {
        var (s, console) = await SignedInAsync();
        using var created = await console.PostFormAsync("/console/plan-groups?handler=Create", new()
        {
            // Indexed names: the form posts the ticked boxes as repeated fields, which bind to the same list.
            ["Input.DefaultPlanId"] = s.Starter, ["Input.OfferedPlanIds[0]"] = s.Starter, ["Input.OfferedPlanIds[1]"] = s.Pro, ["Input.OfferedPlanIds[2]"] = s.Enterprise,
        }, "/console/plan-groups");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        using var moved = await console.PostFormAsync("/console/plan-groups?handler=Move", new() { ["planId"] = s.Enterprise, ["by"] = "-1" }, "/console/plan-groups");
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal([s.Starter, s.Enterprise, s.Pro], PlanOrder((await s.Api.GetAsync("/plan-groups")).ShouldBe(HttpStatusCode.OK).Data));

        using var saved = await console.PostFormAsync("/console/plan-groups?handler=Save", new()
        {
            ["Input.DefaultPlanId"] = s.Starter, ["Input.FallbackPlanId"] = s.Pro, ["Input.TrialDays"] = "30", ["Input.TrialExpiryPlanId"] = s.Starter,
            ["Input.TrialPaymentMethodRequired"] = "true", ["Input.OfferedPlanIds[0]"] = s.Starter, ["Input.OfferedPlanIds[1]"] = s.Pro, ["Input.OfferedPlanIds[2]"] = s.Enterprise,
        }, "/console/plan-groups");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var group = (await s.Api.GetAsync("/plan-groups")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal([s.Starter, s.Enterprise, s.Pro], PlanOrder(group));
        Assert.Equal(s.Pro, group.GetProperty("fallback_plan_id").GetString());
        Assert.Equal(30, group.GetProperty("trial_days").GetInt32());
        Assert.Equal(s.Starter, group.GetProperty("trial_expiry_plan_id").GetString());
        Assert.True(group.GetProperty("trial_payment_method_required").GetBoolean());
    }

    [Fact]
    public async Task ANegativeTrialLengthIsRefusedNextToTheField()
    {
        var (s, console) = await SignedInAsync();

        using var response = await console.PostFormAsync("/console/plan-groups?handler=Create", new() { ["Input.TrialDays"] = "-3" }, "/console/plan-groups");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Matches("field-validation-error\"[^>]*data-valmsg-for=\"Input.TrialDays\"[^>]*>must be between", await response.Content.ReadAsStringAsync());
        (await s.Api.GetAsync("/plan-groups")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AViewerSeesNoFormAndCannotCreateAPlanGroup()
    {
        var s = await PricingScenario.CreateAsync(server);
        var viewer = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer);
        using var console = await ConsoleHttp.SignInAsync(server, viewer.Email);
        using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = s.Api.EnvironmentId! }, "/console");

        var page = await console.PageAsync("/console/plan-groups");
        using var group = await console.PostFormAsync("/console/plan-groups?handler=Create", new() { ["Input.DefaultPlanId"] = s.Starter }, "/console/plan-groups");

        Assert.DoesNotContain("handler=Create", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, group.StatusCode);
        (await s.Api.GetAsync("/plan-groups")).ShouldBe(HttpStatusCode.NotFound);
    }

    private static List<string?> PlanOrder(System.Text.Json.JsonElement group) =>
        [.. group.GetProperty("ordered_plan_list").EnumerateArray().Select(p => p.GetProperty("plan_id").GetString())];

    private async Task<(PricingScenario Scenario, ConsoleHttp Console)> SignedInAsync()
    {
        var s = await PricingScenario.CreateAsync(server);
        var owner = await ConsoleUsers.OwnerAsync(server);
        var console = await ConsoleHttp.SignInAsync(server, owner.Email);
        using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = s.Api.EnvironmentId! }, "/console");
        return (s, console);
    }
}

public sealed class PlanGroupPagesTestsOnSqlite(SqliteServer server) : PlanGroupPagesTests(server), IClassFixture<SqliteServer>;

public sealed class PlanGroupPagesTestsOnPostgres(PostgresServer server) : PlanGroupPagesTests(server), IClassFixture<PostgresServer>;
