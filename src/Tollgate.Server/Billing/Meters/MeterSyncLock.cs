using System.Data.Common;
using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Billing.Meters;

/// <summary>
/// The right to drain one environment's meter outbox across every node on a PostgreSQL database: a session advisory
/// lock taken without waiting (a node that does not get it leaves the environment to the one that has it), held on its
/// own pooled connection until disposed; PostgreSQL frees it if the node dies. SQLite has one process: always granted.
/// </summary>
internal sealed class MeterSyncLock : IAsyncDisposable
{
    private readonly DbConnection? _connection;
    private readonly string _key;

    private MeterSyncLock(DbConnection? connection, string key, bool acquired)
    {
        _connection = connection;
        _key = key;
        Acquired = acquired;
    }

    /// <summary>True when this node may drain the environment now.</summary>
    public bool Acquired { get; }

    public static async Task<MeterSyncLock> TryAcquireAsync(Database database, string environmentId, CancellationToken cancellationToken)
    {
        var key = "tollgate.meter_sync/" + environmentId;
        if (!database.Dialect.IsPostgres)
        {
            return new MeterSyncLock(null, key, acquired: true);
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var acquired = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_lock(hashtextextended(@key, 0))", new { key }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (acquired)
            {
                return new MeterSyncLock(connection, key, acquired: true);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            return new MeterSyncLock(null, key, acquired: false);
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
            // If the unlock failed the session is broken or reset (DISCARD ALL) before reuse, which frees the lock.
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
