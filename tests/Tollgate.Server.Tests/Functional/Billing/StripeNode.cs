using Tollgate.FakeStripe;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Functional.Billing;

/// <summary>
/// A Tollgate node on a database other nodes share (a SQLite file or a PostgreSQL database, made and dropped by the
/// test), talking to a fake Stripe the test owns: for restarts and several nodes.
/// </summary>
public sealed class StripeNode(StoreKind store, string database, FakeStripeServer fake, bool backgroundSync, TimeSpan pollInterval)
    : TollgateFactory(store, database)
{
    /// <summary>Starts a node; its background sync (when on) polls every 50 ms unless told otherwise.</summary>
    public static async Task<StripeNode> StartAsync(StoreKind store, string database, FakeStripeServer fake, bool backgroundSync, TimeSpan? pollInterval = null)
    {
        var node = new StripeNode(store, database, fake, backgroundSync, pollInterval ?? TimeSpan.FromMilliseconds(50));
        await node.InitializeAsync();
        return node;
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("Tollgate:Stripe:ApiBase", fake.BaseUrl),
        new("Tollgate:Stripe:MaxNetworkRetries", "0"),
        new("Tollgate:Stripe:Meters:Enabled", backgroundSync ? "true" : "false"),
        new("Tollgate:Stripe:Meters:PollInterval", pollInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

/// <summary>A database for <see cref="StripeNode"/>s: a fresh PostgreSQL database or a temporary SQLite file name.</summary>
public sealed class SharedDatabase : IAsyncDisposable
{
    private SharedDatabase(StoreKind store, string name)
    {
        Store = store;
        Name = name;
    }

    public StoreKind Store { get; }

    public string Name { get; }

    public static async Task<SharedDatabase> CreateAsync(StoreKind store)
    {
        var name = $"tollgate_meters_{Guid.NewGuid():N}";
        if (store == StoreKind.Postgres)
        {
            await TestPostgres.CreateDatabaseAsync(name);
        }

        return new SharedDatabase(store, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Store == StoreKind.Postgres)
        {
            await TestPostgres.DropDatabaseAsync(Name);
            return;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { ".db", ".db-wal", ".db-shm" })
        {
            File.Delete(Path.Combine(Path.GetTempPath(), Name + suffix));
        }
    }
}
