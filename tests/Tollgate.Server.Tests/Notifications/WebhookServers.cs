using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Notifications;

/// <summary>
/// The server with a webhook worker that polls every 50 ms of real time (so a test that moves the fake clock sees the
/// next pass at once) and disables an endpoint after 3 failures in a row instead of 25.
/// </summary>
public abstract class WebhookServer(StoreKind store) : TollgateFactory(store)
{
    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [.. base.ExtraSettings(), new("Tollgate:Webhooks:PollInterval", "00:00:00.050"), new("Tollgate:Webhooks:DisableAfterFailures", "3")];
}

/// <summary>On SQLite.</summary>
public sealed class WebhookSqliteServer() : WebhookServer(StoreKind.Sqlite);

/// <summary>On PostgreSQL.</summary>
public sealed class WebhookPostgresServer() : WebhookServer(StoreKind.Postgres);
