using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// A publishable key is public, so what it may do through <c>identify</c> and <c>track</c> is what anyone may do: each
/// abuse of issue 10 (keys and names overwritten, <c>stripe_customer_id</c> moved, companies created, huge quantities
/// billed) is refused event by event with its reason, and what the environment's policy allows still works.
/// </summary>
public abstract class PublishableKeyTests(TollgateFactory server)
{
    [Fact]
    public async Task TheDefaultPolicyAllowsTheLeastAndOnlyASecretKeyReadsOrReplacesIt()
    {
        var api = await server.NewEnvironmentAsync();
        var browser = await PublishableAsync(api);

        var defaults = (await api.GetAsync(PolicyPath)).ShouldBe(HttpStatusCode.OK).Data;
        (await browser.GetAsync(PolicyPath)).ShouldFail(HttpStatusCode.Forbidden, "publishable");
        (await browser.PutAsync(PolicyPath, new { createCompanies = true })).ShouldFail(HttpStatusCode.Forbidden, "publishable");
        (await api.PutAsync(PolicyPath, new { maxQuantity = 0 })).ShouldFail(HttpStatusCode.BadRequest, "max_quantity");
        (await api.PutAsync(PolicyPath, new { maxQuantity = 1_000_000_000_001 })).ShouldFail(HttpStatusCode.BadRequest, "max_quantity");
        (await api.PutAsync(PolicyPath, new { companyTraits = new[] { "nickname", " " } })).ShouldFail(HttpStatusCode.BadRequest, "company_traits[1]");
        (await api.PutAsync(PolicyPath, new { userTraits = Enumerable.Range(0, 201).Select(i => $"t{i}") })).ShouldFail(HttpStatusCode.BadRequest, "user_traits");
        var replaced = (await api.PutAsync(PolicyPath, new { createCompanies = true, companyTraits = new[] { "tier", "nickname", "tier" } })).ShouldBe(HttpStatusCode.OK).Data;
        var read = (await api.GetAsync(PolicyPath)).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(
            """{"create_companies":false,"create_users":false,"company_traits":[],"user_traits":[],"usage_reaches_billing":false,"max_quantity":1000}""",
            defaults.GetRawText());
        Assert.Equal(
            """{"create_companies":true,"create_users":false,"company_traits":["nickname","tier"],"user_traits":[],"usage_reaches_billing":false,"max_quantity":1000}""",
            read.GetRawText());
        Assert.Equal(read.GetRawText(), replaced.GetRawText());
        var audit = (await api.GetAsync("/audit-log")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("resource_type").GetString() == "publishable_policy");
    }

    [Fact]
    public async Task AnIdentifyWithAPublishableKeyNeverChangesKeysNamesOrReservedKeysWhateverThePolicy()
    {
        var api = await server.NewEnvironmentAsync();
        (await api.PostAsync("/companies", new { keys = new Dictionary<string, string> { ["id"] = "acme", ["stripe_customer_id"] = "cus_real" }, name = "Acme" }))
            .ShouldBe(HttpStatusCode.OK);
        // The most a policy allows: none of it reaches keys, names or reserved keys.
        (await api.PutAsync(PolicyPath, new { createCompanies = true, createUsers = true, companyTraits = new[] { "nickname" }, usageReachesBilling = true }))
            .ShouldBe(HttpStatusCode.OK);
        var browser = await PublishableAsync(api);

        var errors = await RejectionsAsync(
            browser,
            IdentifyCompany(new() { ["id"] = "acme", ["stripe_customer_id"] = "cus_attacker" }, name: "Acme"),
            IdentifyCompany(new() { ["id"] = "acme" }, name: "Pwned Inc"),
            IdentifyCompany(new() { ["id"] = "acme", ["domain"] = "evil.test" }),
            IdentifyCompany(new() { ["stripe_customer_id"] = "cus_real" }, traits: new() { ["nickname"] = "x" }),
            IdentifyCompany(new() { ["id"] = "newco", ["stripe_customer_id"] = "cus_attacker" }),
            IdentifyCompany(new() { ["id"] = "acme" }, name: "Acme", traits: new() { ["nickname"] = "ok" }));

        Assert.Equal(
            [
                "body.company.keys.stripe_customer_id: reserved for the Stripe connector; a publishable key may not set it",
                "body.company.name: a publishable key may not rename an existing company",
                "body.company.keys.domain: a publishable key may not add or change keys of an existing company",
                "body.company.keys.stripe_customer_id: reserved for the Stripe connector; a publishable key may not set it",
                "body.company.keys.stripe_customer_id: reserved for the Stripe connector; a publishable key may not set it",
            ],
            errors);
        var acme = (await api.GetAsync("/companies/lookup?keys[id]=acme")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.Equal("Acme", acme.GetProperty("name").GetString());
        Assert.Equal(
            ["id=acme", "stripe_customer_id=cus_real"],
            [.. acme.GetProperty("keys").EnumerateArray().Select(k => $"{k.GetProperty("key").GetString()}={k.GetProperty("value").GetString()}").Order(StringComparer.Ordinal)]);
        Assert.Equal("ok", TraitsOf(acme)["nickname"]);
        (await api.GetAsync("/companies/lookup?keys[stripe_customer_id]=cus_attacker")).ShouldBe(HttpStatusCode.NotFound);
        (await api.GetAsync("/companies/lookup?keys[id]=newco")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task APublishableKeyCreatesCompaniesAndUsersOnlyWhereThePolicyAllows()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "acme");
        await Given.CompanyAsync(api, "globex");
        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "bob@acme.test" }, company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK);
        var browser = await PublishableAsync(api);
        object[] attempt =
        [
            Events.Track("api_call", "ghost", 1),
            IdentifyCompany(new() { ["id"] = "ghost-2" }),
            IdentifyUser(new() { ["email"] = "eve@ghost.test" }),
            IdentifyUser(new() { ["email"] = "bob@acme.test" }, company: Given.Keys("acme")),
            IdentifyUser(new() { ["email"] = "bob@acme.test" }, company: Given.Keys("globex")),
        ];

