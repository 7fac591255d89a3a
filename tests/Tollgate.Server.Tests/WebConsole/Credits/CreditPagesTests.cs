using System.Net;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Credits;

/// <summary>The credits page over HTTP: credit types and plan credit grants seen through the API, bad input next to its field, viewers refused.</summary>
public abstract class CreditPagesTests(TollgateFactory server)
{
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
    public async Task APlanCreditGrantMadeInTheConsoleIsTheApisAndIsDeletedFromThePage()
    {
        var (s, console) = await SignedInAsync();
        var credit = (await s.Api.PostAsync("/billing/credits", new { name = "Exports" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("id").GetString()!;

        using var noAmount = await console.PostFormAsync("/console/credits?handler=CreateGrant", new() { ["NewGrant.PlanId"] = s.Pro, ["NewGrant.CreditId"] = credit }, "/console/credits");
        using var granted = await console.PostFormAsync("/console/credits?handler=CreateGrant", new()
        {
            ["NewGrant.PlanId"] = s.Pro, ["NewGrant.CreditId"] = credit, ["NewGrant.CreditAmount"] = "250", ["NewGrant.ResetCadence"] = "monthly",
        }, "/console/credits");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, noAmount.StatusCode);
        Assert.Matches("data-valmsg-for=\"NewGrant.CreditAmount\"[^>]*>[^<]+<", await noAmount.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        var grant = Assert.Single((await s.Api.GetAsync($"/billing/credits/plan-grants?plan_id={s.Pro}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
        Assert.Equal((credit, 250d), (grant.GetProperty("credit_id").GetString(), grant.GetProperty("credit_amount").GetDouble()));
        var page = WebUtility.HtmlDecode(await console.PageAsync("/console/credits"));
        Assert.Contains("Exports", page, StringComparison.Ordinal);

        using var deleted = await console.PostFormAsync("/console/credits?handler=DeleteGrant", new() { ["grantId"] = grant.GetProperty("id").GetString()! }, "/console/credits");
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Empty((await s.Api.GetAsync($"/billing/credits/plan-grants?plan_id={s.Pro}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray());
    }

    [Fact]
    public async Task AViewerCannotCreateACreditType()
    {
        var s = await PricingScenario.CreateAsync(server);
        var viewer = await ConsoleUsers.CreateAsync(server, ConsoleRole.Viewer);
        using var console = await ConsoleHttp.SignInAsync(server, viewer.Email);
        using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = s.Api.EnvironmentId! }, "/console");

        var page = await console.PageAsync("/console/credits");
        using var credit = await console.PostFormAsync("/console/credits?handler=CreateType", new() { ["NewType.Name"] = "Nope" }, "/console/credits");

        Assert.DoesNotContain("handler=CreateType", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, credit.StatusCode);
        Assert.DoesNotContain((await s.Api.GetAsync("/billing/credits")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray(), c => c.GetProperty("name").GetString() == "Nope");
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

public sealed class CreditPagesTestsOnSqlite(SqliteServer server) : CreditPagesTests(server), IClassFixture<SqliteServer>;

public sealed class CreditPagesTestsOnPostgres(PostgresServer server) : CreditPagesTests(server), IClassFixture<PostgresServer>;
