using System.Net;
using Tollgate.Server.Companies;
using Tollgate.Server.Requests;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Finding;

/// <summary>
/// Finding companies (<see cref="CompanyDirectory"/>): every filter, sort and page boundary, the dashboard's counts, and
/// the rows following tracked usage, overrides, plan limits and time.
/// </summary>
public abstract class CompanyDirectoryTests(TollgateFactory server)
{
    [Fact]
    public async Task EachFilterFindsTheCompaniesStandingThatWay()
    {
        var w = await DirectoryWorld.CreateAsync(server);

        Assert.Equal(["acme", "fox"], await w.FindAsync(new() { OverLimit = true }));
        Assert.Equal(["bolt"], await w.FindAsync(new() { NearLimit = true }));
        Assert.Equal(["acme", "bolt", "fox"], await w.FindAsync(new() { NearLimit = true, OverLimit = true }));
        Assert.Equal(["bolt", "cargo"], await w.FindAsync(new() { NearLimit = true, NearLimitRatio = 0.5 }));
        Assert.Equal(["echo"], await w.FindAsync(new() { Trialing = true }));
        Assert.Equal(["delta"], await w.FindAsync(new() { HasOverrides = true }));
        Assert.Equal(["acme", "fox"], await w.FindAsync(new() { PlanId = w.S.Starter }));
        Assert.Equal(["bolt", "cargo", "echo", "hotel"], await w.FindAsync(new() { PlanId = w.S.Pro }));
        // Search matches ids too, and ids are random: acme's may hold "fo" as well.
        Assert.Equal(
            [.. new[] { "acme", "fox" }.Where(k => k == "fox" || w.Ids[k].Contains("fo", StringComparison.OrdinalIgnoreCase))],
            await w.FindAsync(new() { PlanId = w.S.Starter, Q = "FO" }));
        Assert.Empty(await w.FindAsync(new() { PlanId = w.S.Enterprise, OverLimit = true }));
    }