        var refused = await RejectionsAsync(browser, attempt);
        var companiesBefore = await CountAsync(api, "/companies/count");
        (await api.PutAsync(PolicyPath, new { createCompanies = true, createUsers = true })).ShouldBe(HttpStatusCode.OK);
        var allowed = await RejectionsAsync(browser, attempt);

        Assert.Equal(
            [
                "body.company: names no company, and this environment's publishable keys may not create one (publishable policy create_companies)",
                "body.company.keys: names no company, and this environment's publishable keys may not create one (publishable policy create_companies)",
                "body.keys: names no user, and this environment's publishable keys may not create one (publishable policy create_users)",
                "body.company: a publishable key may not add an existing user to another company",
            ],
            refused);
        Assert.Equal(2, companiesBefore);
        Assert.Equal(["body.company: a publishable key may not add an existing user to another company"], allowed);
        Assert.Equal(4, await CountAsync(api, "/companies/count"));
        (await api.GetAsync("/users/lookup?keys[email]=eve@ghost.test")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task APublishableKeySetsOnlyTheTraitsThePolicyAllowLists()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.CompanyAsync(api, "acme", traits: new() { ["seats"] = 3, ["tier"] = "gold" });
        (await api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "bob@acme.test" }, company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK);
        var browser = await PublishableAsync(api);

        var byDefault = await RejectionsAsync(
            browser,
            IdentifyCompany(new() { ["id"] = "acme" }, traits: new() { ["seats"] = 3 }),
            IdentifyCompany(new() { ["id"] = "acme" }, traits: new() { ["seats"] = 1000 }),
            IdentifyCompany(new() { ["id"] = "acme" }, traits: new() { ["tier"] = null }),
            IdentifyCompany(new() { ["id"] = "acme" }, traits: new() { ["nickname"] = "ace" }));
        (await api.PutAsync(PolicyPath, new { companyTraits = new[] { "nickname" }, userTraits = new[] { "theme" } })).ShouldBe(HttpStatusCode.OK);
        var allowListed = await RejectionsAsync(
            browser,
            IdentifyCompany(new() { ["id"] = "acme" }, traits: new() { ["nickname"] = "ace" }),
            IdentifyCompany(new() { ["id"] = "acme" }, traits: new() { ["seats"] = 1000 }),
            IdentifyUser(new() { ["email"] = "bob@acme.test" }, traits: new() { ["theme"] = "dark" }),
            IdentifyUser(new() { ["email"] = "bob@acme.test" }, traits: new() { ["admin"] = true }));

