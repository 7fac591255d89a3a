using System.Net;
using System.Text.Json;
using Stripe;
using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// One test's metering world: an environment connected to its own account on the fake Stripe, a Stripe customer, a
/// company keyed by it, and (optionally) a meter for <c>api_call</c> made through <c>POST /billing/meters</c>.
/// </summary>
public sealed record MeterWorld(TollgateFactory Server, ApiClient Api, FakeStripeAccount Stripe, string CustomerId)
{
    public const string Subtype = "api_call";
    public const string Company = "acme";

    /// <summary>Connects a new environment of <paramref name="server"/> to a new account on <paramref name="fake"/>.</summary>
    public static async Task<MeterWorld> CreateAsync(TollgateFactory server, FakeStripeServer fake, bool meter = true)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(fake);
        var api = await server.NewEnvironmentAsync();
        var account = fake.NewAccount();
        (await api.PutAsync("/billing/stripe/connection", new { secret_key = account.ApiKey, webhook_secret = $"whsec_{Guid.NewGuid():N}", import = false }))
            .ShouldBe(HttpStatusCode.OK);
        var world = new MeterWorld(server, api, account, await NewCustomerAsync(account));
        await world.CompanyAsync(Company, world.CustomerId);
        if (meter)
        {
            (await api.PostAsync("/billing/meters", new { event_subtype = Subtype, display_name = "API calls" })).ShouldBe(HttpStatusCode.Created);
        }

        return world;
    }

    /// <summary>A customer in this world's Stripe account.</summary>
    public static async Task<string> NewCustomerAsync(FakeStripeAccount account) =>
        (await account.CreateClient().V1.Customers.CreateAsync(new CustomerCreateOptions { Name = "Acme" })).Id;

    /// <summary>The same world seen through another node on the same database.</summary>
    public MeterWorld On(TollgateFactory node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var api = node.Api(Api.Key);
        api.Key = Api.Key;
        api.EnvironmentId = Api.EnvironmentId;
        return this with { Server = node, Api = api };
    }

    /// <summary>A company with key <c>id</c> and, when given, <c>stripe_customer_id</c>.</summary>
    public async Task CompanyAsync(string key, string? customerId)
    {
        var keys = new Dictionary<string, string> { ["id"] = key };
        if (customerId is not null)
        {
            keys["stripe_customer_id"] = customerId;
        }

        (await Api.PostAsync("/companies", new { keys, name = key })).ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Tracks usage, one <c>/batch</c> request per quantity.</summary>
    public async Task TrackAsync(string subtype, string company, params long[] quantities)
    {
        foreach (var quantity in quantities)
        {
            await Events.SendAsync(Api, Events.Track(subtype, company, quantity));
        }
    }

    /// <summary>What the fake Stripe counted for a customer and event name (canceled events excluded).</summary>
    public long StripeTotal(string customerId, string eventName = Subtype) =>
        Stripe.Store.MeterEvents.Where(e => e.CustomerId == customerId && e.EventName == eventName && !e.Canceled).Sum(e => e.Value);

    /// <summary><c>POST /billing/meters/sync</c>: the run's data.</summary>
    public async Task<JsonElement> SyncAsync() => (await Api.PostAsync("/billing/meters/sync", null)).ShouldBe(HttpStatusCode.OK).Data;

    /// <summary>
    /// Syncs until nothing is pending, moving the server's clock past each backoff (at most <paramref name="rounds"/>).
    /// </summary>
    public async Task<JsonElement> SyncUntilSettledAsync(int rounds = 20)
    {
        for (var round = 0; round < rounds; round++)
        {
            var run = await SyncAsync();
            var status = run.GetProperty("status");
            if (run.GetProperty("outcome").GetString() == "done" && status.GetProperty("pending").GetInt64() == 0 && IsUnset(status, "retry_at"))
            {
                return run;
            }

            Server.Time.Advance(TimeSpan.FromMinutes(10));
        }

        throw new Xunit.Sdk.XunitException($"the meter outbox did not settle in {rounds} rounds; last status: {(await StatusAsync())}");
    }

    /// <summary>True when a property is absent or null (stored documents leave nulls out).</summary>
    public static bool IsUnset(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    /// <summary>The meter sync's status as <c>GET /billing/stripe/connection</c> shows it.</summary>
    public async Task<JsonElement> StatusAsync() =>
        (await Api.GetAsync("/billing/stripe/connection")).ShouldBe(HttpStatusCode.OK).Data.GetProperty("status").GetProperty("meters");
}