    [Fact]
    public async Task ThePlanFilterFindsAnAddOnsCompaniesAndItsLimitsCount()
    {
        var w = await DirectoryWorld.CreateAsync(server);
        var boost = await Given.PlanAsync(w.S.Api, "Boost", "add_on");
        await Given.EntitlementAsync(w.S.Api, new { planId = boost, featureId = w.S.ApiCalls, valueType = "numeric", valueNumeric = 5000, metricPeriod = "current_month" });

        (await w.S.Api.PutAsync($"/company-plans/{w.Ids["acme"]}", new { basePlanId = w.S.Starter, addOnIds = new[] { boost } })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(["acme"], await w.FindAsync(new() { PlanId = boost }));
        Assert.Equal(["acme", "fox"], await w.FindAsync(new() { PlanId = w.S.Starter }));
        // The add-on's 5,000 is the more generous grant of api-calls: acme (120 used) is no longer over.
        Assert.Equal(["fox"], await w.FindAsync(new() { OverLimit = true }));
    }

    [Fact]
    public async Task SearchMatchesNameIdAndKeyValuesCaseInsensitivelyAndTakesWildcardsLiterally()
    {
        var w = await DirectoryWorld.CreateAsync(server);

        Assert.Equal(["hotel"], await w.FindAsync(new() { Q = "hotel g" }));
        Assert.Equal(["hotel"], await w.FindAsync(new() { Q = "OPS@HOTEL" }));
        Assert.Equal(["hotel"], await w.FindAsync(new() { Q = "h-12" }));
        Assert.Equal(["bolt"], await w.FindAsync(new() { Q = w.Ids["bolt"] }));
        Assert.Empty(await w.FindAsync(new() { Q = "%" }));
        Assert.Empty(await w.FindAsync(new() { Q = "a_me" }));
        Assert.Equal(8, (await w.FindAsync(new() { Q = "  " })).Count);
    }

    [Fact]
    public async Task RowsCarryThePlanTrialOverridesAndWorstFeatureWithItsUsageAndLimit()
    {
        var w = await DirectoryWorld.CreateAsync(server);

        var rows = (await w.Directory.FindAsync(w.Scope, new() { PageSize = 100 }, CancellationToken.None)).Rows.ToDictionary(r => r.CompanyId);
        var acme = rows[w.Ids["acme"]];
        Assert.Equal(("acme", "id: acme", "Starter"), (acme.Name, acme.MainKey, acme.PlanName));
        Assert.Equal((w.S.ApiCalls, "api-calls", 120L, 100L, 1.2), (acme.WorstFeatureId, acme.WorstFeatureName, acme.WorstUsage, acme.WorstLimit, acme.WorstRatio));
        Assert.True(acme.IsOverLimit);
        var bolt = rows[w.Ids["bolt"]];
        Assert.Equal((w.S.Seats, 9L, 10L), (bolt.WorstFeatureId, bolt.WorstUsage, bolt.WorstLimit));
        Assert.False(bolt.IsOverLimit);
        var delta = rows[w.Ids["delta"]];
        Assert.Equal((1, 0.0, (string?)null, "Enterprise"), (delta.OverrideCount, delta.WorstRatio, delta.WorstFeatureId, delta.PlanName));
        var echo = rows[w.Ids["echo"]];
        Assert.Equal("Pro", echo.PlanName);
        Assert.Equal(TollgateFactory.Start.AddDays(14).UtcDateTime.Date, echo.TrialEndsAt?.UtcDateTime.Date);
        Assert.Null(rows[w.Ids["golf"]].PlanName);
        Assert.Equal("id: h-123", rows[w.Ids["hotel"]].MainKey);
    }

    [Fact]
    public async Task EverySortGoesBothWaysWithTheIdBreakingTies()
    {
        var w = await DirectoryWorld.CreateAsync(server);
        string[] byName = ["acme", "bolt", "cargo", "delta", "echo", "fox", "golf", "hotel"];
        string[] byCreation = ["acme", "bolt", "cargo", "delta", "echo", "fox", "golf", "hotel"];
        var zeroes = new[] { "delta", "echo", "golf", "hotel" }.OrderBy(k => w.Ids[k], StringComparer.Ordinal).ToArray();

        Assert.Equal(byName, await w.FindAsync(new() { Sort = CompanyDirectorySort.Name }));
        Assert.Equal(Enumerable.Reverse(byName), await w.FindAsync(new() { Sort = CompanyDirectorySort.Name, Descending = true }));
        Assert.Equal(byCreation, await w.FindAsync(new() { Sort = CompanyDirectorySort.Created }));
        Assert.Equal(Enumerable.Reverse(byCreation), await w.FindAsync(new() { Sort = CompanyDirectorySort.Created, Descending = true }));
        Assert.Equal([.. zeroes, "cargo", "bolt", "acme", "fox"], await w.FindAsync(new() { Sort = CompanyDirectorySort.UsageRatio }));
        Assert.Equal(["fox", "acme", "bolt", "cargo", .. Enumerable.Reverse(zeroes)], await w.FindAsync(new() { Sort = CompanyDirectorySort.UsageRatio, Descending = true }));
    }

    [Fact]
    public async Task PagesSplitTheMatchesWithoutGapsOrOverlapAndPastTheLastIsEmpty()
    {
        var w = await DirectoryWorld.CreateAsync(server);

        var pages = new List<CompanyDirectoryPage>();
        for (var page = 1; page <= 4; page++)
        {
            pages.Add(await w.Directory.FindAsync(w.Scope, new() { Page = page, PageSize = 3 }, CancellationToken.None));
        }

        Assert.Equal(["acme", "bolt", "cargo"], w.KeysOf(pages[0]));
        Assert.Equal(["delta", "echo", "fox"], w.KeysOf(pages[1]));
        Assert.Equal(["golf", "hotel"], w.KeysOf(pages[2]));
        Assert.Empty(pages[3].Rows);
        Assert.All(pages, p => Assert.Equal((8L, 3), (p.Total, p.PageCount)));
        var exact = await w.Directory.FindAsync(w.Scope, new() { Page = 2, PageSize = 4 }, CancellationToken.None);
        Assert.Equal(["echo", "fox", "golf", "hotel"], w.KeysOf(exact));
        Assert.Equal(2, exact.PageCount);
        var filtered = await w.Directory.FindAsync(w.Scope, new() { OverLimit = true, Page = 2, PageSize = 1 }, CancellationToken.None);
        Assert.Equal(["fox"], w.KeysOf(filtered));
        Assert.Equal(2, filtered.Total);
        var none = await w.Directory.FindAsync(w.Scope, new() { Q = "nobody" }, CancellationToken.None);
        Assert.Equal((0, 0L, 1), (none.Rows.Count, none.Total, none.PageCount));
    }

    [Fact]
    public async Task TrackedEventsPushACompanyOverItsLimitAndIntoTheCounts()
    {
        var w = await DirectoryWorld.CreateAsync(server);
        await Events.SendAsync(w.S.Api, Events.Track("api_call", "cargo", 450));
        Assert.Equal(["bolt", "cargo"], await w.EventuallyFindAsync(new() { NearLimit = true }, f => f.Contains("cargo")));

        await Events.SendAsync(w.S.Api, Events.Track("api_call", "cargo", 50));

        Assert.Equal(["acme", "cargo", "fox"], await w.EventuallyFindAsync(new() { OverLimit = true }, f => f.Contains("cargo")));
        var cargo = (await w.Directory.FindAsync(w.Scope, new() { Q = "cargo" }, CancellationToken.None)).Rows.Single();
        Assert.Equal((1000L, 1000L, 1.0), (cargo.WorstUsage, cargo.WorstLimit, cargo.WorstRatio));
        var counts = await w.Directory.CountAsync(w.Scope, CancellationToken.None);
        Assert.Equal(3, counts.OverLimit);
        Assert.Contains(counts.TopOverLimit, r => r.CompanyId == w.Ids["cargo"] && r.WorstFeatureName == "api-calls");
    }

    [Fact]
    public async Task CountsGiveTheTotalsPerPlanAndStandingAndTheShortLists()
    {
        var w = await DirectoryWorld.CreateAsync(server);

        var counts = await w.Directory.CountAsync(w.Scope, CancellationToken.None, listSize: 1);

        Assert.Equal((8L, 2L, 1L, 1L, 1L), (counts.Total, counts.OverLimit, counts.NearLimit, counts.Trialing, counts.WithOverrides));
        Assert.Equal([("Pro", 4L), ("Starter", 2L), ("Enterprise", 1L), ("No plan", 1L)], counts.Plans.Select(p => (p.PlanName, p.Companies)));
        Assert.Null(counts.Plans.Single(p => p.PlanName == "No plan").PlanId);
        Assert.Equal([w.Ids["fox"]], counts.TopOverLimit.Select(r => r.CompanyId));
        Assert.Equal([w.Ids["bolt"]], counts.TopNearLimit.Select(r => r.CompanyId));
        Assert.Equal([w.Ids["echo"]], counts.TrialsEndingSoon.Select(r => r.CompanyId));
        var wider = await w.Directory.CountAsync(w.Scope, CancellationToken.None, nearLimitRatio: 0.5);
        Assert.Equal(2, wider.NearLimit);
        Assert.Equal([w.Ids["fox"], w.Ids["acme"]], wider.TopOverLimit.Select(r => r.CompanyId));
    }

    [Fact]
    public async Task OverridesLimitChangesAndDeletionsMoveTheRows()
    {
        var w = await DirectoryWorld.CreateAsync(server);

        // An override raising acme's limit takes it out of "over"; it counts as an override.
        await Given.OverrideAsync(w.S.Api, new { companyId = w.Ids["acme"], featureId = w.S.ApiCalls, valueType = "numeric", valueNumeric = 1000, metricPeriod = "current_month" });
        Assert.Equal(["fox"], await w.FindAsync(new() { OverLimit = true }));
        Assert.Equal(["acme", "delta"], await w.FindAsync(new() { HasOverrides = true }));

        // Lowering Pro's seat limit (a catalog change) moves every Pro company it now binds.
        (await w.S.Api.PutAsync($"/plan-entitlements/{w.S.ProSeats}", new { valueType = "numeric", valueNumeric = 2 })).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["bolt", "cargo", "fox"], await w.FindAsync(new() { OverLimit = true }));

        (await w.S.Api.DeleteAsync($"/companies/{w.Ids["fox"]}")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(["bolt", "cargo"], await w.FindAsync(new() { OverLimit = true }));
        // The counts are tallies kept by the rows' triggers: they follow the updates and the deletion.
        var counts = await w.Directory.CountAsync(w.Scope, CancellationToken.None);
        Assert.Equal((7L, 2L, 2L), (counts.Total, counts.OverLimit, counts.WithOverrides));
        Assert.Equal(7, counts.Plans.Sum(p => p.Companies));
    }

    [Fact]
    public async Task AnOverrideLeavesTheDirectoryWhenItExpires()
    {
        var w = await DirectoryWorld.CreateAsync(server);
        var expires = server.Time.GetUtcNow().AddHours(1);
        await Given.OverrideAsync(w.S.Api, new { companyId = w.Ids["fox"], featureId = w.S.Seats, valueType = "numeric", valueNumeric = 50, expirationDate = expires });
        Assert.Equal(["acme"], await w.FindAsync(new() { OverLimit = true }));

        server.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(5));

        Assert.Equal(["acme", "fox"], await w.FindAsync(new() { OverLimit = true }));
        Assert.Equal(["delta"], await w.FindAsync(new() { HasOverrides = true }));
    }

