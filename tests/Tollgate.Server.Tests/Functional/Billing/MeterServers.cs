using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// The server with a fake Stripe and the background meter sync off, so a test decides when the outbox drains
/// (<c>POST /billing/meters/sync</c>) and can set the stage (clock, faults, rows) before.
/// </summary>
public abstract class ManualMeterSyncServer(StoreKind store) : StripeTollgateFactory(store)
{
    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [.. base.ExtraSettings(), new("Tollgate:Stripe:Meters:Enabled", "false")];
}

/// <summary>On SQLite.</summary>
public sealed class ManualMeterSyncSqliteServer() : ManualMeterSyncServer(StoreKind.Sqlite);

/// <summary>On PostgreSQL.</summary>
public sealed class ManualMeterSyncPostgresServer() : ManualMeterSyncServer(StoreKind.Postgres);