        Assert.Equal(
            [
                "body.company.traits.seats: not in this environment's publishable allow-list (publishable policy company_traits)",
                "body.company.traits.tier: not in this environment's publishable allow-list (publishable policy company_traits)",
                "body.company.traits.nickname: not in this environment's publishable allow-list (publishable policy company_traits)",
            ],
            byDefault);
        Assert.Equal(
            [
                "body.company.traits.seats: not in this environment's publishable allow-list (publishable policy company_traits)",
                "body.traits.admin: not in this environment's publishable allow-list (publishable policy user_traits)",
            ],
            allowListed);
        var traits = TraitsOf((await api.GetAsync("/companies/lookup?keys[id]=acme")).ShouldBe(HttpStatusCode.OK).Data);
        Assert.Equal(("3", "gold", "ace"), (traits["seats"], traits["tier"], traits["nickname"]));
        Assert.Equal("dark", TraitsOf((await api.GetAsync("/users/lookup?keys[email]=bob@acme.test")).ShouldBe(HttpStatusCode.OK).Data)["theme"]);
    }

    [Fact]
    public async Task APublishableKeysUsageCountsButReachesTheMeterOutboxOnlyWhereTheEnvironmentOptsInUnderItsCap()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("acme", s.Pro, seats: 1);
        var browser = await PublishableAsync(s.Api);

        var byDefault = await RejectionsAsync(
            browser, Events.Track("api_call", "acme", 1_000_000_000_000), Events.Track("api_call", "acme", 1001), Events.Track("api_call", "acme", 5));
        await Events.SendAsync(s.Api, Events.Track("api_call", "acme", 7));
        var outboxBefore = await OutboxQuantityAsync(s.Api.EnvironmentId!);
        (await s.Api.PutAsync(PolicyPath, new { usageReachesBilling = true, maxQuantity = 50 })).ShouldBe(HttpStatusCode.OK);
        var optedIn = await RejectionsAsync(browser, Events.Track("api_call", "acme", 51), Events.Track("api_call", "acme", 20));

        Assert.Equal(
            [
                "body.quantity: at most 1000 per event with a publishable key (publishable policy max_quantity)",
                "body.quantity: at most 1000 per event with a publishable key (publishable policy max_quantity)",
            ],
            byDefault);
        Assert.Equal(["body.quantity: at most 50 per event with a publishable key (publishable policy max_quantity)"], optedIn);
        Assert.Equal(7, outboxBefore);
        Assert.Equal(27, await OutboxQuantityAsync(s.Api.EnvironmentId!));
        // Usage counts for metrics and limits whatever reaches billing: 5 + 7 + 20.
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "acme"), c => c.GetProperty("feature_usage").GetInt64() == 32);
    }

    [Fact]
    public async Task APublishableKeysTracksBurnCreditsOnlyWhereTheirUsageReachesBilling()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(100);
        var browser = await PublishableAsync(s.Api);

        await Events.SendAsync(browser, Events.Track("ai_generation", CreditScenario.Company, 3));
        var byDefault = await s.RemainingAsync();
        (await s.Api.PutAsync(PolicyPath, new { usageReachesBilling = true })).ShouldBe(HttpStatusCode.OK);
        await Events.SendAsync(browser, Events.Track("ai_generation", CreditScenario.Company, 3));

        Assert.Equal(100, byDefault);
        Assert.Equal(100 - (3 * CreditScenario.Rate), await s.RemainingAsync());
    }

    [Fact]
    public async Task ATracksLeaseMustBeALeaseOfItsCompanyAndOfACreditTypeItBurns()
    {
        var s = await CreditScenario.CreateAsync(server);
        await s.GrantAsync(100);
        var globex = await Given.CompanyAsync(s.Api, "globex", s.PlanId);
        (await s.Api.PostAsync("/billing/credits/grants/company", new { companyId = globex, creditId = s.CreditId, quantity = 100, reason = "purchased" })).ShouldBe(HttpStatusCode.Created);
        var other = (await s.Api.PostAsync("/billing/credits", new { name = "Other", description = "Another credit type", currency = "usd" })).ShouldBe(HttpStatusCode.Created).Id;
        (await s.Api.PostAsync("/billing/credits/grants/company", new { companyId = s.CompanyId, creditId = other, quantity = 10, reason = "purchased" })).ShouldBe(HttpStatusCode.Created);
        var globexLease = await LeaseAsync(s.Api, globex, s.CreditId);
        var otherLease = await LeaseAsync(s.Api, s.CompanyId, other);
        var acmeLease = await LeaseAsync(s.Api, s.CompanyId, s.CreditId);

        var errors = await RejectionsAsync(
            s.Api,
            TrackOnLease(globexLease),
            TrackOnLease(otherLease),
            TrackOnLease("crls_missing"),
            TrackOnLease(acmeLease));

        Assert.Equal(
            [
                "body.lease_id: is a lease of another company than body.company names",
                "body.lease_id: holds another credit type than this event burns",
                "body.lease_id: names no credit lease",
            ],
            errors);
        Assert.Equal(0, await TrackedOnLeaseAsync(s.Api, globexLease));
        Assert.Equal(0, await TrackedOnLeaseAsync(s.Api, otherLease));
        Assert.Equal(3 * CreditScenario.Rate, await TrackedOnLeaseAsync(s.Api, acmeLease));
    }

    [Fact]
    public async Task ACheckContextOrAnEventNamesAtMostTwentyKeys()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.BooleanFeatureAsync(api, "sso");
        var twenty = ManyKeys(20);
        var tooMany = ManyKeys(21);

        (await api.PostAsync("/flags/sso/check", new { company = twenty })).ShouldBe(HttpStatusCode.OK);
        (await api.PostAsync("/flags/sso/check", new { company = tooMany })).ShouldFail(HttpStatusCode.BadRequest, "company: at most 20 keys");
        (await api.PostAsync("/flags/sso/check", new { user = tooMany })).ShouldFail(HttpStatusCode.BadRequest, "user: at most 20 keys");
        (await api.PostAsync("/flags/check", new { company = tooMany })).ShouldFail(HttpStatusCode.BadRequest, "company: at most 20 keys");
        (await api.PostAsync("/flags/check-bulk", new { contexts = new object[] { new { company = twenty }, new { user = tooMany } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "contexts[1].user: at most 20 keys");
        (await api.PostAsync("/flags/sso/check-and-reserve", new { company = tooMany })).ShouldFail(HttpStatusCode.BadRequest, "company: at most 20 keys");
        (await api.PostAsync("/flags/sso/check-and-track", new { company = tooMany, quantity = 1 })).ShouldFail(HttpStatusCode.BadRequest, "company: at most 20 keys");
        var errors = await RejectionsAsync(
            api,
            IdentifyCompany(tooMany),
            IdentifyUser(tooMany),
            new Dictionary<string, object?> { ["type"] = "track", ["body"] = new { @event = "api_call", company = tooMany } },
            new Dictionary<string, object?> { ["type"] = "track", ["body"] = new { @event = "api_call", company = Given.Keys("acme"), user = tooMany } });
        // Keys added by one upsert after another still stop at twenty.
        (await api.PostAsync("/companies", new { keys = ManyKeys(15) })).ShouldBe(HttpStatusCode.OK);
        var grown = new Dictionary<string, string>(ManyKeys(1)) { ["more-1"] = "a", ["more-2"] = "b", ["more-3"] = "c", ["more-4"] = "d", ["more-5"] = "e", ["more-6"] = "f" };
        (await api.PostAsync("/companies", new { keys = grown })).ShouldFail(HttpStatusCode.BadRequest, "keys: a company holds at most 20 keys; this would give it 21");

        Assert.Equal(
            [
                "body.company.keys: at most 20 keys",
                "body.keys: at most 20 keys",
                "body.company: at most 20 keys",
                "body.user: at most 20 keys",
            ],
            errors);
    }

    [Fact]
    public async Task EventsCreateTraitDefinitionsOnlyUpToTheCapWhileKnownTraitsStillUpdate()
    {
        var api = await server.NewEnvironmentAsync();
        var toFill = 500 - await CountAsync(api, "/trait-definitions/count");
        var fill = Enumerable.Range(0, toFill).Chunk(200).Select((names, i) => IdentifyCompany(new() { ["id"] = $"filler-{i}" }, traits: names.ToDictionary(n => $"t{n}", n => (object?)n))).ToArray();
        await Events.SendAsync(api, fill);
        Assert.Equal(500, await CountAsync(api, "/trait-definitions/count"));

        var errors = await RejectionsAsync(
            api,
            IdentifyCompany(new() { ["id"] = "filler-0" }, traits: new() { ["t5"] = 42 }),
            IdentifyCompany(new() { ["id"] = "newcomer" }, traits: new() { ["t5"] = 1, ["brand_new"] = 1 }),
            IdentifyUser(new() { ["email"] = "ann@x.test" }, traits: new() { ["user_new"] = "x" }));
        (await api.PostAsync("/trait-definitions", new { name = "declared", entityType = "company", comparableType = "int" })).ShouldBe(HttpStatusCode.Created);

        Assert.Equal(
            [
                "body.company.traits.brand_new: a new trait, and the environment has 500 trait definitions, the most events may create; define it with POST /trait-definitions",
                "body.traits.user_new: a new trait, and the environment has 500 trait definitions, the most events may create; define it with POST /trait-definitions",
            ],
            errors);
        Assert.Equal("42", TraitsOf((await api.GetAsync("/companies/lookup?keys[id]=filler-0")).ShouldBe(HttpStatusCode.OK).Data)["t5"]);
        (await api.GetAsync("/companies/lookup?keys[id]=newcomer")).ShouldBe(HttpStatusCode.NotFound);
        Assert.Equal(501, await CountAsync(api, "/trait-definitions/count"));
    }

    private const string PolicyPath = "/environment/publishable-policy";

    private async Task<ApiClient> PublishableAsync(ApiClient admin) =>
        server.Api((await admin.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("key").GetString());

    /// <summary>
    /// Sends the events to <c>/batch</c> with one harmless <c>flag_check</c> first (so the batch is never refused as a
    /// whole) and answers the reasons of the rejected events, in order.
    /// </summary>
    private static async Task<string[]> RejectionsAsync(ApiClient client, params object[] events)
    {
        object harmless = new Dictionary<string, object?> { ["type"] = "flag_check", ["body"] = new { flag_key = "sso" } };
        var answer = await Events.SendAsync(client, [harmless, .. events]);
        return [.. answer.Body.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("error").GetString()!)];
    }

    private static Dictionary<string, object?> IdentifyCompany(Dictionary<string, string> keys, string? name = null, Dictionary<string, object?>? traits = null) =>
        new() { ["type"] = "identify", ["body"] = new Dictionary<string, object?> { ["company"] = new Dictionary<string, object?> { ["keys"] = keys, ["name"] = name, ["traits"] = traits } } };

    private static Dictionary<string, object?> IdentifyUser(Dictionary<string, string> keys, Dictionary<string, string>? company = null, Dictionary<string, object?>? traits = null)
    {
        var body = new Dictionary<string, object?> { ["keys"] = keys, ["traits"] = traits };
        if (company is not null)
        {
            body["company"] = new { keys = company };
        }

        return new() { ["type"] = "identify", ["body"] = body };
    }

    private static Dictionary<string, object?> TrackOnLease(string leaseId) =>
        new() { ["type"] = "track", ["body"] = new { @event = "ai_generation", company = Given.Keys(CreditScenario.Company), quantity = 3, lease_id = leaseId } };

    private static Dictionary<string, string> ManyKeys(int count) => Enumerable.Range(0, count).ToDictionary(i => i == 0 ? "id" : $"key-{i}", i => $"value-{i}");

    private static Dictionary<string, string> TraitsOf(JsonElement entity) =>
        entity.GetProperty("traits").EnumerateObject().ToDictionary(t => t.Name, t => t.Value.ToString());

    private static async Task<int> CountAsync(ApiClient api, string path) => (await api.GetAsync(path)).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt32();

    private static async Task<string> LeaseAsync(ApiClient api, string companyId, string creditTypeId) =>
        (await api.PostAsync("/billing/credits/lease", new { companyId, creditTypeId, requestedAmount = 10 })).ShouldBe(HttpStatusCode.OK).Id;

    private static async Task<double> TrackedOnLeaseAsync(ApiClient api, string leaseId) =>
        (await api.GetAsync($"/billing/credits/lease/{leaseId}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("tracked_amount").GetDouble();

    private async Task<long> OutboxQuantityAsync(string environmentId)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(quantity), 0) FROM meter_outbox WHERE environment_id = @environmentId", new { environmentId });
    }
}

public sealed class PublishableKeyTestsOnSqlite(SqliteServer server) : PublishableKeyTests(server), IClassFixture<SqliteServer>;

public sealed class PublishableKeyTestsOnPostgres(PostgresServer server) : PublishableKeyTests(server), IClassFixture<PostgresServer>;
