namespace Tollgate.FakeStripe;

/// <summary>
/// One Stripe account on the fake: its secret key, its objects and events, and the simulator of its Stripe-side
/// changes. Accounts share nothing but the server (faults and the request log are server-wide; filter the log with
/// <see cref="Requests"/>), so tests running side by side each take their own with <see cref="FakeStripeServer.NewAccount"/>.
/// </summary>
public sealed class FakeStripeAccount
{
    private readonly FakeStripeServer _server;

    internal FakeStripeAccount(FakeStripeServer server, string apiKey, TimeProvider time)
    {
        _server = server;
        ApiKey = apiKey;
        Store = new FakeStripeStore(time);
        Simulate = new FakeStripeSimulator(Store);
    }

    /// <summary>The account's secret key.</summary>
    public string ApiKey { get; }

    /// <summary>The account's objects, events and meter events.</summary>
    public FakeStripeStore Store { get; }

    /// <summary>Test hooks that change state as Stripe would on its own (renewals, trials, failed payments...).</summary>
    public FakeStripeSimulator Simulate { get; }

    /// <summary>A Stripe.net client of this account on the fake.</summary>
    public global::Stripe.StripeClient CreateClient(int maxNetworkRetries = 0) => _server.CreateClient(maxNetworkRetries, ApiKey);

    /// <summary>Every request made to this account, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _server.Requests.Where(r => r.AccountKey == ApiKey)];

    /// <summary>Requests to one path (and optionally method) of this account, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> RequestsTo(string path, string? method = null) =>
        [.. Requests.Where(r => r.Path == path && (method is null || r.Method == method))];
}
