using Stripe;
using Stripe.Billing;
using Tollgate.FakeStripe;

namespace Tollgate.Stripe.Tests.Outbound;

/// <summary>An account on a fake Stripe reached through the adapter (<see cref="StripeAccount"/>), with Stripe.net's retries off.</summary>
internal sealed class OutboundFake : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    private OutboundFake(FakeStripeServer server)
    {
        Server = server;
        Stripe = server.NewAccount();
        Account = new StripeAccount(Stripe.ApiKey, StripeEndpoints.At(server.BaseUrl), _http, maxNetworkRetries: 0);
    }

    public FakeStripeServer Server { get; }

    public FakeStripeAccount Stripe { get; }

    public StripeAccount Account { get; }

    public static async Task<OutboundFake> StartAsync() => new(await FakeStripeServer.StartAsync());

    /// <summary>A meter on the account, for metered prices.</summary>
    public async Task<string> MeterAsync(string eventName) =>
        (await Stripe.CreateClient().V1.Billing.Meters.CreateAsync(new MeterCreateOptions
        {
            DisplayName = eventName, EventName = eventName, DefaultAggregation = new MeterDefaultAggregationOptions { Formula = "sum" },
        })).Id;

    /// <summary>A customer subscribed to <paramref name="priceId"/> × <paramref name="quantity"/> (set up directly, not through the adapter).</summary>
    public async Task<Subscription> SubscriptionAsync(string priceId, long quantity)
    {
        var client = Stripe.CreateClient();
        var customer = await client.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "buyer@acme.test" });
        return await client.V1.Subscriptions.CreateAsync(new SubscriptionCreateOptions
        {
            Customer = customer.Id, Items = [new SubscriptionItemOptions { Price = priceId, Quantity = quantity }],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _http.Dispose();
    }
}
