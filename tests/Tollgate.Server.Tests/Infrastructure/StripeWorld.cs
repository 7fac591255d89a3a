using System.Net;
using Tollgate.FakeStripe;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// One test's Stripe world: a new Tollgate environment, a new account on the fake Stripe, the environment connected to
/// it, and a webhook sender signing with the connection's secret at the server's clock.
/// </summary>
public sealed record StripeWorld(StripeTollgateFactory Server, ApiClient Api, FakeStripeAccount Stripe, WebhookSender Webhooks)
{
    /// <summary>Builds one; <paramref name="settings"/> adds connection settings (fallback_plan_id, past_due_policy…).</summary>
    public static async Task<StripeWorld> CreateAsync(StripeTollgateFactory server, IReadOnlyDictionary<string, object?>? settings = null, bool connect = true)
    {
        ArgumentNullException.ThrowIfNull(server);
        var api = await server.NewEnvironmentAsync();
        var account = server.Fake.NewAccount();
        var secret = $"whsec_test_{Guid.NewGuid():N}";
        var world = new StripeWorld(server, api, account, new WebhookSender(secret, server.CreateClient(), server.Time));
        if (connect)
        {
            (await world.ConnectAsync(settings)).ShouldBe(HttpStatusCode.OK);
        }

        return world;
    }

    /// <summary>The webhook signing secret of the connection.</summary>
    public string WebhookSecret => Webhooks.Secret;

    /// <summary>Where Stripe posts this environment's webhooks.</summary>
    public Uri WebhookUri => new(Server.Server.BaseAddress, $"/webhooks/stripe/{Api.EnvironmentId}");

    /// <summary><c>PUT /billing/stripe/connection</c> with this world's key and secret (no import unless asked).</summary>
    public Task<ApiResponse> ConnectAsync(IReadOnlyDictionary<string, object?>? settings = null)
    {
        var body = new Dictionary<string, object?> { ["secret_key"] = Stripe.ApiKey, ["webhook_secret"] = WebhookSecret, ["import"] = false };
        foreach (var (name, value) in settings ?? new Dictionary<string, object?>())
        {
            body[name] = value;
        }

        return Api.PutAsync("/billing/stripe/connection", body);
    }
}
