using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.PlanMigrations;

/// <summary>
/// Plan version migrations: a preview says what would change for each company and writes nothing; a migration moves
/// the companies on its origin versions and leaves the excluded (grandfathered) ones where they are; cancel stops it.
/// </summary>
public abstract class PlanMigrationTests(TollgateFactory server)
{
    [Fact]
    public async Task APreviewShowsEachCompanysChangesAndCountsThoseOverANewLimitWithoutMovingAnyone()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 7);
        var globex = await s.CompanyAsync("globex", s.Pro, seats: 2);
        await s.CompanyAsync("initech", s.Starter, seats: 1);
        var (v1, v2) = await MigrationGiven.ProVersionTwoAsync(s);

        var preview = (await s.Api.PostAsync("/plan-version-migrations/preview", new { planId = s.Pro, planVersionIdTo = v2, targetPlanType = "plan" }))
            .ShouldBe(HttpStatusCode.OK).Data;

        var companies = preview.GetProperty("companies").EnumerateArray().ToDictionary(c => c.GetProperty("company_id").GetString()!);
        Assert.Equal(new[] { acme, globex }.Order(StringComparer.Ordinal), companies.Keys.Order(StringComparer.Ordinal));
        var a = companies[acme];
        Assert.Equal(v1, a.GetProperty("plan_version_id_from").GetString());
        Assert.Equal(["sso"], Keys(a.GetProperty("features_lost")));
        Assert.Empty(Keys(a.GetProperty("features_gained")));
        Assert.Equal(["api-calls", "seats"], Keys(a.GetProperty("limit_changes")));
        var seats = a.GetProperty("limit_changes").EnumerateArray().Single(c => c.GetProperty("feature_key").GetString() == "seats");
        Assert.Equal((10, 5), (seats.GetProperty("from").GetProperty("value_numeric").GetInt64(), seats.GetProperty("to").GetProperty("value_numeric").GetInt64()));
        var over = Assert.Single(a.GetProperty("over_limit").EnumerateArray());
        Assert.Equal(("seats", 7, 5), (over.GetProperty("feature_key").GetString(), over.GetProperty("usage").GetInt64(), over.GetProperty("limit").GetInt64()));
        Assert.Empty(companies[globex].GetProperty("over_limit").EnumerateArray());
        Assert.False(a.GetProperty("has_billing_changes").GetBoolean());
        Assert.False(a.GetProperty("would_fail").GetBoolean());
        Assert.False(preview.GetProperty("has_billing_changes").GetBoolean());
        Assert.Equal((2, 1), (preview.GetProperty("total_companies").GetInt32(), preview.GetProperty("companies_over_limit").GetInt32()));
        var byFeature = Assert.Single(preview.GetProperty("over_limit_by_feature").EnumerateArray());
        Assert.Equal(("seats", 1), (byFeature.GetProperty("feature_key").GetString(), byFeature.GetProperty("companies").GetInt32()));
        Assert.Equal([v1], await MigrationGiven.VersionIdsAsync(s.Api, acme));
        // Only the publish's own migration (with leave, nobody moved) exists: the preview wrote nothing.
        Assert.Equal(1, (await s.Api.GetAsync("/plan-version-migrations/count?plan_version_id=" + v2)).Data.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task AMigrationMovesTheCompaniesOnItsOriginVersionAndExcludedCompaniesKeepTheirs()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 2);
        var globex = await s.CompanyAsync("globex", s.Pro, seats: 2);
        var initech = await s.CompanyAsync("initech", s.Starter, seats: 1);
        var (v1, v2) = await MigrationGiven.ProVersionTwoAsync(s);
        Assert.True((await s.CheckAsync("sso", "acme")).GetProperty("value").GetBoolean());

        var created = (await s.Api.PostAsync("/plan-version-migrations", new
        {
            planId = s.Pro, planVersionIdTo = v2, strategy = "immediate", targetPlanType = "plan", excludedCompanyIds = new[] { globex },
        })).ShouldBe(HttpStatusCode.OK).Data;
        var done = await MigrationGiven.FinishedAsync(s.Api, created.GetProperty("id").GetString()!);

        Assert.Equal(("completed", 2, 1, 1, 0), (Text(done, "status"), Int(done, "total_companies"), Int(done, "completed_companies"), Int(done, "skipped_companies"), Int(done, "failed_companies")));
        Assert.Equal((v2, "immediate", JsonValueKind.String), (Text(done, "plan_version_id_to"), Text(done, "strategy"), done.GetProperty("completed_at").ValueKind));
        Assert.Equal([v1], done.GetProperty("plan_version_ids_from").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal([v2], await MigrationGiven.VersionIdsAsync(s.Api, acme));
        Assert.Equal([v1], await MigrationGiven.VersionIdsAsync(s.Api, globex));
        Assert.False((await s.CheckAsync("sso", "acme")).GetProperty("value").GetBoolean(), "the moved company's checks follow at once");
        Assert.True((await s.CheckAsync("sso", "globex")).GetProperty("value").GetBoolean(), "a grandfathered company keeps what its version grants");
        var rows = await MigrationGiven.RowsAsync(s.Api, Text(done, "id"));
        Assert.Equal(("completed", v1, "acme"), (Text(rows[acme], "status"), Text(rows[acme], "plan_version_id_from"), Text(rows[acme], "company_name")));
        Assert.Equal("skipped", Text(rows[globex], "status"));
        Assert.DoesNotContain(initech, rows.Keys);
        Assert.Equal(1, (await s.Api.GetAsync($"/plan-version-company-migrations/count?migration_id={Text(done, "id")}&status=skipped")).Data.GetProperty("count").GetInt32());
        Assert.Equal([acme], (await s.Api.GetAsync($"/plan-version-company-migrations?migration_id={Text(done, "id")}&q=ACM")).Data.EnumerateArray().Select(r => Text(r, "company_id")));
        var moved = (await s.Api.GetAsync($"/audit-log?company_id={acme}&limit=10")).Data[0];
        Assert.Equal((v2, s.Api.KeyId), (moved.GetProperty("after").GetProperty("plan_versions").GetProperty(s.Pro).GetString(), Text(moved, "api_key_id")));

        // Ending the grandfathering: the skipped company is asked for again and moves.
        (await s.Api.PostAsync($"/plan-version-company-migrations/{Text(rows[acme], "id")}/retry", null)).ShouldFail(HttpStatusCode.UnprocessableEntity, "status");
        var retried = (await s.Api.PostAsync($"/plan-version-company-migrations/{Text(rows[globex], "id")}/retry", null)).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("pending", Text(retried, "status"));
        var again = await MigrationGiven.FinishedAsync(s.Api, Text(done, "id"));
        Assert.Equal(("completed", 2, 0), (Text(again, "status"), Int(again, "completed_companies"), Int(again, "skipped_companies")));
        Assert.Equal([v2], await MigrationGiven.VersionIdsAsync(s.Api, globex));
    }

    [Fact]
    public async Task EndOfBillingPeriodSchedulesTheMoveAndCompleteNowMakesItAtOnce()
    {
        var s = await PricingScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var billed = (await s.Api.PostAsync("/companies", new
        {
            keys = Given.Keys("acme"), name = "acme", basePlanId = s.Pro, subscription = new { id = "sub_1", periodStart = now.AddDays(-5), periodEnd = now.AddDays(25) },
        })).ShouldBe(HttpStatusCode.OK).Id;
        var (v1, v2) = await MigrationGiven.ProVersionTwoAsync(s);

        var created = (await s.Api.PostAsync("/plan-version-migrations", new { planId = s.Pro, planVersionIdTo = v2, strategy = "end_of_billing_period", targetPlanType = "plan" }))
            .ShouldBe(HttpStatusCode.OK).Id;
        var scheduled = await MigrationGiven.FinishedAsync(s.Api, created);
        var row = (await MigrationGiven.RowsAsync(s.Api, created))[billed];
        Assert.Equal(now.AddDays(25), row.GetProperty("scheduled_for").GetDateTimeOffset());
        Assert.Equal(now.AddDays(25), scheduled.GetProperty("next_due_at").GetDateTimeOffset());
        Assert.Equal([v1], await MigrationGiven.VersionIdsAsync(s.Api, billed));

        var completed = (await s.Api.PostAsync($"/plan-version-migrations/{created}/complete-now", new { })).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(("completed", JsonValueKind.Null), (Text(completed, "status"), completed.GetProperty("next_due_at").ValueKind));
        Assert.Equal([v2], await MigrationGiven.VersionIdsAsync(s.Api, billed));
        Assert.Equal(JsonValueKind.Null, (await MigrationGiven.RowsAsync(s.Api, created))[billed].GetProperty("scheduled_for").ValueKind);
    }

    [Fact]
    public async Task CancellingAMigrationDropsTheMovesItScheduledAndTheCompaniesKeepTheirVersion()
    {
        var s = await PricingScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var billed = (await s.Api.PostAsync("/companies", new
        {
            keys = Given.Keys("acme"), name = "acme", basePlanId = s.Pro, subscription = new { id = "sub_1", periodStart = now.AddDays(-5), periodEnd = now.AddDays(25) },
        })).ShouldBe(HttpStatusCode.OK).Id;
        var (v1, v2) = await MigrationGiven.ProVersionTwoAsync(s);
        var created = (await s.Api.PostAsync("/plan-version-migrations", new { planId = s.Pro, planVersionIdTo = v2, strategy = "end_of_billing_period", targetPlanType = "plan" }))
            .ShouldBe(HttpStatusCode.OK).Id;
        await MigrationGiven.FinishedAsync(s.Api, created);
        Assert.Equal(1, (await s.Api.GetAsync($"/companies/{billed}")).Data.GetProperty("scheduled_plan_versions").GetArrayLength());

        var cancelled = (await s.Api.PostAsync($"/plan-version-migrations/{created}/cancel", null)).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(("cancelled", 0), (Text(cancelled, "status"), Int(cancelled, "completed_companies")));
        Assert.Equal("cancelled", Text((await MigrationGiven.RowsAsync(s.Api, created))[billed], "status"));
        Assert.Equal(0, (await s.Api.GetAsync($"/companies/{billed}")).Data.GetProperty("scheduled_plan_versions").GetArrayLength());
        server.Time.Advance(TimeSpan.FromDays(30));
        Assert.Equal([v1], await MigrationGiven.VersionIdsAsync(s.Api, billed));
        (await s.Api.PostAsync($"/plan-version-migrations/{created}/cancel", null)).ShouldFail(HttpStatusCode.UnprocessableEntity, "status");
        (await s.Api.PostAsync($"/plan-version-migrations/{created}/complete-now", new { })).ShouldFail(HttpStatusCode.UnprocessableEntity, "cancelled");
    }

    [Fact]
    public async Task RequestsAreCheckedFieldByFieldAndUnknownIdsAre404()
    {
        var s = await PricingScenario.CreateAsync(server);
        var (_, v2) = await MigrationGiven.ProVersionTwoAsync(s);
        const string Path = "/plan-version-migrations";

        (await s.Api.PostAsync(Path, new { planId = s.Pro, planVersionIdTo = v2, targetPlanType = "plan" })).ShouldFail(HttpStatusCode.BadRequest, "strategy");
        (await s.Api.PostAsync(Path, new { planId = s.Pro, planVersionIdTo = v2, strategy = "soon", targetPlanType = "plan" })).ShouldFail(HttpStatusCode.BadRequest, "strategy");
        (await s.Api.PostAsync(Path, new { planId = s.Pro, planVersionIdTo = v2, strategy = "immediate", targetPlanType = "add_on" })).ShouldFail(HttpStatusCode.BadRequest, "target_plan_type");
        (await s.Api.PostAsync(Path, new { planId = "plan_missing", planVersionIdTo = v2, strategy = "immediate", targetPlanType = "plan" })).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await s.Api.PostAsync(Path, new { planId = s.Starter, planVersionIdTo = v2, strategy = "immediate", targetPlanType = "plan" })).ShouldFail(HttpStatusCode.BadRequest, "plan_version_id_to");
        (await s.Api.PostAsync(Path, new { planId = s.Pro, planVersionIdTo = v2, planVersionIdsFrom = new[] { v2 }, strategy = "immediate", targetPlanType = "plan" }))
            .ShouldFail(HttpStatusCode.BadRequest, "plan_version_ids_from[0]");
        (await s.Api.PostAsync(Path, new { planId = s.Pro, planVersionIdTo = v2, strategy = "immediate", targetPlanType = "plan", prorationBehavior = "sometimes" }))
            .ShouldFail(HttpStatusCode.BadRequest, "proration_behavior");
        (await s.Api.PostAsync(Path, new { planId = s.Pro, planVersionIdTo = v2, strategy = "immediate", targetPlanType = "plan", excludedCompanyIds = new[] { "comp_missing" } }))
            .ShouldFail(HttpStatusCode.BadRequest, "excluded_company_ids[0]");
        (await s.Api.SendRawAsync(HttpMethod.Post, Path, """{"plan_id":5}""")).ShouldFail(HttpStatusCode.BadRequest, "plan_id");
        (await s.Api.GetAsync($"{Path}/pvm_missing")).ShouldFail(HttpStatusCode.NotFound, "plan version migration not found");
        (await s.Api.PostAsync($"{Path}/pvm_missing/cancel", null)).ShouldFail(HttpStatusCode.NotFound, "plan version migration not found");
        (await s.Api.PostAsync($"{Path}/pvm_missing/retry", new { errorCodes = new[] { "unknown" } })).ShouldFail(HttpStatusCode.NotFound, "plan version migration not found");
        (await s.Api.PostAsync("/plan-version-company-migrations/pvcm_missing/retry", null)).ShouldFail(HttpStatusCode.NotFound, "plan version company migration not found");
        (await s.Api.GetAsync($"{Path}?status=later")).ShouldFail(HttpStatusCode.BadRequest, "status");
        var done = (await s.Api.PostAsync(Path, new { planId = s.Pro, planVersionIdTo = v2, strategy = "immediate", targetPlanType = "plan" })).ShouldBe(HttpStatusCode.OK).Id;
        await MigrationGiven.FinishedAsync(s.Api, done);
        (await s.Api.PostAsync($"{Path}/{done}/cancel", null)).ShouldFail(HttpStatusCode.UnprocessableEntity, "status");
        (await s.Api.PostAsync($"{Path}/{done}/retry", new { errorCodes = Array.Empty<string>() })).ShouldFail(HttpStatusCode.BadRequest, "error_codes");
        (await s.Api.PostAsync($"{Path}/{done}/retry", new { errorCodes = new[] { "bad_luck" } })).ShouldFail(HttpStatusCode.BadRequest, "error_codes[0]");
        var browser = server.Api((await s.Api.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("key").GetString());
        (await browser.GetAsync(Path)).ShouldBe(HttpStatusCode.Forbidden);
        (await browser.PostAsync($"{Path}/preview", new { planId = s.Pro, planVersionIdTo = v2, targetPlanType = "plan" })).ShouldBe(HttpStatusCode.Forbidden);
        (await browser.GetAsync("/plan-version-company-migrations")).ShouldBe(HttpStatusCode.Forbidden);
    }

    private static IEnumerable<string?> Keys(JsonElement features) => features.EnumerateArray().Select(f => f.GetProperty("feature_key").GetString());

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;

    private static int Int(JsonElement element, string property) => element.GetProperty(property).GetInt32();
}

/// <summary>On SQLite.</summary>
public sealed class PlanMigrationTestsOnSqlite(SqliteServer server) : PlanMigrationTests(server), IClassFixture<SqliteServer>;

/// <summary>On PostgreSQL.</summary>
public sealed class PlanMigrationTestsOnPostgres(PostgresServer server) : PlanMigrationTests(server), IClassFixture<PostgresServer>;
