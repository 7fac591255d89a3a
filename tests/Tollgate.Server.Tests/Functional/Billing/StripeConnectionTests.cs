using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tollgate.Server.Storage;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>Connecting an environment to Stripe: the key is proven first, secrets are kept encrypted and never answered.</summary>
public abstract class StripeConnectionTests(StripeTollgateFactory server)
{
    [Fact]
    public async Task ConnectingProvesTheKeyAndAnswersOnlyHintsOfTheSecrets()
    {
        var world = await StripeWorld.CreateAsync(server, connect: false);

        var connected = (await world.ConnectAsync()).ShouldBe(HttpStatusCode.OK);
        var read = (await world.Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK);

        foreach (var response in new[] { connected, read })
        {
            Assert.DoesNotContain(world.Stripe.ApiKey, response.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(world.WebhookSecret, response.Text, StringComparison.Ordinal);
            Assert.Equal("acct_fake", response.Data.GetProperty("account_id").GetString());
            Assert.Equal($"sk_test_…{world.Stripe.ApiKey[^4..]}", response.Data.GetProperty("secret_key_hint").GetString());
            Assert.Equal($"/webhooks/stripe/{world.Api.EnvironmentId}", response.Data.GetProperty("webhook_path").GetString());
        }

        Assert.Single(world.Stripe.RequestsTo("/v1/account", "GET"));
    }

    [Fact]
    public async Task SecretsAreStoredEncrypted()
    {
        var world = await StripeWorld.CreateAsync(server);

        var database = server.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var stored = await connection.QuerySingleAsync<string>(
            "SELECT secrets || settings FROM stripe_connections WHERE environment_id = @id", new { id = world.Api.EnvironmentId });

        Assert.DoesNotContain(world.Stripe.ApiKey, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(world.WebhookSecret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_test", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyStripeRefusesIsNotKept()
    {
        var world = await StripeWorld.CreateAsync(server, connect: false);

        (await world.Api.PutAsync("/billing/stripe/connection", new Dictionary<string, object?>
        {
            ["secret_key"] = "sk_test_not_an_account_of_the_fake",
            ["webhook_secret"] = world.WebhookSecret,
        })).ShouldFail(HttpStatusCode.BadRequest, "secret_key");
        (await world.Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"webhook_secret":"whsec_0123456789"}""", "secret_key")]
    [InlineData("""{"secret_key":"pk_test_123","webhook_secret":"whsec_0123456789"}""", "secret_key")]
    [InlineData("""{"secret_key":"sk_test_123"}""", "webhook_secret")]
    [InlineData("""{"secret_key":"sk_test_123","webhook_secret":"secret"}""", "webhook_secret")]
    [InlineData("""{"secret_key":"sk_test_123","webhook_secret":"whsec_0123456789","past_due_policy":"sometimes"}""", "past_due_policy")]
    [InlineData("""{"secret_key":"sk_test_123","webhook_secret":"whsec_0123456789","fallback_plan_id":"plan_missing"}""", "fallback_plan_id")]
    [InlineData("""{"secret_key":"sk_test_123","webhook_secret":"whsec_0123456789","customer_company_key":""}""", "customer_company_key")]
    public async Task BadConnectBodiesAreRefusedNamingTheField(string body, string field)
    {
        var api = await server.NewEnvironmentAsync();

        (await api.SendRawAsync(HttpMethod.Put, "/billing/stripe/connection", body)).ShouldFail(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task SettingsChangeWithoutResendingTheSecrets()
    {
        var world = await StripeWorld.CreateAsync(server);
        var free = await Given.PlanAsync(world.Api, "Free");

        var changed = (await world.Api.PutAsync("/billing/stripe/connection", new { fallbackPlanId = free, pastDuePolicy = "fallback", seatsTrait = "seats" }))
            .ShouldBe(HttpStatusCode.OK);

        // fallback_plan_id is accepted for compatibility and lands in the plan group; the connection no longer shows it.
        var settings = changed.Data.GetProperty("settings");
        Assert.False(settings.TryGetProperty("fallback_plan_id", out _));
        Assert.Equal(free, (await world.Api.GetAsync("/plan-groups")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("fallback_plan_id").GetString());
        Assert.Equal("fallback", settings.GetProperty("past_due_policy").GetString());
        Assert.Equal("seats", settings.GetProperty("seats_trait").GetString());
        Assert.Equal("id", settings.GetProperty("customer_company_key").GetString());
    }

    [Fact]
    public async Task TheCheckAsksStripeAgainAndDisconnectingForgetsTheConnection()
    {
        var world = await StripeWorld.CreateAsync(server);

        var check = (await world.Api.PostAsync("/billing/stripe/connection/check", null)).ShouldBe(HttpStatusCode.OK);
        Assert.True(check.Data.GetProperty("ok").GetBoolean());
        Assert.Equal(2, world.Stripe.RequestsTo("/v1/account", "GET").Count);

        (await world.Api.DeleteAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK);
        (await world.Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.NotFound);
        (await world.Api.PostAsync("/billing/stripe/connection/check", null)).ShouldFail(HttpStatusCode.Conflict, "not connected");
        (await world.Api.DeleteAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AConnectionBelongsToItsEnvironmentOnly()
    {
        var world = await StripeWorld.CreateAsync(server);
        var other = await server.NewEnvironmentAsync();

        (await other.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.NotFound);
        (await world.Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class StripeConnectionTestsOnSqlite(StripeSqliteServer server) : StripeConnectionTests(server), IClassFixture<StripeSqliteServer>;

public sealed class StripeConnectionTestsOnPostgres(StripePostgresServer server) : StripeConnectionTests(server), IClassFixture<StripePostgresServer>;
