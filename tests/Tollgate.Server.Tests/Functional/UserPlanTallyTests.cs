using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Functional.Lifecycle;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// User links per base plan and the users of several companies (migration 59) are kept by triggers in every user and
/// company write's transaction: after users linked to one company or several, a company moved to another plan, a
/// company deleted (its users' links stay, to no stored company), a user given another company and a user deleted, the
/// tallies equal the links counted per plan and <c>/users/count?plan_id=</c>, answered from them, counts each user once,
/// as many as the page lists.
/// </summary>
public abstract class UserPlanTallyTests(TollgateFactory server)
{
    [Fact]
    public async Task UserCountsByPlanFollowEveryUserAndCompanyWrite()
    {
        var w = await LifecycleWorld.CreateAsync(server);
        var api = w.Api;
        var pro = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            pro.Add(await Given.CompanyAsync(api, $"pro-{i}", w.Pro));
        }

        var free = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            free.Add(await Given.CompanyAsync(api, $"free-{i}", w.Free));
        }

        var ann = await UserAsync(api, "ann", pro[0]);
        var bob = await UserAsync(api, "bob", pro[1], pro[2]);
        var cat = await UserAsync(api, "cat", pro[3], free[0]);
        var dan = await UserAsync(api, "dan", free[1]);
        var eve = await UserAsync(api, "eve");
        Assert.Empty(await MismatchesAsync(api.EnvironmentId));
        await AssertCountsAsync(api, w.Pro, [ann, bob, cat]);
        await AssertCountsAsync(api, w.Free, [cat, dan]);
        await AssertCountsAsync(api, $"{w.Pro}&plan_ids={w.Free}", [ann, bob, cat, dan], many: true);

        // bob's pro-1 moves to Free, dan joins free-2 as well, pro-3 is deleted (cat's link to it stays), ann is deleted.
        (await api.PostAsync("/companies", new { keys = Given.Keys("pro-1"), basePlanId = w.Free })).ShouldBe(HttpStatusCode.OK);
        await UserAsync(api, "dan", free[2]);
        (await api.DeleteAsync($"/companies/{pro[3]}")).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/users/delete", new { keys = new Dictionary<string, string> { ["email"] = "ann@users.test" } })).ShouldBe(HttpStatusCode.OK);

        Assert.Empty(await MismatchesAsync(api.EnvironmentId));
        await AssertCountsAsync(api, w.Pro, [bob]);
        await AssertCountsAsync(api, w.Free, [bob, cat, dan]);
        await AssertCountsAsync(api, $"{w.Pro}&plan_ids={w.Free}", [bob, cat, dan], many: true);

        // eve joins a company created after her; the company moves on to Pro.
        var late = await Given.CompanyAsync(api, "late", w.Free);
        await UserAsync(api, "eve", late);
        (await api.PostAsync("/companies", new { keys = Given.Keys("late"), basePlanId = w.Pro })).ShouldBe(HttpStatusCode.OK);
        Assert.Empty(await MismatchesAsync(api.EnvironmentId));
        await AssertCountsAsync(api, w.Pro, [bob, eve]);
        await AssertCountsAsync(api, w.Free, [bob, cat, dan]);
    }

    private static async Task AssertCountsAsync(ApiClient api, string plans, string[] expected, bool many = false)
    {
        var filter = many ? $"plan_ids={plans}" : $"plan_id={plans}";
        var listed = (await api.GetAsync($"/users?{filter}&limit=100")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(u => u.GetProperty("id").GetString());
        Assert.Equal(expected.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Length, (await api.GetAsync($"/users/count?{filter}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
    }

    private static async Task<string> UserAsync(ApiClient api, string name, params string[] companyIds) =>
        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = $"{name}@users.test" }, name, companyIds }))
            .ShouldBe(HttpStatusCode.OK).Id;

    /// <summary>
    /// Every plan whose tally differs from the user links to stored companies counted on it, and every user listed as
    /// shared or not against its links, in one statement (one snapshot).
    /// </summary>
    private async Task<List<string>> MismatchesAsync(string? environmentId)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<string>(
            """
            SELECT 'plan ' || plan_id || ' ' || CAST(SUM(n) AS TEXT) FROM (
                SELECT plan_id, user_links AS n FROM user_plan_tallies WHERE environment_id = @environmentId
                UNION ALL SELECT COALESCE(c.base_plan_id, ''), -1 FROM resource_links l
                    JOIN resources c ON c.environment_id = l.environment_id AND c.id = l.linked_id AND c.kind = 'company'
                WHERE l.environment_id = @environmentId AND l.kind = 'user') d
            GROUP BY plan_id HAVING SUM(n) <> 0
            UNION ALL
            SELECT 'shared ' || user_id FROM shared_users WHERE environment_id = @environmentId
                AND user_id NOT IN (SELECT id FROM resource_links WHERE environment_id = @environmentId AND kind = 'user' GROUP BY id HAVING COUNT(*) >= 2)
            UNION ALL
            SELECT 'unshared ' || id FROM resource_links WHERE environment_id = @environmentId AND kind = 'user'
                AND id NOT IN (SELECT user_id FROM shared_users WHERE environment_id = @environmentId)
                GROUP BY id HAVING COUNT(*) >= 2
            """,
            new { environmentId });
        return [.. rows];
    }
}

public sealed class UserPlanTallyTestsOnSqlite(SqliteServer server) : UserPlanTallyTests(server), IClassFixture<SqliteServer>;

public sealed class UserPlanTallyTestsOnPostgres(PostgresServer server) : UserPlanTallyTests(server), IClassFixture<PostgresServer>;