    [Fact]
    public async Task CompaniesPerVersionCountAnAddOnsAndABasePlansHoldersAndFollowPlanChangesAndDeletions()
    {
        var w = await DirectoryWorld.CreateAsync(server);
        var boost = await Given.PlanAsync(w.S.Api, "Boost", "add_on");
        (await w.S.Api.PutAsync($"/company-plans/{w.Ids["acme"]}", new { basePlanId = w.S.Starter, addOnIds = new[] { boost } })).ShouldBe(HttpStatusCode.OK);
        (await w.S.Api.PutAsync($"/company-plans/{w.Ids["bolt"]}", new { basePlanId = w.S.Pro, addOnIds = new[] { boost } })).ShouldBe(HttpStatusCode.OK);

        var boostBefore = await w.Directory.CompaniesPerVersionAsync(w.Scope, boost, CancellationToken.None);
        var starterBefore = await w.Directory.CompaniesPerVersionAsync(w.Scope, w.S.Starter, CancellationToken.None);
        (await w.S.Api.PutAsync($"/company-plans/{w.Ids["bolt"]}", new { basePlanId = w.S.Pro })).ShouldBe(HttpStatusCode.OK);
        (await w.S.Api.DeleteAsync($"/companies/{w.Ids["fox"]}")).ShouldBe(HttpStatusCode.OK);
        var boostAfter = await w.Directory.CompaniesPerVersionAsync(w.Scope, boost, CancellationToken.None);
        var starterAfter = await w.Directory.CompaniesPerVersionAsync(w.Scope, w.S.Starter, CancellationToken.None);

        Assert.Equal(2, Assert.Single(boostBefore).Value);
        Assert.Equal(2, Assert.Single(starterBefore).Value);
        Assert.Equal(boostBefore.Keys, boostAfter.Keys);
        Assert.Equal(1, Assert.Single(boostAfter).Value);
        Assert.Equal(1, Assert.Single(starterAfter).Value);
        Assert.Equal(4, (await w.Directory.CompaniesPerVersionAsync(w.Scope, w.S.Pro, CancellationToken.None)).Values.Sum());
    }

