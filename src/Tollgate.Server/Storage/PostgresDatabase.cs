using System.Data.Common;
using Npgsql;

namespace Tollgate.Server.Storage;

/// <summary>PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>; several Tollgate nodes may share it.</summary>
public sealed class PostgresDatabase : Database
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Connects to the database the connection string names.</summary>
    public PostgresDatabase(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <inheritdoc />
    public override SqlDialect Dialect => SqlDialect.Postgres;

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
