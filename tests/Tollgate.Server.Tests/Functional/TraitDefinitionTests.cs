using System.Net;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// Trait definitions at Tollgate's <c>/trait-definitions</c> and at Schematic's <c>/entity-trait-definitions</c>
/// (<c>CreateEntityTraitDefinitionRequestBody</c> in, <c>EntityTraitDefinitionResponseData</c> out).
/// </summary>
public abstract class TraitDefinitionTests(TollgateFactory server)
{
    [Fact]
    public async Task SchematicsGetOrCreateMakesADefinitionOnceAndThenAnswersIt()
    {
        var api = await server.NewEnvironmentAsync();

        var created = (await api.PostAsync("/entity-trait-definitions", new { entityType = "company", hierarchy = new[] { "seats" }, traitType = "number", displayName = "Seats" }))
            .ShouldBe(HttpStatusCode.Created);
        var again = (await api.PostAsync("/entity-trait-definitions", new { entityType = "company", hierarchy = new[] { "seats" }, traitType = "number" }))
            .ShouldBe(HttpStatusCode.OK);

        Assert.StartsWith("trait_", created.Id, StringComparison.Ordinal);
        Assert.Equal(created.Id, again.Id);
        Assert.Equal("Seats", created.Data.GetProperty("display_name").GetString());
        Assert.Equal(["seats"], created.Data.GetProperty("hierarchy").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal("number", created.Data.GetProperty("trait_type").GetString());
        Assert.Equal("company", created.Data.GetProperty("entity_type").GetString());
        Assert.Equal("int", created.Data.GetProperty("comparable_type").GetString());
        Assert.Equal("seats", created.Data.GetProperty("name").GetString());
        Assert.Equal(created.Data.GetProperty("created_at").GetDateTimeOffset(), created.Data.GetProperty("updated_at").GetDateTimeOffset());
        Assert.Equal(created.Text, (await api.GetAsync($"/entity-trait-definitions/{created.Id}")).ShouldBe(HttpStatusCode.OK).Text);
        Assert.Equal(created.Text, (await api.GetAsync($"/trait-definitions/{created.Id}")).ShouldBe(HttpStatusCode.OK).Text);
        Assert.Equal(1, (await api.GetAsync("/entity-trait-definitions/count")).Data.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task BothPathsServeTheSameDefinitionsAndTheHierarchyNamesTheTrait()
    {
        var api = await server.NewEnvironmentAsync();
        var region = await Given.TraitAsync(api, "region", "company", "string");
        var city = (await api.PostAsync("/entity-trait-definitions", new { entityType = "user", hierarchy = new[] { "address", "city" }, traitType = "url" }))
            .ShouldBe(HttpStatusCode.Created).Id;
        var flag = (await api.PostAsync("/entity-trait-definitions", new { entityType = "company", hierarchy = new[] { "beta" }, traitType = "boolean" }))
            .ShouldBe(HttpStatusCode.Created).Id;

        var all = (await api.GetAsync("/entity-trait-definitions")).ShouldBe(HttpStatusCode.OK);
        var users = (await api.GetAsync("/entity-trait-definitions?entity_type=user")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(all.Text, (await api.GetAsync("/trait-definitions")).ShouldBe(HttpStatusCode.OK).Text);
        Assert.Equal([region, city, flag], all.Data.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal("address.city", users.Data[0].GetProperty("name").GetString());
        Assert.Equal(["address", "city"], users.Data[0].GetProperty("hierarchy").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal("string", users.Data[0].GetProperty("trait_type").GetString());
        Assert.Equal("user", users.Params.GetProperty("entity_type").GetString());
        Assert.Equal([flag], (await api.GetAsync("/entity-trait-definitions?trait_type=boolean")).Data.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal([region], (await api.GetAsync("/trait-definitions?q=REG")).Data.EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(2, (await api.GetAsync($"/trait-definitions/count?ids={region}&ids={flag}")).Data.GetProperty("count").GetInt64());
        (await api.PostAsync("/trait-definitions", new { name = "address.city", entityType = "user", comparableType = "string" })).ShouldFail(HttpStatusCode.Conflict, "name");
    }

    [Theory]
    [InlineData("""{"hierarchy":["seats"],"trait_type":"number"}""", "entity_type")]
    [InlineData("""{"entity_type":"account","hierarchy":["seats"],"trait_type":"number"}""", "entity_type")]
    [InlineData("""{"entity_type":"company","hierarchy":["seats"]}""", "trait_type")]
    [InlineData("""{"entity_type":"company","hierarchy":["seats"],"trait_type":"int"}""", "trait_type")]
    [InlineData("""{"entity_type":"company","trait_type":"number"}""", "hierarchy")]
    [InlineData("""{"entity_type":"company","hierarchy":[],"trait_type":"number"}""", "hierarchy")]
    [InlineData("""{"entity_type":"company","hierarchy":["a",""],"trait_type":"number"}""", "hierarchy[1]")]
    [InlineData("""{"entity_type":"company","hierarchy":"seats","trait_type":"number"}""", "hierarchy")]
    public async Task ABadSchematicBodyIsAnswered400NamingTheField(string body, string field)
    {
        var api = await server.NewEnvironmentAsync();

        (await api.SendRawAsync(HttpMethod.Post, "/entity-trait-definitions", body)).ShouldFail(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task AnExistingTraitOfAnotherTypeIsAConflictAndUnknownIdsAre404()
    {
        var api = await server.NewEnvironmentAsync();
        await Given.TraitAsync(api, "plan_name", "company", "string");

        (await api.PostAsync("/entity-trait-definitions", new { entityType = "company", hierarchy = new[] { "plan_name" }, traitType = "date" })).ShouldFail(HttpStatusCode.Conflict, "trait_type");
        (await api.GetAsync("/entity-trait-definitions/trait_missing")).ShouldFail(HttpStatusCode.NotFound, "trait definition not found");
        (await api.GetAsync("/trait-definitions?entity_type=account")).ShouldFail(HttpStatusCode.BadRequest, "entity_type");
        (await api.GetAsync("/entity-trait-definitions?trait_type=int")).ShouldFail(HttpStatusCode.BadRequest, "trait_type");
    }
}

public sealed class TraitDefinitionTestsOnSqlite(SqliteServer server) : TraitDefinitionTests(server), IClassFixture<SqliteServer>;

public sealed class TraitDefinitionTestsOnPostgres(PostgresServer server) : TraitDefinitionTests(server), IClassFixture<PostgresServer>;
