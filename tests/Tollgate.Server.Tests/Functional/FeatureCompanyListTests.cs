using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// <c>/feature-companies</c>, <c>/feature-users</c> and their counts on a known data set: the entitled companies are
/// chosen in SQL and decided by the check, pages put together give the whole list, and the counts agree with it.
/// </summary>
public abstract class FeatureCompanyListTests(TollgateFactory server)
{
    [Fact]
    public async Task ABooleanFeaturesCompaniesAreListedByIdAndPagesMakeTheWholeList()
    {
        var s = await PricingScenario.CreateAsync(server);
        var pro = new[] { await s.CompanyAsync("fc-pro-1", s.Pro, seats: 1), await s.CompanyAsync("fc-pro-2", s.Pro, seats: 1), await s.CompanyAsync("fc-pro-3", s.Pro, seats: 1) };
        var enterprise = await s.CompanyAsync("fc-ent-1", s.Enterprise, seats: 1);
        await s.CompanyAsync("fc-starter-1", s.Starter, seats: 1);
        await Given.CompanyAsync(s.Api, "fc-none-1");
        var overridden = await Given.CompanyAsync(s.Api, "fc-override-1");
        await Given.OverrideAsync(s.Api, new { companyId = overridden, featureId = s.Sso, valueType = "boolean", valueBool = true });
        // An override that takes the feature away is still an entitlement (without access): the company is listed.
        var heldBack = await s.CompanyAsync("fc-starter-held", s.Starter, seats: 1);
        await Given.OverrideAsync(s.Api, new { companyId = heldBack, featureId = s.Sso, valueType = "boolean", valueBool = false });
        string[] expected = [.. pro.Append(enterprise).Append(overridden).Append(heldBack).Order(StringComparer.Ordinal)];

        var pages = new List<string>();
        for (var offset = 0; offset < 10; offset += 2)
        {
            pages.AddRange(CompanyIds(await ListAsync(s.Api, $"/feature-companies?feature_id={s.Sso}&limit=2&offset={offset}")));
        }

        Assert.Equal(expected, pages);
        Assert.Equal(6, await CountAsync(s.Api, $"/feature-companies/count?feature_id={s.Sso}"));
        Assert.Equal(1, await CountAsync(s.Api, $"/feature-companies/count?feature_id={s.Sso}&q=held"));
        Assert.Equal([.. pro.Order(StringComparer.Ordinal)], CompanyIds(await ListAsync(s.Api, $"/feature-companies?feature_id={s.Sso}&q=PRO")));
        Assert.Equal(3, await CountAsync(s.Api, $"/feature-companies/count?feature_id={s.Sso}&q=pro"));
    }

    /// <summary>
    /// A page reads its candidates a batch at a time, the first of the page's size: pages of one walk past candidates
    /// SQL keeps and the check rejects (an expired override on a plan without the feature) and give the whole list, as
    /// does the company list filtered by the entitlement, which rejects an override that takes the feature away.
    /// </summary>
    [Fact]
    public async Task PagesOfOneWalkPastTheCandidatesTheCheckRejects()
    {
        var s = await PricingScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var entitled = new List<string>();
        var inListOrder = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var expired = await s.CompanyAsync($"fw-expired-{i}", s.Starter, seats: 1);
            await Given.OverrideAsync(s.Api, new { companyId = expired, featureId = s.Sso, valueType = "boolean", valueBool = true, expirationDate = now.AddMinutes(-1) });
            var onPro = await s.CompanyAsync($"fw-pro-{i}", s.Pro, seats: 1);
            entitled.Add(onPro);
            inListOrder.Add(onPro);
            var heldBack = await s.CompanyAsync($"fw-held-{i}", s.Pro, seats: 1);
            await Given.OverrideAsync(s.Api, new { companyId = heldBack, featureId = s.Sso, valueType = "boolean", valueBool = false });
            entitled.Add(heldBack);
        }

        var pages = new List<string>();
        var filtered = new List<string>();
        for (var offset = 0; offset < 7; offset++)
        {
            pages.AddRange(CompanyIds(await ListAsync(s.Api, $"/feature-companies?feature_id={s.Sso}&limit=1&offset={offset}")));
            filtered.AddRange((await ListAsync(s.Api, $"/companies?with_entitlement_for={s.Sso}&limit=1&offset={offset}")).EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
        }

        Assert.Equal([.. entitled.Order(StringComparer.Ordinal)], pages);
        Assert.Equal(inListOrder, filtered);
        Assert.Equal(6, await CountAsync(s.Api, $"/feature-companies/count?feature_id={s.Sso}"));
        Assert.Equal(3, await CountAsync(s.Api, $"/companies/count?with_entitlement_for={s.Sso}"));
    }

