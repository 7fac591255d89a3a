using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Companies;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Usage;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// The feature counts read migration 60's tallies (<see cref="FeatureHolderTallies"/>), kept by triggers in every
/// company, add-on link and override write's transaction. After random writes (companies created, moved between base
/// plans and add-on sets, deleted and created again; overrides given, taken away, changed, expiring and deleted; the
/// clock moved on), every count equals the count of every company by the list's SQL condition, the count before the
/// tallies (<see cref="FeatureHolders.CountByProbesAsync"/>), the endpoints' counts and each company's check (whose
/// value and entitlement come from one override of a feature, the last active one, as the lists' SQL takes it).
/// </summary>
public abstract class FeatureHolderTallyTests(TollgateFactory server)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task FeatureCountsEqualEveryCompanysCheckAfterRandomWrites(int seed)
    {
        var s = await PricingScenario.CreateAsync(server);
        var api = s.Api;
        var grants = await Given.PlanAsync(api, "SSO add-on", "add_on");
        await Given.EntitlementAsync(api, new { planId = grants, featureId = s.Sso, valueType = "boolean", valueBool = true });
        // An entitlement without access: it counts for /feature-companies, not for with_entitlement_for.
        var withholds = await Given.PlanAsync(api, "No-SSO add-on", "add_on");
        await Given.EntitlementAsync(api, new { planId = withholds, featureId = s.Sso, valueType = "boolean", valueBool = false });
        var other = await Given.PlanAsync(api, "Other add-on", "add_on");
        string?[] bases = [null, s.Starter, s.Pro, s.Enterprise];
        string[] addOns = [grants, withholds, other];

        var random = new Random(seed);
        var companies = new Dictionary<string, string>(StringComparer.Ordinal);
        var overrides = new List<string>();
        string[] PickAddOns() => [.. addOns.Where(_ => random.Next(3) == 0)];
        for (var step = 0; step < 90; step++)
        {
            var key = $"t{random.Next(10)}";
            var exists = companies.TryGetValue(key, out var company);
            switch (random.Next(10))
            {
                case 0 or 1:
                    // Created, or moved to a base plan and add-on set.
                    var id = (await api.PostAsync("/companies", new { keys = Given.Keys(key), name = key, basePlanId = bases[random.Next(bases.Length)], addOnIds = PickAddOns() }))
                        .ShouldBe(HttpStatusCode.OK).Id;
                    companies[key] = id;
                    break;
                case 2 when exists:
                    (await api.PutAsync($"/company-plans/{company}", new { basePlanId = bases[1 + random.Next(bases.Length - 1)], addOnIds = PickAddOns() })).ShouldBe(HttpStatusCode.OK);
                    break;
                case 3 or 4 when exists:
                    overrides.Add(await Given.OverrideAsync(api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = random.Next(2) == 0, expirationDate = Expiry(random) }));
                    break;
                case 5 when overrides.Count > 0:
                    var changed = overrides[random.Next(overrides.Count)];
                    if (random.Next(2) == 0)
                    {
                        await api.DeleteAsync($"/company-overrides/{changed}");
                        overrides.Remove(changed);
                    }
                    else
                    {
                        // Without an expiry the update takes it away; with one it moves it.
                        await api.PutAsync($"/company-overrides/{changed}", new { valueType = "boolean", valueBool = random.Next(2) == 0, expirationDate = Expiry(random) });
                    }

                    break;
                case 6 when exists:
                    // Its overrides stay stored: they hold nothing while the company is gone (or created again, a new id).
                    (await api.DeleteAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK);
                    companies.Remove(key);
                    break;
                case 7:
                    server.Time.Advance(TimeSpan.FromMinutes(20));
                    break;
                case 8:
                    // A user joins up to two more companies (a user's companies are added to).
                    string[] joined = [.. companies.Values.Where(_ => random.Next(3) == 0).Take(2)];
                    (await api.PostAsync("/users", new { keys = UserKeys(random), name = "user", companyIds = joined })).ShouldBe(HttpStatusCode.OK);
                    break;
                case 9:
                    // A user deleted (its links with it), or none where that user is not stored.
                    var deleted = await api.PostAsync("/users/delete", new { keys = UserKeys(random) });
                    Assert.True(deleted.Status is HttpStatusCode.OK or HttpStatusCode.NotFound, deleted.Status.ToString());
                    break;
            }

            if (step % 15 == 14)
            {
                await AssertCountsAsync(s, companies);
            }
        }
    }

    /// <summary>
    /// The counts follow the deciding override to the tick: when the last override expires the one before it decides
    /// (an earlier one that had not expired), and an override stops deciding at its expiry's exact instant, a
    /// fraction of a millisecond included.
    /// </summary>
    [Fact]
    public async Task CountsFollowTheDecidingOverrideAsLaterOnesExpireToTheTick()
    {
        // Every instant below is exact: the clock moves only when the test moves it.
        var autoAdvance = server.Time.AutoAdvanceAmount;
        server.Time.AutoAdvanceAmount = TimeSpan.Zero;
        try
        {
            await AssertCountsFollowTheDecidingOverrideAsync();
        }
        finally
        {
            server.Time.AutoAdvanceAmount = autoAdvance;
        }
    }

    private async Task AssertCountsFollowTheDecidingOverrideAsync()
    {
        var s = await PricingScenario.CreateAsync(server);
        var withAccessBefore = await CountAsync(s, $"/companies/count?with_entitlement_for={s.Sso}");
        var entitledBefore = await CountAsync(s, $"/feature-companies/count?feature_id={s.Sso}");
        var company = (await s.Api.PostAsync("/companies", new { keys = Given.Keys("expiring"), name = "expiring" })).ShouldBe(HttpStatusCode.OK).Id;
        var start = server.Time.GetUtcNow();
        var fraction = TimeSpan.FromTicks(1234);
        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = true, expirationDate = start.AddMinutes(50) });
        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = false, expirationDate = start.AddMinutes(20) + fraction });
        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = true, expirationDate = start.AddMinutes(10) });

        async Task AssertAsync(bool entitled, bool withAccess)
        {
            Assert.Equal(withAccessBefore + (withAccess ? 1 : 0), await CountAsync(s, $"/companies/count?with_entitlement_for={s.Sso}"));
            Assert.Equal(entitledBefore + (entitled ? 1 : 0), await CountAsync(s, $"/feature-companies/count?feature_id={s.Sso}"));
            await AssertCountsAsync(s, new Dictionary<string, string>(StringComparer.Ordinal) { ["expiring"] = company });
        }

        await AssertAsync(entitled: true, withAccess: true);
        server.Time.Advance(TimeSpan.FromMinutes(10));
        await AssertAsync(entitled: true, withAccess: false);
        server.Time.Advance(TimeSpan.FromMinutes(10));
        await AssertAsync(entitled: true, withAccess: false);
        server.Time.Advance(fraction - TimeSpan.FromTicks(1));
        await AssertAsync(entitled: true, withAccess: false);
        server.Time.Advance(TimeSpan.FromTicks(1));
        await AssertAsync(entitled: true, withAccess: true);
        server.Time.Advance(TimeSpan.FromMinutes(30) - fraction);
        await AssertAsync(entitled: false, withAccess: false);
    }

    [Fact]
    public async Task TheLastActiveOverrideOfAFeatureAloneDecidesTheCheck()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = (await s.Api.PostAsync("/companies", new { keys = Given.Keys("two-overrides"), name = "two-overrides", basePlanId = s.Starter }))
            .ShouldBe(HttpStatusCode.OK).Id;
        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = true });
        var later = await Given.OverrideAsync(s.Api, new
        {
            companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = false, expirationDate = server.Time.GetUtcNow().AddMinutes(10),
        });

        async Task AssertAccessAsync(bool expected)
        {
            var check = await s.CheckAsync("sso", "two-overrides");
            Assert.Equal(expected, check.GetProperty("value").GetBoolean());
            Assert.Equal(expected ? 1 : 0, (await s.Api.GetAsync($"/companies/count?with_entitlement_for={s.Sso}&q=two-overrides")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        }

        // The later override (false) decides while it is active; the earlier one (true) once the later has expired or gone.
        await AssertAccessAsync(false);
        server.Time.Advance(TimeSpan.FromMinutes(11));
        await AssertAccessAsync(true);
        var latest = await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Sso, valueType = "boolean", valueBool = false });
        await AssertAccessAsync(false);
        (await s.Api.DeleteAsync($"/company-overrides/{latest}")).ShouldBe(HttpStatusCode.OK);
        await AssertAccessAsync(true);
    }

    /// <summary>
    /// An override's expiry: none, past, on a later step of the clock (it moves by 20 minutes: the count is asked at the
    /// expiry's instant), or between steps with a fraction of a millisecond.
    /// </summary>
    private DateTimeOffset? Expiry(Random random) => random.Next(5) switch
    {
        0 => null,
        1 => server.Time.GetUtcNow().AddMinutes(-1),
        2 => server.Time.GetUtcNow().AddMinutes(20 * (1 + random.Next(3))),
        _ => server.Time.GetUtcNow().AddMinutes(30).AddTicks(random.Next(10_000)),
    };

    private static Dictionary<string, string> UserKeys(Random random) => new(StringComparer.Ordinal) { ["email"] = $"u{random.Next(6)}@users.test" };

    private static async Task<long> CountAsync(PricingScenario s, string path) =>
        (await s.Api.GetAsync(path)).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64();

    /// <summary>
    /// Every count of both holdings against every company's check, the list's SQL condition over every company, and the
    /// endpoints' counts; <c>/feature-users/count</c> against the user links of every company the check entitles and the
    /// count before the tallies.
    /// </summary>
    private async Task AssertCountsAsync(PricingScenario s, IReadOnlyDictionary<string, string> companies)
    {
        var environmentId = s.Api.EnvironmentId!;
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var checkedEntitled = 0;
        var checkedWithAccess = 0;
        var checkedMembers = 0L;
        foreach (var (key, id) in companies)
        {
            var check = await s.CheckAsync("sso", key);
            var entitled = check.GetProperty("entitlement").ValueKind == JsonValueKind.Object;
            checkedEntitled += entitled ? 1 : 0;
            checkedWithAccess += check.GetProperty("value").GetBoolean() ? 1 : 0;
            checkedMembers += entitled
                ? await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM resource_links WHERE environment_id = @environmentId AND kind = 'user' AND linked_id = @id", new { environmentId, id })
                : 0;
        }

        var entitledCount = await CountsAsync(s, FeatureHolding.Entitlement);
        var withAccess = await CountsAsync(s, FeatureHolding.Access);
        Assert.Equal(checkedEntitled, entitledCount);
        Assert.Equal(checkedWithAccess, withAccess);
        Assert.Equal(entitledCount, await CountAsync(s, $"/feature-companies/count?feature_id={s.Sso}"));
        Assert.Equal(withAccess, await CountAsync(s, $"/companies/count?with_entitlement_for={s.Sso}"));

        var scope = new RequestScope(environmentId, null, ApiKeyKind.Secret);
        var members = server.Services.GetRequiredService<FeatureCompanies>();
        Assert.Equal(checkedMembers, await members.MemberCountByProbesAsync(scope, s.Sso, CancellationToken.None));
        Assert.Equal(checkedMembers, await members.MemberCountAsync(scope, s.Sso, CancellationToken.None));
        Assert.Equal(checkedMembers, await CountAsync(s, $"/feature-users/count?feature_id={s.Sso}"));
    }

    /// <summary>The tallied count, after asserting it equals the companies the list's SQL condition keeps and the count before the tallies.</summary>
    private async Task<long> CountsAsync(PricingScenario s, FeatureHolding holding)
    {
        var environmentId = s.Api.EnvironmentId!;
        var store = server.Services.GetRequiredService<ResourceStore>();
        var catalog = await server.Services.GetRequiredService<RuntimeRegistry>().For(environmentId).CatalogAsync(CancellationToken.None);
        var holders = await FeatureHolders.ForAsync(store, catalog, environmentId, s.Sso, holding, server.Time.GetUtcNow(), CancellationToken.None);
        Assert.NotNull(holders);
        var holds = holders.Holds("c");
        var parameters = new DynamicParameters(holds.Parameters);
        parameters.Add("environmentId", environmentId);
        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        var everyCompany = (await connection.QueryAsync<string>(
            $"SELECT c.id FROM resources c WHERE c.environment_id = @environmentId AND {holds.Sql}", parameters)).ToList();
        var tallied = await holders.CountAsync(CancellationToken.None);
        Assert.Equal(everyCompany.Count, await holders.CountByProbesAsync(CancellationToken.None));
        Assert.Equal(everyCompany.Count, tallied);
        return tallied;
    }
}

public sealed class FeatureHolderTallyTestsOnSqlite(SqliteServer server) : FeatureHolderTallyTests(server), IClassFixture<SqliteServer>;

public sealed class FeatureHolderTallyTestsOnPostgres(PostgresServer server) : FeatureHolderTallyTests(server), IClassFixture<PostgresServer>;
