using System.Net;
using System.Text.Json;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>Features and their flags, flag rules and trait definitions.</summary>
public abstract class FeatureTests(TollgateFactory server)
{
    [Fact]
    public async Task CreatingAFeatureAnswers201WithTheFeatureAndMakesItsFlag()
    {
        var api = await server.NewEnvironmentAsync();

        var created = (await api.PostAsync("/features", new { name = "AI Credits", description = "Generations", featureType = "boolean" })).ShouldBe(HttpStatusCode.Created);
        var flag = (await api.GetAsync($"/flags/{created.Data.GetProperty("flag_id").GetString()}")).ShouldBe(HttpStatusCode.OK);

        Assert.StartsWith("feat_", created.Id, StringComparison.Ordinal);
        Assert.Equal("AI Credits", created.Data.GetProperty("name").GetString());
        Assert.Equal("Generations", created.Data.GetProperty("description").GetString());
        Assert.Equal("boolean", created.Data.GetProperty("feature_type").GetString());
        Assert.Equal("ai-credits", flag.Data.GetProperty("key").GetString());
        Assert.Equal(created.Id, flag.Data.GetProperty("feature_id").GetString());
        Assert.False(flag.Data.GetProperty("default_value").GetBoolean());
        Assert.Equal(0, flag.Data.GetProperty("rules").GetArrayLength());
        Assert.Equal(created.Text, (await api.GetAsync($"/features/{created.Id}")).ShouldBe(HttpStatusCode.OK).Text);
    }

