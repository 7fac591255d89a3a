using Dapper;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Retention;

/// <summary>
/// The two ways Tollgate deletes what it no longer keeps, a bounded transaction at a time, so that a large backlog never
/// holds one long transaction: <see cref="DeleteOldestAsync"/> for logs appended in time order, and
/// <see cref="DeleteExpiredAsync"/> for rows that carry their own expiry.
/// </summary>
internal static class ChunkedDeletion
{
    /// <summary>
    /// Walks <paramref name="table"/> from its oldest row in <c>seq</c> order, one chunk of <paramref name="batch"/> rows
    /// per transaction, deleting the chunk's rows that match <paramref name="expired"/> (which may use
    /// <c>@cutoff</c>), and stops at the first chunk that reaches a row whose <paramref name="timeColumn"/> is at or after
    /// the cutoff. Rows are appended in time order, so this reads little more than it deletes and needs no index on the
    /// time columns (which would cost every append); a row older than a younger row before it waits for the next run
    /// after that one expires. <paramref name="table"/>, <paramref name="timeColumn"/> and <paramref name="expired"/> are
    /// trusted constants. Answers how many rows it deleted.
    /// </summary>
    public static async Task<long> DeleteOldestAsync(
        Database database, string table, string timeColumn, string expired, long cutoff, int batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var after = 0L;
        var deleted = 0L;
        while (true)
        {
            var (last, newest, rows) = await database.WriteAsync(
                async (connection, transaction) =>
                {
                    var chunk = await connection.QuerySingleAsync<(long? Last, long? Newest, long Rows)>(
                        $"SELECT MAX(seq), MAX({timeColumn}), COUNT(*) FROM (SELECT seq, {timeColumn} FROM {table} WHERE seq > @after ORDER BY seq LIMIT @batch) chunk",
                        new { after, batch },
                        transaction).ConfigureAwait(false);
                    if (chunk.Last is { } lastSeq)
                    {
                        deleted += await connection.ExecuteAsync(
                            $"DELETE FROM {table} WHERE seq > @after AND seq <= @lastSeq AND {expired}",
                            new { after, lastSeq, cutoff },
                            transaction).ConfigureAwait(false);
                    }

                    return chunk;
                },
                cancellationToken).ConfigureAwait(false);
            if (last is not { } lastSeq || rows < batch || newest >= cutoff)
            {
                return deleted;
            }

            after = lastSeq;
        }
    }

    /// <summary>
    /// Deletes the rows of <paramref name="table"/> whose <paramref name="expiryColumn"/> is before
    /// <paramref name="cutoff"/> (a null expiry never comes), at most <paramref name="batch"/> per transaction, found by
    /// the index on that column and named by <paramref name="keyColumns"/> (the table's key, e.g.
    /// <c>environment_id, dedupe_key</c>). All three are trusted constants. Answers how many rows it deleted.
    /// </summary>
    public static async Task<long> DeleteExpiredAsync(
        Database database, string table, string keyColumns, string expiryColumn, long cutoff, int batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var deleted = 0L;
        while (true)
        {
            var chunk = await database.WriteAsync(
                (connection, transaction) => connection.ExecuteAsync(
                    $"DELETE FROM {table} WHERE ({keyColumns}) IN (SELECT {keyColumns} FROM {table} WHERE {expiryColumn} < @cutoff LIMIT @batch)",
                    new { cutoff, batch },
                    transaction),
                cancellationToken).ConfigureAwait(false);
            deleted += chunk;
            if (chunk < batch)
            {
                return deleted;
            }
        }
    }
}
