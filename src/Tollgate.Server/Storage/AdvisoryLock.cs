using System.Data.Common;
using Dapper;

namespace Tollgate.Server.Storage;

/// <summary>
/// A lock across every node on a PostgreSQL database: a session advisory lock keyed by a 64-bit hash of a text key
/// (named in <see cref="AdvisoryLockNames"/>),
/// held on its own pooled connection until disposed. On SQLite — one process — there is nothing to lock across and
/// <see cref="IsHeld"/> is false.
/// </summary>
internal sealed class AdvisoryLock : IAsyncDisposable
{
    private readonly DbConnection? _connection;
    private readonly string _key;

    private AdvisoryLock(DbConnection? connection, string key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>True when a database lock is held (PostgreSQL).</summary>
    public bool IsHeld => _connection is not null;

    /// <summary>The lock on one company (atomic consumption).</summary>
    public static Task<AdvisoryLock> ForCompanyAsync(Database database, string environmentId, string companyId, CancellationToken cancellationToken) =>
        AcquireAsync(database, AdvisoryLockNames.Company(environmentId, companyId), cancellationToken);

    /// <summary>Takes the lock of <paramref name="key"/>, waiting while another session holds it.</summary>
    public static async Task<AdvisoryLock> AcquireAsync(Database database, string key, CancellationToken cancellationToken) =>
        await TakeAsync(database, key, wait: true, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException("pg_advisory_lock returned without the lock.");

    /// <summary>Takes the lock of <paramref name="key"/> if no other session holds it; null when one does.</summary>
    public static Task<AdvisoryLock?> TryAcquireAsync(Database database, string key, CancellationToken cancellationToken) =>
        TakeAsync(database, key, wait: false, cancellationToken);

    /// <summary>
    /// Takes the lock of <paramref name="key"/> for the rest of <paramref name="transaction"/> (PostgreSQL frees it at
    /// commit or rollback), waiting while another transaction holds it. On SQLite, whose writers already take turns, it
    /// does nothing.
    /// </summary>
    public static async Task ForTransactionAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, string key)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        if (dialect.IsPostgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key }, transaction).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null)
        {
            return;
        }

        try
        {
            await _connection.ExecuteAsync("SELECT pg_advisory_unlock(hashtextextended(@key, 0))", new { key = _key }).ConfigureAwait(false);
        }
        finally
        {
            // If the unlock failed the session is broken or will be reset (DISCARD ALL) before the pool lends the
            // connection again; PostgreSQL frees a lock when its session ends.
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<AdvisoryLock?> TakeAsync(Database database, string key, bool wait, CancellationToken cancellationToken)
    {
        if (!database.Dialect.IsPostgres)
        {
            return new AdvisoryLock(null, key);
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (wait)
            {
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(hashtextextended(@key, 0))", new { key }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                return new AdvisoryLock(connection, key);
            }

            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_lock(hashtextextended(@key, 0))", new { key }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            {
                return new AdvisoryLock(connection, key);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
