using Tollgate.Server.Tests.Infrastructure;
using Tollgate.Server.Tests.WebConsole.Infrastructure;

namespace Tollgate.Server.Tests.WebConsole.Accounts;

/// <summary>The console server with single sign-on through a <see cref="FakeIdentityProvider"/> started before it.</summary>
public abstract class OidcConsoleServer(StoreKind store) : ConsoleServer(store)
{
    private FakeIdentityProvider? _provider;

    /// <summary>The identity provider the console trusts.</summary>
    public FakeIdentityProvider Provider => _provider ?? throw new InvalidOperationException("InitializeAsync starts the provider.");

    /// <inheritdoc />
    public override async Task InitializeAsync()
    {
        // Single sign-on's state and nonce cookies carry an expiry the server computes from its clock and the browser
        // judges by the real one: a server clock behind real time would send cookies the browser drops as expired.
        // So this server's fake clock starts at the real time (it still only moves when the tests move it).
        Time.Advance(DateTimeOffset.UtcNow - Time.GetUtcNow());
        _provider = await FakeIdentityProvider.StartAsync(Time);
        await base.InitializeAsync();
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        .. base.ExtraSettings(),
        new("Tollgate:Console:Oidc:Authority", Provider.Authority),
        new("Tollgate:Console:Oidc:ClientId", FakeIdentityProvider.ClientId),
        new("Tollgate:Console:Oidc:ClientSecret", FakeIdentityProvider.ClientSecret),
        new("Tollgate:Console:Oidc:DisplayName", "Sign in with Fake IdP"),
        new("Tollgate:Console:Oidc:AllowHttpAuthority", "true"),
    ];

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
            _provider = null;
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>Single sign-on on SQLite.</summary>
public sealed class OidcSqliteConsoleServer() : OidcConsoleServer(StoreKind.Sqlite);

/// <summary>Single sign-on on PostgreSQL.</summary>
public sealed class OidcPostgresConsoleServer() : OidcConsoleServer(StoreKind.Postgres);