    [Fact]
    public async Task TheCountLeavesExpiredOverridesToThePlansAndSkipsOverridesOfDeletedCompanies()
    {
        var s = await PricingScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var pro = await s.CompanyAsync("fx-pro", s.Pro, seats: 1);
        // An expired override that took the feature away: the plan grants it again.
        var proExpired = await s.CompanyAsync("fx-pro-expired", s.Pro, seats: 1);
        await Given.OverrideAsync(s.Api, new { companyId = proExpired, featureId = s.Sso, valueType = "boolean", valueBool = false, expirationDate = now.AddMinutes(-1) });
        // An expired override that gave the feature: the plan does not.
        var starterExpired = await s.CompanyAsync("fx-starter-expired", s.Starter, seats: 1);
        await Given.OverrideAsync(s.Api, new { companyId = starterExpired, featureId = s.Sso, valueType = "boolean", valueBool = true, expirationDate = now.AddMinutes(-1) });
        var starterActive = await s.CompanyAsync("fx-starter-active", s.Starter, seats: 1);
        await Given.OverrideAsync(s.Api, new { companyId = starterActive, featureId = s.Sso, valueType = "boolean", valueBool = true, expirationDate = now.AddHours(1) });
        // A deleted company's override stays stored; the company is gone from every answer.
        var deleted = await s.CompanyAsync("fx-deleted", s.Starter, seats: 1);
        await Given.OverrideAsync(s.Api, new { companyId = deleted, featureId = s.Sso, valueType = "boolean", valueBool = true });
        (await s.Api.DeleteAsync($"/companies/{deleted}")).ShouldBe(HttpStatusCode.OK);
        await s.CompanyAsync("fx-starter", s.Starter, seats: 1);
        string[] expected = [.. new[] { pro, proExpired, starterActive }.Order(StringComparer.Ordinal)];

        Assert.Equal(expected, CompanyIds(await ListAsync(s.Api, $"/feature-companies?feature_id={s.Sso}&limit=100")));
        Assert.Equal(3, await CountAsync(s.Api, $"/feature-companies/count?feature_id={s.Sso}"));
        Assert.Equal(1, await CountAsync(s.Api, $"/feature-companies/count?feature_id={s.Sso}&q=expired"));
        Assert.Equal(1, await CountAsync(s.Api, $"/feature-companies/count?feature_id={s.Sso}&q=starter"));
    }

