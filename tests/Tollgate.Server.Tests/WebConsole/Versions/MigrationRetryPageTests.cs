using System.Net;
using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Functional.PlanMigrations;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;
using Tollgate.Server.WebConsole.Accounts;

namespace Tollgate.Server.Tests.WebConsole.Versions;

/// <summary>
/// A migration that failed for real (Stripe refused the subscription change once) is retried from its console page by an
/// editor: the failed company is tried again, the migration finishes and the company moves.
/// </summary>
public abstract class MigrationRetryPageTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task AnEditorRetriesAFailedMigrationFromItsPageAndTheCompanyMoves()
    {
        var (s, subscription, draft, price) = await BilledMigrationGiven.ProVersionTwoWithItsOwnPriceAsync(server);
        server.Fake.Faults.Enqueue(Fault.ServerError(), $"/v1/subscriptions/{subscription.Id}", times: 1, method: "POST");
        var migration = (await s.Api.PostAsync("/plan-version-migrations", new { planId = s.Pro, planVersionIdTo = draft, strategy = "immediate", targetPlanType = "plan" }))
            .ShouldBe(HttpStatusCode.OK).Id;
        var failed = await MigrationGiven.FinishedAsync(s.Api, migration);
        Assert.Equal(("failed", 1), (failed.GetProperty("status").GetString(), failed.GetProperty("failed_companies").GetInt32()));
        var editor = await ConsoleUsers.CreateAsync(server, ConsoleRole.Editor);
        using var console = await ConsoleHttp.SignInAsync(server, editor.Email);
        using var switched = await console.PostFormAsync("/console/environment", new() { ["environmentId"] = s.Api.EnvironmentId! }, "/console");
        var page = $"/console/migrations/{migration}";
        Assert.Contains("Retry 1 failed", await console.PageAsync(page), StringComparison.Ordinal);

        using var response = await console.PostFormAsync($"{page}?handler=Retry", [], page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var done = await MigrationGiven.FinishedAsync(s.Api, migration);
        Assert.Equal(("completed", 1, 0), (done.GetProperty("status").GetString(), done.GetProperty("completed_companies").GetInt32(), done.GetProperty("failed_companies").GetInt32()));
        Assert.Equal([draft], await BilledMigrationGiven.AcmeVersionIdsAsync(s));
        Assert.Equal(price, (string?)s.World.Stripe.Store.Snapshot(subscription.Id)!["items"]!["data"]![0]!["price"]!["id"]);
        var after = WebUtility.HtmlDecode(await console.PageAsync(page));
        Assert.Contains("data-status=\"completed\"", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Retry 1 failed", after, StringComparison.Ordinal);
    }
}

/// <summary>On SQLite.</summary>
public sealed class MigrationRetryPageTestsOnSqlite(StripeSqliteServer server) : MigrationRetryPageTests(server), IClassFixture<StripeSqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class MigrationRetryPageTestsOnPostgres(StripePostgresServer server) : MigrationRetryPageTests(server), IClassFixture<StripePostgresServer>;
