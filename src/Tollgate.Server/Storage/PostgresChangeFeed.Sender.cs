using System.Text.Json;
using Npgsql;

namespace Tollgate.Server.Storage;

/// <summary>The sending half: this node's changes to the other nodes, in order, retried until sent.</summary>
internal sealed partial class PostgresChangeFeed
{
    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var pending = new Queue<string>();
        var failures = 0;
        while (true)
        {
            try
            {
                if (pending.Count == 0)
                {
                    if (!await _outgoing.WaitAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    foreach (var queued in _outgoing.TakeAll())
                    {
                        foreach (var payload in Payloads(queued))
                        {
                            pending.Enqueue(payload);
                        }
                    }
                }

                await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
                while (pending.Count > 0)
                {
                    // What waits goes in one round trip: under ingestion a commit's notice comes every few milliseconds,
                    // and one round trip per notice made the notices queue behind each other (issue 16, item 4).
                    var sending = Math.Min(pending.Count, MaxNoticesPerRoundTrip);
                    await using (var batch = new NpgsqlBatch((NpgsqlConnection)connection))
                    {
                        foreach (var payload in pending.Take(sending))
                        {
                            var command = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
                            command.Parameters.Add(new NpgsqlParameter { Value = Channel });
                            command.Parameters.Add(new NpgsqlParameter { Value = payload });
                            batch.BatchCommands.Add(command);
                        }

                        // One implicit transaction: the notices are all sent, or none is (and all are sent again).
                        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    // Dequeued only once sent: notices that failed are sent again, in their place.
                    for (var i = 0; i < sending; i++)
                    {
                        pending.Dequeue();
                    }
                }

                if (failures > 0)
                {
                    LogSendRecovered(failures);
                    failures = 0;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever the database did, the sender retries; it ends only when the feed stops.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failures++;
                LogSendRetry(exception, failures, pending.Count);
                if (!await DelayAsync(Backoff(failures), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Waits; false when the feed stopped meanwhile.</summary>
    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private IEnumerable<string> Payloads(QueuedChange queued)
    {
        var change = queued.Change;
        var chunk = new List<string>();
        var size = 0;
        foreach (var id in change.Ids)
        {
            if (chunk.Count > 0 && size + id.Length + 3 > MaxPayloadChars)
            {
                yield return Serialize(change, chunk, queued.PublishedAtMs);
                chunk = [];
                size = 0;
            }

            chunk.Add(id);
            size += id.Length + 3;
        }

        yield return Serialize(change, chunk, queued.PublishedAtMs);
    }

    private string Serialize(Change change, List<string> ids, long publishedAtMs) =>
        JsonSerializer.Serialize(new Notice(_node, change.EnvironmentId, change.Kind, ids, publishedAtMs));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change notices not sent (failure {Failures}, {Pending} notices pending); retrying")]
    private partial void LogSendRetry(Exception exception, int failures, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "Change notices sent again after {Failures} failures")]
    private partial void LogSendRecovered(int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "More than {Capacity} changes waited to be sent: coalesced into 'everything changed' per environment")]
    private partial void LogOutgoingCoalesced(int capacity);

    /// <summary>The wire form of a change; <c>At</c> is when it was published (Unix ms), for the lag.</summary>
    private sealed record Notice(string Node, string Environment, ChangeKind Kind, IReadOnlyList<string> Ids, long At);
}