    /// <summary>
    /// SQL decides who holds the feature here (every version of Pro, Enterprise and the add-on grants it): an add-on
    /// grants it with or without a base plan, an override is an entitlement whatever its value, the last active override
    /// decides access, and an expired one leaves it to the plans. Lists and counts agree with the check of each company.
    /// </summary>
    [Fact]
    public async Task AddOnsAndOverridesAreDecidedInSqlAsTheCheckDecidesThem()
    {
        var s = await PricingScenario.CreateAsync(server);
        var now = server.Time.GetUtcNow();
        var addOn = await Given.PlanAsync(s.Api, "SSO add-on", "add_on");
        await Given.EntitlementAsync(s.Api, new { planId = addOn, featureId = s.Sso, valueType = "boolean", valueBool = true });
        async Task<string> WithAddOnAsync(string key, string? basePlanId) =>
            (await s.Api.PostAsync("/companies", new { keys = Given.Keys(key), name = key, basePlanId, addOnIds = new[] { addOn } })).ShouldBe(HttpStatusCode.OK).Id;
        var starterWithAddOn = await WithAddOnAsync("fs-starter-add-on", s.Starter);
        var addOnOnly = await WithAddOnAsync("fs-add-on-only", null);
        var proWithAddOn = await WithAddOnAsync("fs-pro-add-on", s.Pro);
        // Given, then taken away by a later override: both are active, the last decides.
        var laterOff = await s.CompanyAsync("fs-starter-later-off", s.Starter, seats: 1);
        await Given.OverrideAsync(s.Api, new { companyId = laterOff, featureId = s.Sso, valueType = "boolean", valueBool = true });
        await Given.OverrideAsync(s.Api, new { companyId = laterOff, featureId = s.Sso, valueType = "boolean", valueBool = false });
        // Taken away until a minute ago: the add-on grants it again.
        var addOnExpiredOff = await WithAddOnAsync("fs-add-on-expired-off", null);
        await Given.OverrideAsync(s.Api, new { companyId = addOnExpiredOff, featureId = s.Sso, valueType = "boolean", valueBool = false, expirationDate = now.AddMinutes(-1) });
        // Taken away for another hour.
        var proOff = await s.CompanyAsync("fs-pro-off", s.Pro, seats: 1);
        await Given.OverrideAsync(s.Api, new { companyId = proOff, featureId = s.Sso, valueType = "boolean", valueBool = false, expirationDate = now.AddHours(1) });
        var starter = await s.CompanyAsync("fs-starter", s.Starter, seats: 1);
        string[] entitled = [.. new[] { starterWithAddOn, addOnOnly, proWithAddOn, laterOff, addOnExpiredOff, proOff }.Order(StringComparer.Ordinal)];
        string[] withAccess = [starterWithAddOn, addOnOnly, proWithAddOn, addOnExpiredOff];

        var pages = new List<string>();
        var filtered = new List<string>();
        for (var offset = 0; offset < 8; offset += 2)
        {
            pages.AddRange(CompanyIds(await ListAsync(s.Api, $"/feature-companies?feature_id={s.Sso}&limit=2&offset={offset}")));
            filtered.AddRange((await ListAsync(s.Api, $"/companies?with_entitlement_for={s.Sso}&limit=2&offset={offset}")).EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
        }

        Assert.Equal(entitled, pages);
        Assert.Equal(withAccess, filtered);
        Assert.Equal(6, await CountAsync(s.Api, $"/feature-companies/count?feature_id={s.Sso}"));
        Assert.Equal(4, await CountAsync(s.Api, $"/companies/count?with_entitlement_for={s.Sso}"));
        Assert.Equal(3, await CountAsync(s.Api, $"/feature-companies/count?feature_id={s.Sso}&q=off"));
        Assert.Equal(1, await CountAsync(s.Api, $"/companies/count?with_entitlement_for={s.Sso}&q=off"));
        foreach (var (key, id) in new[] { ("fs-starter-add-on", starterWithAddOn), ("fs-add-on-only", addOnOnly), ("fs-pro-add-on", proWithAddOn), ("fs-starter-later-off", laterOff), ("fs-add-on-expired-off", addOnExpiredOff), ("fs-pro-off", proOff), ("fs-starter", starter) })
        {
            var check = await s.CheckAsync("sso", key);
            Assert.Equal(entitled.Contains(id), check.GetProperty("entitlement").ValueKind == JsonValueKind.Object);
            // Two active overrides of one feature: the entitlement the check reports is the last one's (as the filter
            // decides), but its value comes from the first override rule that matches. A disagreement of the check's
            // own, older than these lists, reported; not asserted here.
            if (id != laterOff)
            {
                Assert.Equal(withAccess.Contains(id), check.GetProperty("value").GetBoolean());
            }
        }

        // /feature-users/count from SQL (FeatureCompanies.MemberCountAsync): one row per user link of an entitled
        // company, so a user of two of them is two rows and a user of a company that is not entitled none; the same as
        // the rows the list pages through.
        async Task UserOfAsync(string email, params string[] companyIds) =>
            (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = email }, name = email, companyIds })).ShouldBe(HttpStatusCode.OK);
        await UserOfAsync("two@fs.test", starterWithAddOn, addOnOnly);
        await UserOfAsync("plain@fs.test", starter);
        await UserOfAsync("off@fs.test", proOff);
        await UserOfAsync("mixed@fs.test", addOnExpiredOff, starter);
        var rows = (await ListAsync(s.Api, $"/feature-users?feature_id={s.Sso}&limit=100")).GetArrayLength();
        Assert.Equal(4, rows);
        Assert.Equal(rows, await CountAsync(s.Api, $"/feature-users/count?feature_id={s.Sso}"));
        Assert.Equal(2, await CountAsync(s.Api, $"/feature-users/count?feature_id={s.Sso}&q=two@"));
    }

    [Fact]
    public async Task AMeteredFeaturesCompaniesAreListedMostUsedFirstThenByIdAcrossPages()
    {
        var s = await PricingScenario.CreateAsync(server);
        var heavyPro = await s.CompanyAsync("fm-pro-heavy", s.Pro, seats: 1);
        var lightPro = await s.CompanyAsync("fm-pro-light", s.Pro, seats: 1);
        var idlePro = await s.CompanyAsync("fm-pro-idle", s.Pro, seats: 1);
        var heavyStarter = await s.CompanyAsync("fm-starter-heavy", s.Starter, seats: 1);
        var enterprise = await s.CompanyAsync("fm-ent", s.Enterprise, seats: 1);
        await Given.CompanyAsync(s.Api, "fm-none");
        await Events.SendAsync(
            s.Api, Events.Track("api_call", "fm-pro-heavy", 50), Events.Track("api_call", "fm-starter-heavy", 50), Events.Track("api_call", "fm-pro-light", 5), Events.Track("api_call", "fm-ent", 7));
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "fm-pro-light"), c => c.GetProperty("feature_usage").GetInt64() == 5);
        // Equal usage is ordered by id; the unlimited plan has no usage (null), ordered as 0.
        string[] expected = [.. new[] { heavyPro, heavyStarter }.Order(StringComparer.Ordinal), lightPro, .. new[] { idlePro, enterprise }.Order(StringComparer.Ordinal)];

        var pages = new List<JsonElement>();
        for (var offset = 0; offset < 6; offset += 2)
        {
            pages.AddRange((await ListAsync(s.Api, $"/feature-companies?feature_id={s.ApiCalls}&limit=2&offset={offset}")).EnumerateArray());
        }

        Assert.Equal(expected, pages.Select(r => r.GetProperty("company").GetProperty("id").GetString()!));
        Assert.Equal([50L, 50L, 5L, 0L, 0L], pages.Select(r => r.GetProperty("usage") is { ValueKind: JsonValueKind.Number } usage ? usage.GetInt64() : 0));
        Assert.Equal(5, await CountAsync(s.Api, $"/feature-companies/count?feature_id={s.ApiCalls}"));
        Assert.Equal(2, await CountAsync(s.Api, $"/feature-companies/count?feature_id={s.ApiCalls}&q=heavy"));
    }

    [Fact]
    public async Task FeatureUsersPageThroughTheMembersOfEntitledCompaniesInCompanyOrder()
    {
        var s = await PricingScenario.CreateAsync(server);
        var heavy = await s.CompanyAsync("fu-heavy", s.Starter, seats: 1);
        var light = await s.CompanyAsync("fu-light", s.Pro, seats: 1);
        await Given.CompanyAsync(s.Api, "fu-none");
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal) { [heavy] = [], [light] = [] };
        foreach (var (company, id) in new (string Key, string? Id)[] { ("fu-heavy", heavy), ("fu-light", light), ("fu-none", null) })
        {
            for (var i = 0; i < 3; i++)
            {
                var user = (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = $"u{i}@{company}.test" }, name = $"User {i}", company = Given.Keys(company) }))
                    .ShouldBe(HttpStatusCode.OK).Id;
                if (id is not null)
                {
                    members[id].Add(user);
                }
            }
        }

        await Events.SendAsync(s.Api, Events.Track("api_call", "fu-heavy", 9), Events.Track("api_call", "fu-light", 1));
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "fu-light"), c => c.GetProperty("feature_usage").GetInt64() == 1);
        string[] expected = [.. members[heavy].Order(StringComparer.Ordinal), .. members[light].Order(StringComparer.Ordinal)];

        var pages = new List<JsonElement>();
        for (var offset = 0; offset < 8; offset += 4)
        {
            pages.AddRange((await ListAsync(s.Api, $"/feature-users?feature_id={s.ApiCalls}&limit=4&offset={offset}")).EnumerateArray());
        }

        Assert.Equal(expected, pages.Select(r => r.GetProperty("user").GetProperty("id").GetString()!));
        Assert.Equal([heavy, heavy, heavy, light, light, light], pages.Select(r => r.GetProperty("company_id").GetString()!));
        Assert.Equal(6, await CountAsync(s.Api, $"/feature-users/count?feature_id={s.ApiCalls}"));
        Assert.Equal(2, await CountAsync(s.Api, $"/feature-users/count?feature_id={s.ApiCalls}&q=u1@"));
        (await s.Api.GetAsync("/feature-users?feature_id=feat_missing")).ShouldFail(HttpStatusCode.NotFound, "feature not found");
    }

    private static async Task<JsonElement> ListAsync(ApiClient api, string path) => (await api.GetAsync(path)).ShouldBe(HttpStatusCode.OK).Data;

    private static async Task<long> CountAsync(ApiClient api, string path) => (await ListAsync(api, path)).GetProperty("count").GetInt64();

    private static List<string> CompanyIds(JsonElement rows) => [.. rows.EnumerateArray().Select(r => r.GetProperty("company").GetProperty("id").GetString()!)];
}

public sealed class FeatureCompanyListTestsOnSqlite(SqliteServer server) : FeatureCompanyListTests(server), IClassFixture<SqliteServer>;

public sealed class FeatureCompanyListTestsOnPostgres(PostgresServer server) : FeatureCompanyListTests(server), IClassFixture<PostgresServer>;
