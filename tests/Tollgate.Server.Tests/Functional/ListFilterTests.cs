using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Filters of <c>GET /companies</c>, <c>GET /users</c> and their counts (Schematic's <c>ListCompaniesParams</c> and
/// <c>ListUsersParams</c>): paging applies after filtering, counts agree with lists, <c>params</c> echoes the filters.
/// </summary>
public abstract class ListFilterTests(TollgateFactory server)
{
    [Fact]
    public async Task QFindsCompaniesByAnyCaseOfTheirNameOrOfAKeyValue()
    {
        var api = await server.NewEnvironmentAsync();
        var acme = (await api.PostAsync("/companies", new { keys = Given.Keys("c-1"), name = "Acme Corp" })).ShouldBe(HttpStatusCode.OK).Id;
        var hooli = (await api.PostAsync("/companies", new { keys = new Dictionary<string, string> { ["id"] = "c-2", ["domain"] = "ACME.example" }, name = "Hooli" }))
            .ShouldBe(HttpStatusCode.OK).Id;
        await Given.CompanyAsync(api, "globex");

        var found = (await api.GetAsync("/companies?q=acme")).ShouldBe(HttpStatusCode.OK);
        var counted = (await api.GetAsync("/companies/count?q=acme")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal([acme, hooli], Ids(found));
        Assert.Equal("acme", found.Params.GetProperty("q").GetString());
        Assert.Equal(100, found.Params.GetProperty("limit").GetInt32());
        Assert.Equal(2, counted.Data.GetProperty("count").GetInt64());
        Assert.Equal("acme", counted.Params.GetProperty("q").GetString());
        Assert.Empty(Ids(await api.GetAsync("/companies?q=initech")));
    }

    [Fact]
    public async Task IdsAreReadRepeatedOrWithBracketsAndPagingComesAfterTheFilter()
    {
        var api = await server.NewEnvironmentAsync();
        var ids = new List<string>();
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            ids.Add(await Given.CompanyAsync(api, key));
        }

        var repeated = (await api.GetAsync($"/companies?ids={ids[1]}&ids={ids[3]}")).ShouldBe(HttpStatusCode.OK);
        var bracketed = (await api.GetAsync($"/companies?ids[]={ids[0]}&ids[]={ids[2]}&ids[]={ids[3]}&limit=1&offset=1")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal([ids[1], ids[3]], Ids(repeated));
        Assert.Equal([ids[1], ids[3]], repeated.Params.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal([ids[2]], Ids(bracketed));
        Assert.Equal(3, (await api.GetAsync($"/companies/count?ids[0]={ids[0]}&ids[1]={ids[2]}&ids[2]={ids[3]}")).Data.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task CompaniesAreFilteredByTheirPlansAndAddOns()
    {
        var api = await server.NewEnvironmentAsync();
        var pro = await Given.PlanAsync(api, "Pro");
        var starter = await Given.PlanAsync(api, "Starter");
        var storage = await Given.PlanAsync(api, "Storage", "add_on");
        var onPro = await Given.CompanyAsync(api, "on-pro", pro);
        var onStarter = (await api.PostAsync("/companies", new { keys = Given.Keys("on-starter"), basePlanId = starter, addOnIds = new[] { storage } })).ShouldBe(HttpStatusCode.OK).Id;
        var addOnOnly = (await api.PostAsync("/companies", new { keys = Given.Keys("add-on-only"), addOnIds = new[] { storage } })).ShouldBe(HttpStatusCode.OK).Id;
        var none = await Given.CompanyAsync(api, "none");

        Assert.Equal([onPro], Ids(await api.GetAsync($"/companies?plan_id={pro}")));
        Assert.Equal([onStarter, addOnOnly], Ids(await api.GetAsync($"/companies?plan_id={storage}")));
        Assert.Equal([onPro, onStarter], Ids(await api.GetAsync($"/companies?plan_ids[]={pro}&plan_ids[]={starter}")));
        Assert.Equal([onPro, onStarter], Ids(await api.GetAsync($"/companies?plan_ids={pro}&plan_ids={starter}")));
        Assert.Equal([addOnOnly, none], Ids(await api.GetAsync("/companies?without_plan=true")));
        Assert.Equal(4, Ids(await api.GetAsync("/companies?without_plan=false")).Count);
        var withoutPlan = (await api.GetAsync("/companies/count?without_plan=true")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(2, withoutPlan.Data.GetProperty("count").GetInt64());
        Assert.True(withoutPlan.Params.GetProperty("without_plan").GetBoolean());
        Assert.Equal([addOnOnly], Ids(await api.GetAsync($"/companies?plan_id={storage}&without_plan=true")));
    }

    [Fact]
    public async Task PlanVersionIdFindsTheCompaniesStillOnThatVersion()
    {
        var api = await server.NewEnvironmentAsync();
        var pro = await Given.PlanAsync(api, "Pro");
        var v1 = (await api.GetAsync($"/plans/{pro}/versions")).ShouldBe(HttpStatusCode.OK).Data[0].GetProperty("id").GetString();
        var early = await Given.CompanyAsync(api, "early", pro);
        var v2 = (await api.PostAsync($"/plans/{pro}/versions", null)).ShouldBe(HttpStatusCode.Created).Id;
        (await api.PutAsync($"/plans/version/{v2}/publish", new { migrationStrategy = "leave" })).ShouldBe(HttpStatusCode.OK);
        var late = await Given.CompanyAsync(api, "late", pro);

        Assert.Equal([early], Ids(await api.GetAsync($"/companies?plan_version_id={v1}")));
        Assert.Equal([late], Ids(await api.GetAsync($"/companies?plan_version_id={v2}")));
        Assert.Equal(v2, (await api.GetAsync($"/companies/count?plan_version_id={v2}")).Params.GetProperty("plan_version_id").GetString());
        Assert.Equal([early, late], Ids(await api.GetAsync($"/companies?plan_version_ids={v1}&plan_version_ids={v2}")));
        Assert.Equal([late], Ids(await api.GetAsync($"/companies?plan_version_ids[]={v2}")));
    }

    [Fact]
    public async Task WithEntitlementForFindsCompaniesWhosePlansOrActiveOverridesGrantTheFeature()
    {
        var s = await PricingScenario.CreateAsync(server);
        var onPro = await s.CompanyAsync("on-pro", s.Pro, seats: 1);
        await s.CompanyAsync("on-starter", s.Starter, seats: 1);
        var revoked = await s.CompanyAsync("revoked", s.Pro, seats: 1);
        var granted = await Given.CompanyAsync(s.Api, "granted");
        var expiring = await Given.CompanyAsync(s.Api, "expiring");
        await Given.OverrideAsync(s.Api, new { companyId = revoked, featureId = s.Sso, valueType = "boolean", valueBool = false });
        await Given.OverrideAsync(s.Api, new { companyId = granted, featureId = s.Sso, valueType = "boolean", valueBool = true });
        await Given.OverrideAsync(s.Api, new
        {
            companyId = expiring, featureId = s.Sso, valueType = "boolean", valueBool = true, expirationDate = server.Time.GetUtcNow().AddMinutes(5),
        });

        var before = Ids(await s.Api.GetAsync($"/companies?with_entitlement_for={s.Sso}"));
        server.Time.Advance(TimeSpan.FromMinutes(10));
        var after = Ids(await s.Api.GetAsync($"/companies?with_entitlement_for={s.Sso}"));

        Assert.Equal([onPro, granted, expiring], before);
        Assert.Equal([onPro, granted], after);
        Assert.Equal(2, (await s.Api.GetAsync($"/companies/count?with_entitlement_for={s.Sso}")).Data.GetProperty("count").GetInt64());
        Assert.Equal([onPro], Ids(await s.Api.GetAsync($"/companies?with_entitlement_for={s.Sso}&plan_id={s.Pro}&limit=1")));
    }

    [Fact]
    public async Task UsersAreFilteredByCompanyTextAndTheirCompaniesPlans()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 1);
        await Given.CompanyAsync(s.Api, "free");
        var ana = await UserAsync(s.Api, "ana@acme.test", "Ana", "acme");
        var bob = await UserAsync(s.Api, "bob@free.test", "Bob", "free");
        var cy = await UserAsync(s.Api, "cy@nowhere.test", "Cy", null);

        Assert.Equal([ana], Ids(await s.Api.GetAsync($"/users?company_id={acme}")));
        Assert.Equal([ana], Ids(await s.Api.GetAsync($"/users?plan_id={s.Pro}")));
        Assert.Equal([ana], Ids(await s.Api.GetAsync($"/users?with_entitlement_for={s.Sso}")));
        Assert.Equal([bob, cy], Ids(await s.Api.GetAsync("/users?without_plan=true")));
        Assert.Equal([bob], Ids(await s.Api.GetAsync("/users?q=FREE.TEST")));
        Assert.Equal([cy], Ids(await s.Api.GetAsync("/users?q=cy")));
        Assert.Equal([ana, cy], Ids(await s.Api.GetAsync($"/users?ids={ana}&ids={cy}")));
        var counted = (await s.Api.GetAsync($"/users/count?company_id={acme}&q=ana")).ShouldBe(HttpStatusCode.OK);
        Assert.Equal(1, counted.Data.GetProperty("count").GetInt64());
        Assert.Equal(acme, counted.Params.GetProperty("company_id").GetString());
        Assert.Equal("ana", counted.Params.GetProperty("q").GetString());
    }

    /// <summary>
    /// A user count with one plan filter is read from the users' links to companies (<c>EntitySql.UserCountThroughCompanies</c>):
    /// each user once however many of its companies pass, a company deleted since passing none, and always as many as
    /// the page lists.
    /// </summary>
    [Fact]
    public async Task UserCountsThroughCompaniesCountEachUserOnceAsTheirPagesList()
    {
        var s = await PricingScenario.CreateAsync(server);
        var acme = await s.CompanyAsync("acme", s.Pro, seats: 1);
        var beta = await s.CompanyAsync("beta", s.Pro, seats: 1);
        var big = await s.CompanyAsync("big", s.Enterprise, seats: 1);
        var gone = await s.CompanyAsync("gone", s.Pro, seats: 1);
        var free = await Given.CompanyAsync(s.Api, "free");
        var both = (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "both@acme.test" }, name = "Both", companyIds = new[] { acme, beta } }))
            .ShouldBe(HttpStatusCode.OK).Id;
        var proAndEnterprise = (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "pe@big.test" }, name = "Pe", companyIds = new[] { beta, big } }))
            .ShouldBe(HttpStatusCode.OK).Id;
        var ana = await UserAsync(s.Api, "ana@acme.test", "Ana", "acme");
        var ghost = await UserAsync(s.Api, "ghost@gone.test", "Ghost", "gone");
        var fay = await UserAsync(s.Api, "fay@free.test", "Fay", "free");
        await UserAsync(s.Api, "cy@nowhere.test", "Cy", null);
        (await s.Api.DeleteAsync($"/companies/{gone}")).ShouldBe(HttpStatusCode.OK);
        await Given.OverrideAsync(s.Api, new { companyId = free, featureId = s.Sso, valueType = "boolean", valueBool = true });

        foreach (var (filter, expected) in new (string, string[])[]
        {
            ($"plan_id={s.Pro}", [both, proAndEnterprise, ana]),
            ($"plan_id={s.Enterprise}", [proAndEnterprise]),
            ($"plan_ids={s.Pro}&plan_ids={s.Enterprise}", [both, proAndEnterprise, ana]),
            ($"with_entitlement_for={s.Sso}", [both, proAndEnterprise, ana, fay]),
        })
        {
            Assert.Equal(expected.Order(StringComparer.Ordinal), Ids(await s.Api.GetAsync($"/users?{filter}")).Order(StringComparer.Ordinal));
            Assert.Equal(expected.Length, (await s.Api.GetAsync($"/users/count?{filter}")).Data.GetProperty("count").GetInt64());
        }

        Assert.Contains(ghost, Ids(await s.Api.GetAsync("/users?limit=100")));
    }

    [Fact]
    public async Task PlanFiltersPageAndCountTogetherForCompaniesAndForUsersThroughTheirAddOns()
    {
        var api = await server.NewEnvironmentAsync();
        var pro = await Given.PlanAsync(api, "Pro");
        var storage = await Given.PlanAsync(api, "Storage", "add_on");
        var onPro = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            onPro.Add(await Given.CompanyAsync(api, $"pro-{i}", pro));
        }

        var withStorage = (await api.PostAsync("/companies", new { keys = Given.Keys("storage"), addOnIds = new[] { storage } })).ShouldBe(HttpStatusCode.OK).Id;
        var stored = await UserAsync(api, "sam@storage.test", "Sam", "storage");
        var pro3 = await UserAsync(api, "pat@pro.test", "Pat", "pro-3");
        await UserAsync(api, "nobody@none.test", "Nobody", null);

        Assert.Equal([onPro[2], onPro[3]], Ids(await api.GetAsync($"/companies?plan_id={pro}&limit=2&offset=2")));
        Assert.Equal(5, (await api.GetAsync($"/companies/count?plan_id={pro}")).Data.GetProperty("count").GetInt64());
        Assert.Equal([onPro[4], withStorage], Ids(await api.GetAsync($"/companies?plan_ids={pro}&plan_ids={storage}&offset=4")));
        Assert.Equal(6, (await api.GetAsync($"/companies/count?plan_ids={pro}&plan_ids={storage}")).Data.GetProperty("count").GetInt64());
        Assert.Equal([stored], Ids(await api.GetAsync($"/users?plan_id={storage}")));
        Assert.Equal([pro3], Ids(await api.GetAsync($"/users?plan_id={pro}&q=PAT")));
        Assert.Equal(2, (await api.GetAsync($"/users/count?without_plan=true")).Data.GetProperty("count").GetInt64());
        Assert.Equal(0, (await api.GetAsync($"/users/count?plan_id={pro}&without_plan=true")).Data.GetProperty("count").GetInt64());
    }

    /// <summary>
    /// A page's ids are chosen in list order before their documents are read (migration 51): pages of an add-on and of
    /// companies without a plan (none, or one deleted since) come in creation order, with no row twice or left out,
    /// among companies the filters pass over.
    /// </summary>
    [Fact]
    public async Task AddOnAndWithoutPlanPagesWalkTheListOrderAcrossDeletedPlans()
    {
        var api = await server.NewEnvironmentAsync();
        var pro = await Given.PlanAsync(api, "Pro");
        var legacy = await Given.PlanAsync(api, "Legacy");
        var storage = await Given.PlanAsync(api, "Storage", "add_on");
        var withStorage = new List<string?>();
        var withoutPlan = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            await Given.CompanyAsync(api, $"pro-{i}", pro);
            withStorage.Add((await api.PostAsync("/companies", new { keys = Given.Keys($"storage-{i}"), basePlanId = pro, addOnIds = new[] { storage } })).ShouldBe(HttpStatusCode.OK).Id);
            withoutPlan.Add(await Given.CompanyAsync(api, $"legacy-{i}", legacy));
            withoutPlan.Add(await Given.CompanyAsync(api, $"none-{i}"));
        }

        var walked = new List<string?>();
        for (var offset = 0; offset < 6; offset += 3)
        {
            walked.AddRange(Ids(await api.GetAsync($"/companies?plan_id={storage}&limit=3&offset={offset}")));
        }

        Assert.Equal(withStorage, walked);
        Assert.Equal(withoutPlan.Where((_, i) => i % 2 == 1), Ids(await api.GetAsync("/companies?without_plan=true")));
        Assert.Equal([withoutPlan[3], withoutPlan[5]], Ids(await api.GetAsync("/companies?without_plan=true&limit=2&offset=1")));

        (await api.DeleteAsync($"/plans/{legacy}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(withoutPlan, Ids(await api.GetAsync("/companies?without_plan=true")));
        Assert.Equal(withoutPlan.Skip(3).Take(3), Ids(await api.GetAsync("/companies?without_plan=true&limit=3&offset=3")));
        Assert.Equal(8, (await api.GetAsync("/companies/count?without_plan=true")).Data.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task EntitlementFiltersPageAfterTheCheckAndCountTheSame()
    {
        var s = await PricingScenario.CreateAsync(server);
        var first = await s.CompanyAsync("first", s.Pro, seats: 1);
        var revoked = await s.CompanyAsync("revoked", s.Pro, seats: 1);
        var second = await s.CompanyAsync("second", s.Pro, seats: 1);
        var third = await s.CompanyAsync("third", s.Pro, seats: 1);
        await Given.OverrideAsync(s.Api, new { companyId = revoked, featureId = s.Sso, valueType = "boolean", valueBool = false });
        var user = await UserAsync(s.Api, "rae@revoked.test", "Rae", "revoked");
        await UserAsync(s.Api, "tom@third.test", "Tom", "third");

        Assert.Equal([second, third], Ids(await s.Api.GetAsync($"/companies?with_entitlement_for={s.Sso}&offset=1")));
        Assert.Equal([first], Ids(await s.Api.GetAsync($"/companies?with_entitlement_for={s.Sso}&limit=1")));
        Assert.Equal(3, (await s.Api.GetAsync($"/companies/count?with_entitlement_for={s.Sso}")).Data.GetProperty("count").GetInt64());
        Assert.Equal(1, (await s.Api.GetAsync($"/users/count?with_entitlement_for={s.Sso}")).Data.GetProperty("count").GetInt64());
        Assert.DoesNotContain(user, Ids(await s.Api.GetAsync($"/users?with_entitlement_for={s.Sso}")));
    }

    [Fact]
    public async Task QTakesLikeWildcardsLiterally()
    {
        var api = await server.NewEnvironmentAsync();
        var percent = (await api.PostAsync("/companies", new { keys = Given.Keys("p-1"), name = "100% Acme" })).ShouldBe(HttpStatusCode.OK).Id;
        await api.PostAsync("/companies", new { keys = Given.Keys("p-2"), name = "Abc" });

        Assert.Equal([percent], Ids(await api.GetAsync("/companies?q=%25")));
        Assert.Empty(Ids(await api.GetAsync("/companies?q=a_c")));
        Assert.Equal(1, (await api.GetAsync("/companies/count?q=0%25%20a")).Data.GetProperty("count").GetInt64());
    }

    [Theory]
    [InlineData("/companies?without_plan=maybe", "without_plan")]
    [InlineData("/companies/count?without_plan=1", "without_plan")]
    [InlineData("/companies?plan_id=plan_missing", "plan_id")]
    [InlineData("/companies?plan_id=a&plan_id=b", "plan_id")]
    [InlineData("/companies/count?plan_ids[]=plan_missing", "plan_ids[0]")]
    [InlineData("/companies?plan_version_id=plvr_missing", "plan_version_id")]
    [InlineData("/companies/count?plan_version_ids=plvr_missing", "plan_version_ids[0]")]
    [InlineData("/companies?with_entitlement_for=feat_missing", "with_entitlement_for")]
    [InlineData("/companies?ids=", "ids")]
    [InlineData("/companies?q=a&limit=0", "limit")]
    [InlineData("/users?company_id=comp_missing", "company_id")]
    [InlineData("/users/count?plan_id=plan_missing", "plan_id")]
    [InlineData("/users?without_plan=yes", "without_plan")]
    public async Task BadFilterValuesAreAnswered400NamingTheField(string path, string field)
    {
        var api = await server.NewEnvironmentAsync();

        (await api.GetAsync(path)).ShouldFail(HttpStatusCode.BadRequest, field);
    }

    private static List<string?> Ids(ApiResponse response) =>
        [.. response.ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Select(e => e.GetProperty("id").GetString())];

    private static async Task<string> UserAsync(ApiClient api, string email, string name, string? company) =>
        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = email }, name, company = company is null ? null : Given.Keys(company) }))
            .ShouldBe(HttpStatusCode.OK).Id;
}

public sealed class ListFilterTestsOnSqlite(SqliteServer server) : ListFilterTests(server), IClassFixture<SqliteServer>;

public sealed class ListFilterTestsOnPostgres(PostgresServer server) : ListFilterTests(server), IClassFixture<PostgresServer>;