    [Fact]
    public async Task BadQueriesAreRefusedNamingTheField()
    {
        var w = await DirectoryWorld.CreateAsync(server);

        await Refused("page", new() { Page = 0 });
        await Refused("page_size", new() { PageSize = 0 });
        await Refused("page_size", new() { PageSize = CompanyDirectoryQuery.MaxPageSize + 1 });
        await Refused("near_limit_ratio", new() { NearLimit = true, NearLimitRatio = 1 });
        await Refused("plan_id", new() { PlanId = "plan_missing" });
        var error = await Assert.ThrowsAsync<RequestException>(() => w.Directory.CountAsync(w.Scope, CancellationToken.None, nearLimitRatio: 0));
        Assert.StartsWith("near_limit_ratio:", error.Message, StringComparison.Ordinal);

        async Task Refused(string field, CompanyDirectoryQuery query)
        {
            var refused = await Assert.ThrowsAsync<RequestException>(() => w.Directory.FindAsync(w.Scope, query, CancellationToken.None));
            Assert.Equal(HttpStatusCode.BadRequest, (HttpStatusCode)refused.StatusCode);
            Assert.StartsWith(field + ":", refused.Message, StringComparison.Ordinal);
        }
    }
}

public sealed class CompanyDirectoryTestsOnSqlite(SqliteServer server) : CompanyDirectoryTests(server), IClassFixture<SqliteServer>;

public sealed class CompanyDirectoryTestsOnPostgres(PostgresServer server) : CompanyDirectoryTests(server), IClassFixture<PostgresServer>;
