using System.Data.Common;

namespace Tollgate.Server.Storage;

/// <summary>
/// One database, SQLite or PostgreSQL. The SQL Tollgate writes is common to both (parameters as <c>@name</c>, upserts as
/// <c>ON CONFLICT</c>); <see cref="Dialect"/> covers the few differences. Writes go through <see cref="WriteAsync"/>,
/// one transaction each.
/// </summary>
public abstract class Database : IAsyncDisposable
{
    /// <summary>The SQL differences of this provider.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>A short description for logs, without secrets.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The command timeout, in seconds, of background statements whose work grows with the whole store (counting an
    /// environment's companies, backfilling a rollup from every counter): at 1,000,000 companies they outlast the
    /// drivers' 30-second default, and nobody waits on them but a background service, which its own token stops.
    /// </summary>
    public const int WholeStoreStatementSeconds = 1800;

    /// <summary>Opens a pooled connection.</summary>
    public abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it; nothing is written if it throws.</summary>
    public virtual async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