    [Fact]
    public async Task AFeatureCanNameItsFlagKeyAndDefault()
    {
        var api = await server.NewEnvironmentAsync();

        var featureId = await Given.BooleanFeatureAsync(api, "beta.reports_v2", defaultValue: true);
        var flag = (await api.GetAsync($"/flags/{await Given.FlagIdOfAsync(api, featureId)}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("beta.reports_v2", flag.Data.GetProperty("key").GetString());
        Assert.True(flag.Data.GetProperty("default_value").GetBoolean());
    }

    [Fact]
    public async Task EventAndTraitFeaturesKeepWhatTheyMeasure()
    {
        var api = await server.NewEnvironmentAsync();
        var seats = await Given.TraitAsync(api, "seats");

        var calls = (await api.GetAsync($"/features/{await Given.EventFeatureAsync(api, "api-calls", "api_call")}")).ShouldBe(HttpStatusCode.OK);
        var members = (await api.GetAsync($"/features/{await Given.TraitFeatureAsync(api, "members", seats)}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("event", calls.Data.GetProperty("feature_type").GetString());
        Assert.Equal("api_call", calls.Data.GetProperty("event_subtype").GetString());
        Assert.Equal("trait", members.Data.GetProperty("feature_type").GetString());
        Assert.Equal(seats, members.Data.GetProperty("trait_id").GetString());
    }

    [Fact]
    public async Task ATakenFlagKeyIsAnswered409()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.BooleanFeatureAsync(api, "sso");

        (await api.PostAsync("/features", new { name = "SSO", featureType = "boolean" })).ShouldFail(HttpStatusCode.Conflict, "flag.key");
        (await api.PostAsync("/features", new { name = "Other", featureType = "boolean", flag = new { key = "sso" } })).ShouldFail(HttpStatusCode.Conflict, "flag.key");
        Assert.Equal(1, (await api.GetAsync("/features/count")).Data.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task AFlagKeyMustBeLowercaseLettersDigitsAndPunctuation()
    {
        var api = await server.NewEnvironmentAsync();

        (await api.PostAsync("/features", new { name = "x", featureType = "boolean", flag = new { key = "Has Spaces" } })).ShouldFail(HttpStatusCode.BadRequest, "flag.key");
        (await api.PostAsync("/features", new { name = "x", featureType = "boolean", flag = new { key = "-leading" } })).ShouldFail(HttpStatusCode.BadRequest, "flag.key");
        (await api.PostAsync("/features", new { name = "!!!", featureType = "boolean" })).ShouldFail(HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task FeaturesAreListedOldestFirstInPages()
    {
        var api = await server.NewEnvironmentAsync();
        var ids = new List<string?>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Given.BooleanFeatureAsync(api, $"feature-{i}"));
        }

        var pages = new List<string?>();
        foreach (var offset in new[] { 0, 2, 4, 6 })
        {
            var page = (await api.GetAsync($"/features?limit=2&offset={offset}")).ShouldBe(HttpStatusCode.OK);
            Assert.Equal(2, page.Params.GetProperty("limit").GetInt32());
            Assert.Equal(offset, page.Params.GetProperty("offset").GetInt32());
            pages.AddRange(page.Data.EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        }

        Assert.Equal(ids, pages);
        Assert.Equal(5, (await api.GetAsync("/features/count")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("count").GetInt64());
        Assert.Equal(100, (await api.GetAsync("/features")).Params.GetProperty("limit").GetInt32());
        Assert.Equal(5, (await api.GetAsync("/flags?limit=1000")).ShouldBe(HttpStatusCode.OK).Data.GetArrayLength());
    }

    [Fact]
    public async Task UpdatingAFeatureChangesOnlyTheFieldsGiven()
    {
        var api = await server.NewEnvironmentAsync();
        var id = (await api.PostAsync("/features", new { name = "Exports", description = "CSV", featureType = "boolean" })).ShouldBe(HttpStatusCode.Created).Id;
        server.Time.Advance(TimeSpan.FromMinutes(5));

        var updated = (await api.PutAsync($"/features/{id}", new { name = "Data exports" })).ShouldBe(HttpStatusCode.OK);
        var read = (await api.GetAsync($"/features/{id}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(updated.Text, read.Text);
        Assert.Equal("Data exports", read.Data.GetProperty("name").GetString());
        Assert.Equal("CSV", read.Data.GetProperty("description").GetString());
        Assert.True(read.Data.GetProperty("updated_at").GetDateTimeOffset() > read.Data.GetProperty("created_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task UpdatingAFeatureToAnotherTypeChecksTheFieldsThatTypeNeeds()
    {
        var api = await server.NewEnvironmentAsync();
        var id = await Given.BooleanFeatureAsync(api, "usage");

        (await api.PutAsync($"/features/{id}", new { featureType = "event" })).ShouldFail(HttpStatusCode.BadRequest, "event_subtype");
        (await api.PutAsync($"/features/{id}", new { featureType = "trait" })).ShouldFail(HttpStatusCode.BadRequest, "trait_id");
        (await api.PutAsync($"/features/{id}", new { featureType = "gizmo" })).ShouldFail(HttpStatusCode.BadRequest, "feature_type");
        (await api.PutAsync($"/features/{id}", new { name = " " })).ShouldFail(HttpStatusCode.BadRequest, "name");
        var changed = (await api.PutAsync($"/features/{id}", new { featureType = "event", eventSubtype = "report_run" })).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("report_run", changed.Data.GetProperty("event_subtype").GetString());
    }

    [Fact]
    public async Task DeletingAFeatureTakesItsFlagAndItsEntitlementsAlong()
    {
        var api = await server.NewEnvironmentAsync();
        var featureId = await Given.BooleanFeatureAsync(api, "audit-trail");
        var flagId = await Given.FlagIdOfAsync(api, featureId);
        var planId = await Given.PlanAsync(api, "Team");
        var entitlementId = await Given.EntitlementAsync(api, new { planId, featureId, valueType = "boolean", valueBool = true });

        var deleted = (await api.DeleteAsync($"/features/{featureId}")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal("""{"data":{"deleted":true},"params":{}}""", deleted.Text);
        (await api.GetAsync($"/features/{featureId}")).ShouldFail(HttpStatusCode.NotFound, "feature not found");
        (await api.GetAsync($"/flags/{flagId}")).ShouldFail(HttpStatusCode.NotFound, "flag not found");
        (await api.GetAsync($"/plan-entitlements/{entitlementId}")).ShouldBe(HttpStatusCode.NotFound);
        (await api.PostAsync("/flags/audit-trail/check", new { })).ShouldFail(HttpStatusCode.NotFound, "flag not found");
        (await api.DeleteAsync($"/features/{featureId}")).ShouldFail(HttpStatusCode.NotFound, "feature not found");
        Assert.Equal(0, (await api.GetAsync("/features/count")).Data.GetProperty("count").GetInt64());
        await Given.BooleanFeatureAsync(api, "audit-trail");
    }

    [Fact]
    public async Task UnknownFeaturesAndFlagsAreAnswered404()
    {
        var api = server.Api();

        (await api.GetAsync("/features/feat_missing")).ShouldFail(HttpStatusCode.NotFound, "feature not found");
        (await api.PutAsync("/features/feat_missing", new { name = "x" })).ShouldFail(HttpStatusCode.NotFound, "feature not found");
        (await api.DeleteAsync("/features/feat_missing")).ShouldFail(HttpStatusCode.NotFound, "feature not found");
        (await api.GetAsync("/flags/flag_missing")).ShouldFail(HttpStatusCode.NotFound, "flag not found");
        (await api.PutAsync("/flags/flag_missing/rules", new { rules = Array.Empty<object>() })).ShouldFail(HttpStatusCode.NotFound, "flag not found");
    }

    [Fact]
    public async Task AFlagsRulesAreReplacedWholeAndDecideChecksAtOnce()
    {
        var api = await server.NewEnvironmentAsync();
        var flagId = await Given.FlagIdOfAsync(api, await Given.BooleanFeatureAsync(api, "new-editor"));
        var beta = await Given.CompanyAsync(api, "beta-co");
        await Given.CompanyAsync(api, "other-co");
        var rule = new
        {
            name = "Beta testers",
            ruleType = "standard",
            priority = 1,
            value = true,
            conditions = new[] { new { conditionType = "company", @operator = "eq", resourceIds = new[] { beta } } },
        };

        var updated = (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { rule } })).ShouldBe(HttpStatusCode.OK);
        var forBeta = (await api.PostAsync("/flags/new-editor/check", new { company = Given.Keys("beta-co") })).ShouldBe(HttpStatusCode.OK);
        var forOther = (await api.PostAsync("/flags/new-editor/check", new { company = Given.Keys("other-co") })).ShouldBe(HttpStatusCode.OK);

        var saved = Assert.Single(updated.Data.GetProperty("rules").EnumerateArray());
        Assert.StartsWith("rule_", saved.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("cond_", saved.GetProperty("conditions")[0].GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.True(forBeta.Data.GetProperty("value").GetBoolean());
        Assert.Equal($"Matched standard rule \"Beta testers\" ({saved.GetProperty("id").GetString()})", forBeta.Data.GetProperty("reason").GetString());
        Assert.Equal("standard", forBeta.Data.GetProperty("rule_type").GetString());
        Assert.False(forOther.Data.GetProperty("value").GetBoolean());
        Assert.Equal("No rules matched; default value for flag", forOther.Data.GetProperty("reason").GetString());

        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = Array.Empty<object>() })).ShouldBe(HttpStatusCode.OK);
        Assert.False((await api.PostAsync("/flags/new-editor/check", new { company = Given.Keys("beta-co") })).Data.GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task RulesOnTraitsUseTraitDefinitions()
    {
        var api = await server.NewEnvironmentAsync();
        var flagId = await Given.FlagIdOfAsync(api, await Given.BooleanFeatureAsync(api, "bulk-import"));
        var employees = await Given.TraitAsync(api, "employees");
        await Given.CompanyAsync(api, "big", traits: new() { ["employees"] = 500 });
        await Given.CompanyAsync(api, "small", traits: new() { ["employees"] = 5 });
        var rule = new
        {
            name = "Large companies",
            value = true,
            conditions = new[] { new { conditionType = "trait", @operator = "gte", traitId = employees, traitValue = "100" } },
        };

        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { rule } })).ShouldBe(HttpStatusCode.OK);

        Assert.True((await api.PostAsync("/flags/bulk-import/check", new { company = Given.Keys("big") })).Data.GetProperty("value").GetBoolean());
        Assert.False((await api.PostAsync("/flags/bulk-import/check", new { company = Given.Keys("small") })).Data.GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task InvalidRulesAreRejectedNamingTheFieldAndChangeNothing()
    {
        var api = await server.NewEnvironmentAsync();
        var flagId = await Given.FlagIdOfAsync(api, await Given.BooleanFeatureAsync(api, "guarded"));
        var before = (await api.GetAsync($"/flags/{flagId}")).Text;

        (await api.PutAsync($"/flags/{flagId}/rules", new { })).ShouldFail(HttpStatusCode.BadRequest, "rules");
        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new object?[] { null } })).ShouldFail(HttpStatusCode.BadRequest, "rules[0]");
        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { new { value = true } } })).ShouldFail(HttpStatusCode.BadRequest, "rules[0].name");
        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { new { name = "n" } } })).ShouldFail(HttpStatusCode.BadRequest, "rules[0].value");
        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { new { name = "n", value = true, ruleType = "plan_entitlement" } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "rules[0].rule_type");
        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { new { name = "n", value = true, conditions = new[] { new { conditionType = "planet", @operator = "eq" } } } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "rules[0].conditions[0].condition_type");
        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { new { name = "n", value = true, conditions = new[] { new { conditionType = "company", @operator = "like" } } } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "rules[0].conditions[0].operator");
        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { new { name = "n", value = true, conditions = new[] { new { conditionType = "company", @operator = "eq" } } } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "rules[0].conditions[0].resource_ids");
        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { new { name = "n", value = true, conditions = new[] { new { conditionType = "trait", @operator = "eq", traitId = "trait_nope" } } } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "rules[0].conditions[0].trait_id");
        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { new { name = "n", value = true, conditions = new[] { new { conditionType = "metric", @operator = "lt" } } } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "rules[0].conditions[0].event_subtype");
        var group = new { conditions = new[] { new { conditionType = "user", @operator = "eq" } } };
        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { new { name = "n", value = true, conditionGroups = new[] { group } } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "rules[0].condition_groups[0].conditions[0].resource_ids");

        Assert.Equal(before, (await api.GetAsync($"/flags/{flagId}")).Text);
    }

    [Fact]
    public async Task ARuleWithANullResourceIdIsRejected()
    {
        var api = await server.NewEnvironmentAsync();
        var flagId = await Given.FlagIdOfAsync(api, await Given.BooleanFeatureAsync(api, "nullable"));

        (await api.PutAsync($"/flags/{flagId}/rules", new { rules = new[] { new { name = "n", value = true, conditions = new[] { new { conditionType = "company", @operator = "eq", resourceIds = new string?[] { null } } } } } }))
            .ShouldFail(HttpStatusCode.BadRequest, "rules[0].conditions[0].resource_ids");

        (await api.PostAsync("/flags/nullable/check", new { })).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TraitDefinitionsAreCreatedListedAndUniquePerEntityType()
    {
        var api = await server.NewEnvironmentAsync();

        var created = (await api.PostAsync("/trait-definitions", new { name = "region", entityType = "company", comparableType = "string" })).ShouldBe(HttpStatusCode.Created);
        (await api.PostAsync("/trait-definitions", new { name = "region", entityType = "user", comparableType = "string" })).ShouldBe(HttpStatusCode.Created);
        (await api.PostAsync("/trait-definitions", new { name = "region", entityType = "company", comparableType = "int" })).ShouldFail(HttpStatusCode.Conflict, "name");
        var listed = (await api.GetAsync("/trait-definitions?limit=1&offset=1")).ShouldBe(HttpStatusCode.OK);

        Assert.StartsWith("trait_", created.Id, StringComparison.Ordinal);
        Assert.Equal("company", created.Data.GetProperty("entity_type").GetString());
        Assert.Equal("string", created.Data.GetProperty("comparable_type").GetString());
        Assert.Equal("user", Assert.Single(listed.Data.EnumerateArray()).GetProperty("entity_type").GetString());
    }

    [Fact]
    public async Task ATraitSeenOnACompanyIsDefinedByItsValuesType()
    {
        var api = await server.NewEnvironmentAsync();

        await Given.CompanyAsync(api, "typed", traits: new() { ["seats"] = 4, ["sso_enabled"] = true, ["region"] = "eu" });
        var traits = (await api.GetAsync("/trait-definitions")).ShouldBe(HttpStatusCode.OK).Data.EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("comparable_type").GetString());

        Assert.Equal(new Dictionary<string, string?> { ["seats"] = "int", ["sso_enabled"] = "bool", ["region"] = "string" }, traits);
    }

    [Fact]
    public async Task InvalidTraitDefinitionsAreRejectedNamingTheField()
    {
        var api = await server.NewEnvironmentAsync();

        (await api.PostAsync("/trait-definitions", new { entityType = "company", comparableType = "int" })).ShouldFail(HttpStatusCode.BadRequest, "name");
        (await api.PostAsync("/trait-definitions", new { name = "a", comparableType = "int" })).ShouldFail(HttpStatusCode.BadRequest, "entity_type");
        (await api.PostAsync("/trait-definitions", new { name = "a", entityType = "team", comparableType = "int" })).ShouldFail(HttpStatusCode.BadRequest, "entity_type");
        (await api.PostAsync("/trait-definitions", new { name = "a", entityType = "company" })).ShouldFail(HttpStatusCode.BadRequest, "comparable_type");
        (await api.PostAsync("/trait-definitions", new { name = "a", entityType = "company", comparableType = "float" })).ShouldFail(HttpStatusCode.BadRequest, "comparable_type");
        Assert.Equal(JsonValueKind.Array, (await api.GetAsync("/trait-definitions")).Data.ValueKind);
        Assert.Equal(0, (await api.GetAsync("/trait-definitions")).Data.GetArrayLength());
    }
}

public sealed class FeatureTestsOnSqlite(SqliteServer server) : FeatureTests(server), IClassFixture<SqliteServer>;

public sealed class FeatureTestsOnPostgres(PostgresServer server) : FeatureTests(server), IClassFixture<PostgresServer>;
