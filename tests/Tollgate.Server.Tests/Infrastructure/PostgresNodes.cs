namespace Tollgate.Server.Tests.Infrastructure;

/// <summary>One of several Tollgate nodes on one PostgreSQL database.</summary>
public sealed class PostgresNode(string database) : TollgateFactory(StoreKind.Postgres, database);

/// <summary>
/// Two Tollgate nodes — two complete servers, each with its own warm state — on one PostgreSQL database (a class
/// fixture): what a scaled-out deployment runs.
/// </summary>
public sealed class PostgresNodes : IAsyncLifetime
{
    private readonly string _database = $"tollgate_nodes_{Guid.NewGuid():N}";

    public PostgresNode A { get; private set; } = null!;

    public PostgresNode B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await TestPostgres.CreateDatabaseAsync(_database);
        A = new PostgresNode(_database);
        await ((IAsyncLifetime)A).InitializeAsync();
        B = new PostgresNode(_database);
        await ((IAsyncLifetime)B).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)A).DisposeAsync();
        await ((IAsyncLifetime)B).DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_database);
    }
}
