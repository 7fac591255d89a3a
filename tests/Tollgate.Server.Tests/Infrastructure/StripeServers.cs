using Tollgate.FakeStripe;

namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>
/// The real server with a fake Stripe beside it (both on the server's fake clock), its Stripe calls pointed at the fake
/// and Stripe.net's own retries off so that tests see every failure. Tests take an account of their own on the fake
/// (<see cref="StripeWorld"/>).
/// </summary>
public abstract class StripeTollgateFactory(StoreKind store) : TollgateFactory(store)
{
    private readonly FakeStripeBeside _stripe = new();

    /// <summary>The fake Stripe.</summary>
    public FakeStripeServer Fake => _stripe.Fake;

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        await _stripe.StartAsync(Time);
        await base.InitializeAsync();
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _stripe.DisposeAsync();

        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        _stripe.Settings;
}

/// <summary>The server on SQLite with a fake Stripe.</summary>
public sealed class StripeSqliteServer() : StripeTollgateFactory(StoreKind.Sqlite);

/// <summary>The server on PostgreSQL with a fake Stripe.</summary>
public sealed class StripePostgresServer() : StripeTollgateFactory(StoreKind.Postgres);
