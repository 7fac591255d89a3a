using System.Data.Common;
using Npgsql;

namespace Tollgate.Server.Storage;

/// <summary>PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>; several Tollgate nodes may share it.</summary>
public sealed class PostgresDatabase : Database
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _connectionString;

    /// <summary>Connects to the database the connection string names.</summary>
    public PostgresDatabase(string connectionString)
    {
        _connectionString = connectionString;
        _dataSource = NpgsqlDataSource.Create(WithAutomaticPreparation(connectionString));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>
    /// Statements a connection runs again and again are prepared on it, unless the connection string says otherwise:
    /// the server's SQL text is fixed per purpose (parameters, not literals), so a check's or a commit's statements are
    /// planned once per pooled connection instead of on every run (planning was ~1.2 ms of a cold check's reads).
    /// </summary>
    internal static string WithAutomaticPreparation(string connectionString)
    {
        // NpgsqlConnectionStringBuilder.ContainsKey is true for every keyword it knows, so the keys the string itself
        // names are read with the base builder.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare"))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 256, AutoPrepareMinUsages = 2 }.ConnectionString;
    }

    /// <inheritdoc />
    public override SqlDialect Dialect => SqlDialect.Postgres;

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A connection outside the pool, for a long-lived <c>LISTEN</c>.</summary>
    public async ValueTask<System.Data.Common.DbConnection> OpenDedicatedAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false, KeepAlive = 30 };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
