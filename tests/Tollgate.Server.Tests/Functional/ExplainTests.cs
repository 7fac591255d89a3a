using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation.Explain;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// "Check as…" (<see cref="ExplainService"/>): the explanation's answer is the check API's answer, byte for byte, and
/// its deciding rule is the rule the check names, for plan rules, limits, overrides, targeting rules with traits and
/// groups, user rules, credits and the default; missing flags, companies and users are outcomes, never exceptions.
/// </summary>
public abstract class ExplainTests(TollgateFactory server)
{
    [Fact]
    public async Task APlanEntitlementDecidesAndItsPlanVersionConditionShowsThePlan()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("pro-co", s.Pro, seats: 2);
        await s.CompanyAsync("starter-co", s.Starter, seats: 2);

        var pro = await AgreesAsync(s, "sso", "pro-co");
        var starter = await AgreesAsync(s, "sso", "starter-co");

        Assert.Equal("Plan entitlement", pro.DecidingRule!.Kind);
        Assert.Equal("Pro", pro.DecidingRule.Name);
        var version = Assert.Single(pro.DecidingRule.Conditions);
        Assert.Equal("plan_version", version.Type);
        Assert.True(version.Holds);
        Assert.Equal("Pro v1", version.Expected);
        Assert.Equal("Pro v1", version.Actual);
        Assert.Null(starter.DecidingRule);
        Assert.False(starter.Answer!.Value);
        Assert.All(starter.Rules, r => Assert.True(r.Reached && !r.Matched));
        Assert.Contains(starter.Rules, r => r.Conditions.Any(c => c.Actual == "Starter v1" && !c.Holds));
    }

    [Fact]
    public async Task AMeteredLimitShowsUsageAgainstTheLimitAndTheEntitlement()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("metered", s.Pro, seats: 1);
        await s.CompanyAsync("busy", s.Starter, seats: 1);
        await Events.SendAsync(s.Api, Events.Track("api_call", "metered", quantity: 5), Events.Track("api_call", "busy", quantity: 100));
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "metered"), c => c.GetProperty("feature_usage").GetInt64() == 5);
        await Events.EventuallyAsync(() => s.CheckAsync("api-calls", "busy"), c => c.GetProperty("feature_usage").GetInt64() == 100);

        var within = await AgreesAsync(s, "api-calls", "metered");
        var over = await AgreesAsync(s, "api-calls", "busy");

        var usage = within.DecidingRule!.Conditions.Single(c => c.Type == "metric");
        Assert.True(usage.Holds);
        Assert.Equal("<", usage.Comparison);
        Assert.Equal("5", usage.Actual);
        Assert.Equal("1,000", usage.Expected);
        Assert.Equal("Usage of “api_call” this month", usage.Subject);
        Assert.Equal(800, within.Answer!.Entitlement!.SoftLimit);
        Assert.Equal(1000, within.Answer.Entitlement.Allocation);
        Assert.Equal("Plan limit reached", over.DecidingRule!.Kind);
        Assert.False(over.Answer!.Value);
        var starterEntitlement = over.Rules.Single(r => r.RuleType == "plan_entitlement" && r.Name == "Starter");
        Assert.True(starterEntitlement.Reached);
        Assert.False(starterEntitlement.Matched);
        Assert.Equal("100", starterEntitlement.Conditions.Single(c => c.Type == "metric").Actual);
    }

    [Fact]
    public async Task ACompanyOverrideDecidesAsTheCompanysRule()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("negotiated", s.Pro, seats: 12);
        await Given.OverrideAsync(s.Api, new { companyId = company, featureId = s.Seats, valueType = "numeric", valueNumeric = 50, note = "Signed for 50 seats" });

        var explanation = await AgreesAsync(s, "seats", "negotiated");

        var decider = explanation.DecidingRule!;
        Assert.Equal("company_override", decider.RuleType);
        Assert.Equal("company", decider.Source);
        Assert.Equal("Signed for 50 seats", decider.Name);
        Assert.False(decider.IsFlagRule);
        var seats = decider.Conditions.Single(c => c.Type == "trait");
        Assert.Equal("“12”", seats.Actual);
        Assert.Equal("Company trait “seats”", seats.Subject);
        Assert.Equal(50, explanation.Answer!.FeatureAllocation);
        // The plan's own limit (10 seats) would have said no: it comes after the override, unreached.
        Assert.Contains(explanation.Rules, r => r.RuleType == "plan_entitlement_usage_exceeded" && r.Matched && !r.Reached);
    }

    [Fact]
    public async Task TargetingRulesWithTraitsGroupsAndUsersDecideByPriority()
    {
        var s = await PricingScenario.CreateAsync(server);
        var role = await Given.TraitAsync(s.Api, "role", entityType: "user", comparableType: "string");
        var seats = TraitIdOf(s, "seats");
        var beta = await FlagIdAsync(s, "beta");
        (await s.Api.PutAsync($"/flags/{beta}/rules", new
        {
            rules = new object[]
            {
                new
                {
                    name = "Big Pro or Enterprise teams wait", ruleType = "standard", priority = 1, value = false,
                    conditions = new[] { new { conditionType = "trait", @operator = "gt", traitId = await seats, traitValue = "5" } },
                    conditionGroups = new[] { new { conditions = new object[] { new { conditionType = "plan", @operator = "eq", resourceIds = new[] { s.Pro } }, new { conditionType = "base_plan", @operator = "eq", resourceIds = new[] { s.Enterprise } } } } },
                },
                new
                {
                    name = "Admins first", ruleType = "standard", priority = 2, value = true,
                    conditions = new[] { new { conditionType = "trait", @operator = "eq", traitId = role, traitValue = "admin" } },
                },
                new { name = "Everyone else off", ruleType = "default", priority = 3, value = false },
            },
        })).ShouldBe(HttpStatusCode.OK);
        await s.CompanyAsync("big", s.Pro, seats: 8);
        await s.CompanyAsync("small", s.Pro, seats: 2);
        (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ana@small.test" }, company = Given.Keys("small"), traits = new { role = "admin" } })).ShouldBe(HttpStatusCode.OK);

        var big = await AgreesAsync(s, "beta", "big");
        var admin = await AgreesAsync(s, "beta", "small", new Dictionary<string, string> { ["email"] = "ana@small.test" });
        var anonymous = await AgreesAsync(s, "beta", "small");

        Assert.Equal("Big Pro or Enterprise teams wait", big.DecidingRule!.Name);
        Assert.True(big.DecidingRule.IsFlagRule);
        var group = Assert.Single(big.DecidingRule.ConditionGroups);
        Assert.True(group.Holds);
        Assert.True(group.Conditions[0].Holds);
        Assert.False(group.Conditions[1].Holds);
        Assert.Equal("Enterprise", group.Conditions[1].Expected);
        Assert.Equal("Pro", group.Conditions[1].Actual);
        Assert.Equal("Admins first", admin.DecidingRule!.Name);
        Assert.Equal("“admin”", admin.DecidingRule.Conditions[0].Actual);
        Assert.Equal("ana@small.test", admin.User!.Name);
        Assert.Equal("Everyone else off", anonymous.DecidingRule!.Name);
        var roleCondition = anonymous.Rules.Single(r => r.Name == "Admins first").Conditions[0];
        Assert.Equal("no user given", roleCondition.Actual);
        Assert.True(roleCondition.Detail.SubjectMissing);
        Assert.Equal([1, 2, 3], anonymous.Rules.Select(r => r.Position));
    }

    [Fact]
    public async Task CompanyAndUserConditionsNameWhomTheyTarget()
    {
        var s = await PricingScenario.CreateAsync(server);
        var vip = await s.CompanyAsync("vip", s.Starter, seats: 1);
        await s.CompanyAsync("other", s.Starter, seats: 1);
        var user = (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "cto@vip.test" }, name = "The CTO", company = Given.Keys("vip") })).ShouldBe(HttpStatusCode.OK).Id;
        var sso = await FlagIdAsync(s, "sso");
        (await s.Api.PutAsync($"/flags/{sso}/rules", new
        {
            rules = new object[]
            {
                new { name = "VIP company", ruleType = "standard", priority = 1, value = true, conditions = new[] { new { conditionType = "company", @operator = "eq", resourceIds = new[] { vip } } } },
                new { name = "The CTO", ruleType = "standard", priority = 2, value = true, conditions = new[] { new { conditionType = "user", @operator = "eq", resourceIds = new[] { user } } } },
            },
        })).ShouldBe(HttpStatusCode.OK);

        var byVip = await AgreesAsync(s, "sso", "vip");
        var byOther = await AgreesAsync(s, "sso", "other");

        Assert.Equal("VIP company", byVip.DecidingRule!.Name);
        Assert.Equal("vip", byVip.DecidingRule.Conditions[0].Expected);
        Assert.Null(byOther.DecidingRule);
        Assert.Equal("other", byOther.Rules.Single(r => r.Name == "VIP company").Conditions[0].Actual);
        Assert.Equal("no user given", byOther.Rules.Single(r => r.Name == "The CTO").Conditions[0].Actual);
        var explainer = Explainer();
        var byUserId = await explainer.ExplainAsync(Scope(s), "sso", EntityReference.ByKeys(Given.Keys("other")), EntityReference.ById(user), CancellationToken.None);
        Assert.Equal("The CTO", byUserId.DecidingRule!.Name);
        Assert.Equal("The CTO", byUserId.DecidingRule.Conditions[0].Actual);
    }

    [Fact]
    public async Task ACreditEntitlementShowsTheBalanceAndTheCostOfAUse()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("no-credits", s.Pro, seats: 1);

        var explanation = await AgreesAsync(s, "ai-credits", "no-credits");

        var credit = explanation.DecidingRule!.Conditions.Single(c => c.Type == "credit");
        Assert.Equal("0", credit.Actual);
        Assert.Equal("cost of this use: 2", credit.Expected);
        Assert.False(explanation.Answer!.Value);
        Assert.Equal("Plan limit reached", explanation.DecidingRule.Kind);
    }

    [Fact]
    public async Task ATraitLimitFromAnotherTraitShowsBothTraits()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("enterprise", s.Enterprise, seats: 4, seatLimit: 5);

        var explanation = await AgreesAsync(s, "seats", "enterprise");

        var seats = explanation.DecidingRule!.Conditions.Single(c => c.Type == "trait");
        Assert.True(seats.Holds);
        Assert.Equal("trait “seat_limit” (“5”)", seats.Expected);
        Assert.Equal("“4”", seats.Actual);
    }

    [Fact]
    public async Task AByIdCheckExplainsTheSameAnswerAsAByKeyCheck()
    {
        var s = await PricingScenario.CreateAsync(server);
        var company = await s.CompanyAsync("by-id", s.Pro, seats: 3);

        var byKey = await AgreesAsync(s, "seats", "by-id");
        var byId = await Explainer().ExplainAsync(Scope(s), "seats", EntityReference.ById(company), null, CancellationToken.None);

        Assert.Equal(Json(byKey.Answer), Json(byId.Answer));
        Assert.Equal(byKey.DecidingRule!.Id, byId.DecidingRule!.Id);
        Assert.Equal("by-id", byId.Company!.Name);
    }

    [Fact]
    public async Task MissingFlagsCompaniesAndUsersAreOutcomesWithTheChecksAnswer()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("known", s.Pro, seats: 1);
        var explainer = Explainer();

        var noFlag = await explainer.ExplainAsync(Scope(s), "no-such-flag", EntityReference.ByKeys(Given.Keys("known")), null, CancellationToken.None);
        var noCompany = await AgreesAsync(s, "beta", "nobody");
        var noCompanyById = await explainer.ExplainAsync(Scope(s), "beta", EntityReference.ById("comp_missing"), null, CancellationToken.None);
        var noUser = await AgreesAsync(s, "beta", "known", new Dictionary<string, string> { ["email"] = "ghost@known.test" });
        var noUserById = await explainer.ExplainAsync(Scope(s), "beta", EntityReference.ByKeys(Given.Keys("known")), EntityReference.ById("user_missing"), CancellationToken.None);

        Assert.Equal(ExplainOutcome.FlagNotFound, noFlag.Outcome);
        Assert.Null(noFlag.Answer);
        Assert.Equal(ExplainOutcome.CompanyNotFound, noCompany.Outcome);
        Assert.Equal("Company not found", noCompany.Answer!.Reason);
        Assert.Equal(ExplainOutcome.CompanyNotFound, noCompanyById.Outcome);
        Assert.Equal(ExplainOutcome.UserNotFound, noUser.Outcome);
        Assert.Equal("User not found", noUser.Answer!.Reason);
        Assert.Equal(ExplainOutcome.UserNotFound, noUserById.Outcome);
        Assert.Empty(noUser.Rules);
    }

    [Fact]
    public async Task EditingTheRulesChangesTheNextExplanation()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("starter", s.Starter, seats: 1);
        Assert.Null((await AgreesAsync(s, "sso", "starter")).DecidingRule);
        var sso = await FlagIdAsync(s, "sso");

        (await s.Api.PutAsync($"/flags/{sso}/rules", new
        {
            rules = new[] { new { name = "SSO for everyone this week", ruleType = "global_override", priority = 1, value = true } },
        })).ShouldBe(HttpStatusCode.OK);

        var after = await AgreesAsync(s, "sso", "starter");
        Assert.Equal("SSO for everyone this week", after.DecidingRule!.Name);
        Assert.True(after.DecidingRule.Unconditional);
        Assert.True(after.Answer!.Value);
    }

    [Fact]
    public async Task CheckingEveryFlagAsACompanyAnswersAsCheckAllDoes()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("all-flags", s.Pro, seats: 12);

        var all = await Explainer().ExplainAllAsync(Scope(s), EntityReference.ByKeys(Given.Keys("all-flags")), null, CancellationToken.None);
        var api = (await s.Api.PostAsync("/flags/check", new { company = Given.Keys("all-flags") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("flags");

        Assert.Equal(ExplainOutcome.Answered, all.Outcome);
        Assert.Equal(api.GetArrayLength(), all.Flags.Count);
        foreach (var (row, expected) in all.Flags.Zip(api.EnumerateArray()))
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.GetRawText()), JsonNode.Parse(Json(row.Answer))), $"{row.Flag.Key}: {expected} vs {Json(row.Answer)}");
            Assert.Equal(expected.GetProperty("rule_id").GetString(), row.DecidingRule?.Id);
        }

        Assert.Equal("Plan limit reached", all.Flags.Single(f => f.Flag.Key == "seats").DecidingRule!.Kind);
        Assert.Equal(ExplainOutcome.CompanyNotFound, (await Explainer().ExplainAllAsync(Scope(s), EntityReference.ById("comp_nope"), null, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task CompaniesAndUsersAreFoundByIdOrByTheStartOfAKeyValue()
    {
        var s = await PricingScenario.CreateAsync(server);
        await s.CompanyAsync("Acme-EU", s.Pro, seats: 1);
        await s.CompanyAsync("acme-us", s.Pro, seats: 1);
        var globex = await s.CompanyAsync("globex", s.Pro, seats: 1);
        await s.CompanyAsync("not_acme", s.Pro, seats: 1);
        (await s.Api.PostAsync("/users", new { keys = new Dictionary<string, string> { ["email"] = "ana@acme.test" }, name = "Ana", company = Given.Keys("acme-us") })).ShouldBe(HttpStatusCode.OK);
        var search = server.Services.GetRequiredService<SubjectSearch>();
        var environment = s.Api.EnvironmentId!;

        var acme = await search.CompaniesAsync(environment, "ACME", CancellationToken.None);
        var byId = await search.CompaniesAsync(environment, globex, CancellationToken.None);
        var wildcard = await search.CompaniesAsync(environment, "%", CancellationToken.None);
        var underscore = await search.CompaniesAsync(environment, "not_", CancellationToken.None);
        var users = await search.UsersAsync(environment, "ana@", CancellationToken.None);

        Assert.Equal(["Acme-EU", "acme-us"], acme.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal("globex", Assert.Single(byId).Name);
        Assert.Empty(wildcard);
        Assert.Equal("not_acme", Assert.Single(underscore).Name);
        Assert.Equal("Ana", Assert.Single(users).Name);
        Assert.Empty(await search.CompaniesAsync(environment, "   ", CancellationToken.None));
    }

    /// <summary>Explains and checks through the API with the same company and user; asserts the answers are identical.</summary>
    private async Task<CheckExplanation> AgreesAsync(PricingScenario s, string flag, string company, Dictionary<string, string>? user = null)
    {
        var check = (await s.Api.PostAsync($"/flags/{flag}/check", new { company = Given.Keys(company), user })).ShouldBe(HttpStatusCode.OK).Data;
        var explanation = await Explainer().ExplainAsync(
            Scope(s), flag, EntityReference.ByKeys(Given.Keys(company)), user is null ? null : EntityReference.ByKeys(user), CancellationToken.None);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(check.GetRawText()), JsonNode.Parse(Json(explanation.Answer))), $"check {check}\nexplain {Json(explanation.Answer)}");
        Assert.Equal(check.TryGetProperty("rule_id", out var ruleId) ? ruleId.GetString() : null, explanation.DecidingRule?.Id);
        if (explanation.DecidingRule is { } decider)
        {
            Assert.Equal(check.GetProperty("rule_type").GetString(), decider.RuleType);
            Assert.Equal(check.GetProperty("value").GetBoolean(), decider.Value);
        }

        return explanation;
    }

    private ExplainService Explainer() => server.Services.GetRequiredService<ExplainService>();

    private static RequestScope Scope(PricingScenario s) => new(s.Api.EnvironmentId!, s.Api.KeyId!, ApiKeyKind.Secret);

    private static string Json(object? value) => JsonSerializer.Serialize(value, ApiClient.Json);

    private static async Task<string> FlagIdAsync(PricingScenario s, string key) =>
        (await s.Api.GetAsync($"/flags?key={key}")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single(f => f.GetProperty("key").GetString() == key).GetProperty("id").GetString()!;

    private static async Task<string> TraitIdOf(PricingScenario s, string name) =>
        (await s.Api.GetAsync("/trait-definitions")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray().Single(t => t.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
}

public sealed class ExplainTestsOnSqlite(SqliteServer server) : ExplainTests(server), IClassFixture<SqliteServer>;

public sealed class ExplainTestsOnPostgres(PostgresServer server) : ExplainTests(server), IClassFixture<PostgresServer>;
