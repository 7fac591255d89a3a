using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional;

/// <summary>
/// One call erases a company's or a user's personal data — name, traits, keys but <c>id</c>, the bodies of events
/// naming them, the documents of earlier audit entries — and keeps the usage counters and billing link invoicing
/// needs, with an audit entry that says an erasure happened, without the data.
/// </summary>
public abstract class PersonalDataTests(TollgateFactory server)
{
    [Fact]
    public async Task ErasingACompanyRemovesWhatIdentifiesItAndKeepsItsUsageAndBillingLink()
    {
        var api = await server.NewEnvironmentAsync();
        var company = (await api.PostAsync("/companies", new
        {
            keys = new Dictionary<string, string> { ["id"] = "erased-co", ["domain"] = "jane-doe.example", ["stripe_customer_id"] = "cus_erased" },
            name = "Jane Doe Consulting",
            traits = new { owner = "Jane Doe", seats = 3 },
        })).ShouldBe(HttpStatusCode.OK).Id;
        await Events.SendAsync(api, Events.Track("api_call", "erased-co", 5), Events.Track("api_call", "erased-co", 2));
        var counters = await CountersAsync(api.EnvironmentId!, company!);

        var erased = (await api.DeleteAsync($"/companies/{company}/personal-data")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(new[] { "domain" }, erased.GetProperty("erased_keys").EnumerateArray().Select(k => k.GetString()!));
        Assert.Equal(2, erased.GetProperty("erased_traits").GetInt32());
        Assert.Equal(2, erased.GetProperty("erased_event_bodies").GetInt32());
        var after = (await api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.DoesNotContain("Jane Doe", after.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("jane-doe.example", after.GetRawText(), StringComparison.Ordinal);
        (await api.GetAsync("/companies/lookup?keys[domain]=jane-doe.example")).ShouldBe(HttpStatusCode.NotFound);
        (await api.GetAsync("/companies/lookup?keys[id]=erased-co")).ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync("/companies/lookup?keys[stripe_customer_id]=cus_erased")).ShouldBe(HttpStatusCode.OK);

        Assert.Equal(counters, await CountersAsync(api.EnvironmentId!, company!));
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        var bodies = (await connection.QueryAsync<string>("SELECT body FROM events WHERE environment_id = @env AND company_id = @company", new { env = api.EnvironmentId, company })).ToList();
        Assert.Equal(2, bodies.Count);
        Assert.All(bodies, body => Assert.Equal("""{"erased":true}""", body));
        await AssertAuditKeepsNoPersonalDataAsync(connection, api.EnvironmentId!, company!, "Jane Doe", "jane-doe.example");
    }

    [Fact]
    public async Task ErasingAUserRemovesTheirEmailNameTraitsAndEventBodiesAndKeepsTheMembership()
    {
        var api = await server.NewEnvironmentAsync();
        var company = (await api.PostAsync("/companies", new { keys = Given.Keys("team-co"), name = "Team" })).ShouldBe(HttpStatusCode.OK).Id;
        var user = (await api.PostAsync("/users", new
        {
            keys = new Dictionary<string, string> { ["id"] = "u-17", ["email"] = "ana@private.example" },
            name = "Ana Private",
            traits = new { phone = "+44 20 7946 0000" },
            company = Given.Keys("team-co"),
        })).ShouldBe(HttpStatusCode.OK).Id;
        var track = Events.Track("api_call", "team-co", 1);
        ((Dictionary<string, object?>)track["body"]!)["user"] = new Dictionary<string, string> { ["email"] = "ana@private.example" };
        await Events.SendAsync(api, track);

        var erased = (await api.DeleteAsync($"/users/{user}/personal-data")).ShouldBe(HttpStatusCode.OK).Data;

        Assert.Equal(new[] { "email" }, erased.GetProperty("erased_keys").EnumerateArray().Select(k => k.GetString()!));
        Assert.Equal(1, erased.GetProperty("erased_event_bodies").GetInt32());
        var after = (await api.GetAsync($"/users/{user}")).ShouldBe(HttpStatusCode.OK).Data;
        Assert.DoesNotContain("ana@private.example", after.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Ana Private", after.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("7946", after.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(company!, after.GetRawText(), StringComparison.Ordinal);
        (await api.GetAsync("/users/lookup?keys[email]=ana@private.example")).ShouldBe(HttpStatusCode.NotFound);
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM events WHERE environment_id = @env AND body LIKE '%ana@private.example%'", new { env = api.EnvironmentId }));
        await AssertAuditKeepsNoPersonalDataAsync(connection, api.EnvironmentId!, user!, "ana@private.example", "Ana Private");
    }

    [Fact]
    public async Task ErasingSomethingUnknownAnswers404AndAPublishableKeyMayNotErase()
    {
        var api = await server.NewEnvironmentAsync();

        var missing = await api.DeleteAsync("/companies/comp_missing/personal-data");
        missing.ShouldBe(HttpStatusCode.NotFound);
        (await api.DeleteAsync("/users/user_missing/personal-data")).ShouldBe(HttpStatusCode.NotFound);
        var company = (await api.PostAsync("/companies", new { keys = Given.Keys("guarded"), name = "Guarded" })).ShouldBe(HttpStatusCode.OK).Id;
        var publishable = (await api.PostAsync("/api-keys", new { name = "browser", kind = "publishable" })).ShouldBe(HttpStatusCode.Created).Data.GetProperty("key").GetString();
        var refused = await server.Api(publishable).DeleteAsync($"/companies/{company}/personal-data");
        Assert.True(refused.Status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, $"a publishable key got {refused.Status}");
        Assert.Equal("Guarded", (await api.GetAsync($"/companies/{company}")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("name").GetString());
    }

    private async Task<long> CountersAsync(string env, string company)
    {
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT COALESCE(SUM(value), 0) FROM usage_counters WHERE environment_id = @env AND company_id = @company AND period = 0", new { env, company });
    }

    /// <summary>Earlier entries keep what happened and when, not the documents; the erasure's own entry names no value.</summary>
    private static async Task AssertAuditKeepsNoPersonalDataAsync(System.Data.Common.DbConnection connection, string env, string id, params string[] personal)
    {
        var entries = (await connection.QueryAsync<(string Action, string? Before, string? After)>(
            "SELECT action, before_data, after_data FROM audit_log WHERE environment_id = @env AND resource_id = @id ORDER BY seq", new { env, id })).ToList();
        Assert.True(entries.Count >= 2, $"{entries.Count} audit entries");
        Assert.Equal("erase", entries[^1].Action);
        Assert.All(entries.Take(entries.Count - 1), e => Assert.True(e.Before is null && e.After is null, $"{e.Action} kept its documents"));
        foreach (var value in personal)
        {
            Assert.DoesNotContain(value, entries[^1].After ?? string.Empty, StringComparison.Ordinal);
        }
    }
}

public sealed class PersonalDataTestsOnSqlite(SqliteServer server) : PersonalDataTests(server), IClassFixture<SqliteServer>;

public sealed class PersonalDataTestsOnPostgres(PostgresServer server) : PersonalDataTests(server), IClassFixture<PostgresServer>;
