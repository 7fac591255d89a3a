using Dapper;
using Microsoft.Extensions.Options;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Notifications;

/// <summary>
/// Deletes delivered events (<c>success</c>) older than <see cref="WebhookOptions.DeliveredRetention"/> from the
/// delivery log. Pending and failed deliveries stay whatever their age: they are notices still owed, or ones a user may
/// retry. Runs in the worker's pass, under the lock that makes one node at a time dispatch.
/// </summary>
/// <remarks>
/// The Retention area's walk: the log is read from its oldest row in <c>seq</c> order, one chunk of
/// <see cref="WebhookOptions.CleanupBatchSize"/> rows per transaction, deleting the chunk's expired rows, and the walk
/// stops at the first chunk holding a row created after the cutoff (a row delivered before the cutoff was created before
/// it). It needs no index on the time columns and reads little more than it deletes.
/// </remarks>
internal sealed class WebhookEventRetention(Database database, IOptions<WebhookOptions> options)
{
    /// <summary>One bounded pass at <paramref name="now"/>; answers how many deliveries it deleted.</summary>
    public async Task<long> RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (options.Value.DeliveredRetention is not { } keep)
        {
            return 0;
        }

        var cutoff = (now - keep).ToUnixTimeMilliseconds();
        var batch = options.Value.CleanupBatchSize;
        var after = 0L;
        var deleted = 0L;
        while (true)
        {
            var (last, newest, rows) = await database.WriteAsync(
                async (connection, transaction) =>
                {
                    var chunk = await connection.QuerySingleAsync<(long? Last, long? Newest, long Rows)>(
                        "SELECT MAX(seq), MAX(created_at), COUNT(*) FROM (SELECT seq, created_at FROM webhook_events WHERE seq > @after ORDER BY seq LIMIT @batch) chunk",
                        new { after, batch },
                        transaction).ConfigureAwait(false);
                    if (chunk.Last is { } lastSeq)
                    {
                        deleted += await connection.ExecuteAsync(
                            "DELETE FROM webhook_events WHERE seq > @after AND seq <= @lastSeq AND status = 'success' AND sent_at < @cutoff",
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
}
