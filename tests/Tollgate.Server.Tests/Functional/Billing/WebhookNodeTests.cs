using System.Net;
using Stripe;
using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// Webhooks with several nodes and restarts: a delivery taken by one node changes the checks of another, and a
/// delivery acknowledged by a node that stops before it could act is carried out by the next node on the database.
/// </summary>
public sealed class WebhookNodeTests
{
    private const string Secret = "whsec_webhook_node_tests_0123456789";

    [Fact]
    public async Task AWebhookTakenByOneNodeChangesTheChecksOfTheOther()
    {
        await using var fake = await FakeStripeServer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TollgateFactory.Start));
        await using var database = await SharedDatabase.CreateAsync(StoreKind.Postgres);
        await using var a = await StripeNode.StartAsync(StoreKind.Postgres, database.Name, fake, backgroundSync: false);
        await using var b = await StripeNode.StartAsync(StoreKind.Postgres, database.Name, fake, backgroundSync: false);
        var world = await SetUpAsync(a, fake);
        var onA = a.Api(world.Api.Key);
        Assert.False(await SsoAsync(onA)); // warm on A: the company's view is cached there

        var sender = new WebhookSender(Secret, b.CreateClient(), b.Time);
        sender.Collect(world.Account);
        await world.Account.CreateClient().V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions { Customer = world.CustomerId, Items = [new() { Price = world.ProPrice }] });
        var deliveries = await sender.FlushAsync(new Uri(b.Server.BaseAddress, $"/webhooks/stripe/{world.Api.EnvironmentId}"));

        Assert.All(deliveries, d => Assert.Equal(200, d.Status));
        await BillingScenario.EventuallyAsync(() => SsoAsync(onA), "node A's check shows the plan node B took from the webhook");
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task AnAcknowledgedWebhookIsCarriedOutAfterItsNodeStops(StoreKind store)
    {
        await using var fake = await FakeStripeServer.StartAsync(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(TollgateFactory.Start));
        await using var database = await SharedDatabase.CreateAsync(store);
        var first = await StripeNode.StartAsync(store, database.Name, fake, backgroundSync: false);
        var world = await SetUpAsync(first, fake);
        var sender = new WebhookSender(Secret, first.CreateClient(), first.Time);
        sender.Collect(world.Account);
        await world.Account.CreateClient().V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions { Customer = world.CustomerId, Items = [new() { Price = world.ProPrice }] });

        // Stripe fails every read while the first node has the event: it is acknowledged, tried, and left pending.
        fake.Faults.Enqueue(Fault.ServerError(500), "/v1/*", times: 10_000, method: "GET");
        var deliveries = await sender.FlushAsync(new Uri(first.Server.BaseAddress, $"/webhooks/stripe/{world.Api.EnvironmentId}"));
        Assert.All(deliveries, d => Assert.Equal(200, d.Status));
        await BillingScenario.EventuallyAsync(
            async () => (await world.Api.GetAsync("/billing/stripe/webhook-events?status=pending")).Data.EnumerateArray()
                .Any(e => e.GetProperty("type").GetString() == "customer.subscription.created" && e.GetProperty("attempts").GetInt32() > 0),
            "the first node tried the event and kept it");
        await first.DisposeAsync();
        fake.Faults.Clear();

        await using var second = await StripeNode.StartAsync(store, database.Name, fake, backgroundSync: false);
        second.Time.Advance(TimeSpan.FromMinutes(5)); // past the backoff (and the claim's lease)
        var onSecond = second.Api(world.Api.Key);
        await BillingScenario.EventuallyAsync(() => SsoAsync(onSecond), "the second node carries out the acknowledged event");
    }

    private static async Task<NodeWorld> SetUpAsync(StripeNode node, FakeStripeServer fake)
    {
        var api = await node.NewEnvironmentAsync();
        var account = fake.NewAccount();
        var sso = await Given.BooleanFeatureAsync(api, "sso");
        var free = await Given.PlanAsync(api, "Free");
        var pro = await Given.PlanAsync(api, "Pro");
        await Given.EntitlementAsync(api, new { planId = pro, featureId = sso, valueType = "boolean", valueBool = true });
        await Given.CompanyAsync(api, "acme", free);
        (await api.PutAsync("/billing/stripe/connection", new Dictionary<string, object?>
        {
            ["secret_key"] = account.ApiKey, ["webhook_secret"] = Secret, ["fallback_plan_id"] = free, ["import"] = false,
        })).ShouldBe(HttpStatusCode.OK);

        var stripe = account.CreateClient();
        var product = await stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Pro", Metadata = new() { ["tollgate_plan_id"] = pro } });
        var price = await stripe.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = product.Id, Currency = "usd", UnitAmount = 5000, Recurring = new PriceRecurringOptions { Interval = "month" },
        });
        var customer = await stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Name = "Acme", Metadata = new() { ["id"] = "acme" } });
        return new NodeWorld(api, account, price.Id, customer.Id);
    }

    private static async Task<bool> SsoAsync(ApiClient api) =>
        (await api.PostAsync("/flags/sso/check", new { company = Given.Keys("acme") })).ShouldBe(HttpStatusCode.OK).Data.GetProperty("value").GetBoolean();

    private sealed record NodeWorld(ApiClient Api, FakeStripeAccount Account, string ProPrice, string CustomerId);
}
