using Tollgate.FakeStripe;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// A fake Stripe started beside a server under test, and the settings that point the server at it (no retries: the
/// tests assert exactly what Stripe received). Server fixtures of any kind hold one (<see cref="StripeTollgateFactory"/>,
/// the console's Kestrel server): they start it before the server, because the settings name its address.
/// </summary>
public sealed class FakeStripeBeside : IAsyncDisposable
{
    private FakeStripeServer? _fake;

    /// <summary>The fake Stripe.</summary>
    public FakeStripeServer Fake => _fake ?? throw new InvalidOperationException("StartAsync starts the fake.");

    /// <summary>The server's Stripe settings: the fake's address, and no retries.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Tollgate:Stripe:ApiBase", Fake.BaseUrl),
        new("Tollgate:Stripe:MaxNetworkRetries", "0"),
    ];

    /// <summary>Starts the fake on the server's clock.</summary>
    public async Task StartAsync(TimeProvider time) => _fake = await FakeStripeServer.StartAsync(time);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
            _fake = null;
        }
    }
}
