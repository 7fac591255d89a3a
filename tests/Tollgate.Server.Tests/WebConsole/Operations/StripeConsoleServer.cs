using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Operations;

/// <summary>
/// The console's real-browser server with a fake Stripe beside it (as <see cref="StripeTollgateFactory"/> has), so that
/// the Stripe page can be seen connected: tests take an account of their own with <c>Fake.NewAccount()</c>.
/// </summary>
public abstract class StripeConsoleServer(StoreKind store) : ConsoleServer(store)
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
        [.. base.ExtraSettings(), .. _stripe.Settings];
}

/// <summary>On SQLite.</summary>
public sealed class StripeSqliteConsoleServer() : StripeConsoleServer(StoreKind.Sqlite);

/// <summary>On PostgreSQL.</summary>
public sealed class StripePostgresConsoleServer() : StripeConsoleServer(StoreKind.Postgres);
