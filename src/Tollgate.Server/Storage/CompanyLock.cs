using System.Data.Common;
using Dapper;

namespace Tollgate.Server.Storage;

/// <summary>
/// A lock on one company across every node on a PostgreSQL database: a session advisory lock keyed by a 64-bit hash of
/// the environment and company, held on its own pooled connection until disposed. On SQLite — one process — there is
/// nothing to lock across and <see cref="IsHeld"/> is false.
/// </summary>
internal sealed class CompanyLock : IAsyncDisposable
{
    private readonly DbConnection? _connection;
    private readonly string _key;

    private CompanyLock(DbConnection? connection, string key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>True when a database lock is held (PostgreSQL).</summary>
    public bool IsHeld => _connection is not null;

    public static async Task<CompanyLock> AcquireAsync(Database database, string environmentId, string companyId, CancellationToken cancellationToken)
    {
        var key = environmentId + "/" + companyId;
        if (!database.Dialect.IsPostgres)
        {
            return new CompanyLock(null, key);
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(hashtextextended(@key, 0))", new { key }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return new CompanyLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
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
}
