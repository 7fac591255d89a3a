using System.Text.Json;
using Npgsql;

namespace Tollgate.Server.Storage;

/// <summary>The listening half: the other nodes' changes, delivered here in the order they arrive.</summary>
internal sealed partial class PostgresChangeFeed
{
    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        // True once notices may have been missed: after any connection was lost or failed to open.
        var mayHaveMissed = false;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = (NpgsqlConnection)await _database.OpenDedicatedAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (mayHaveMissed)
                {
                    // Queued after LISTEN: whatever is read to resync, later notices are heard and applied after it.
                    Interlocked.Increment(ref _reconnects);
                    _incoming.Add(Change.Everything(Change.AllEnvironments), NowMs());
                    LogListenRecovered(failures);
                }

                mayHaveMissed = true;
                failures = 0;
                _listening = true;
                while (true)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever broke the connection, the listener reconnects; it ends only when the feed stops.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _listening = false;
                mayHaveMissed = true;
                failures++;
                LogListenFailed(exception, failures);
                if (!await DelayAsync(Backoff(failures), cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    /// <summary>On the connection's thread: only parses and queues; <see cref="DeliverIncomingAsync"/> applies.</summary>
    private void Receive(string payload)
    {
        Notice? notice;
        try
        {
            notice = JsonSerializer.Deserialize<Notice>(payload);
        }
        catch (JsonException exception)
        {
            LogBadNotice(exception);
            return;
        }

        if (notice is null || notice.Node == _node)
        {
            return;
        }

        // A kind this node does not know (a newer node sent it) is safest read as "anything may have changed".
        var change = notice.Environment == Change.AllEnvironments || !Enum.IsDefined(notice.Kind)
            ? Change.Everything(notice.Environment)
            : new Change(notice.Environment, notice.Kind, notice.Ids ?? []);
        if (_incoming.Add(change with { FromOtherNode = true }, notice.At))
        {
            LogIncomingCoalesced(QueueCapacity);
        }
    }

    private async Task DeliverIncomingAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _incoming.WaitAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var queued in ChangeQueue.MergeAdjacent(_incoming.TakeAll()))
                {
                    // Never throws but on stop: DeliverAsync isolates the subscribers.
                    await DeliverAsync(queued.Change, cancellationToken).ConfigureAwait(false);
                    if (queued.PublishedAtMs > 0)
                    {
                        RecordRemoteLag(TimeSpan.FromMilliseconds(NowMs() - queued.PublishedAtMs));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for change notices failed (failure {Failures}); reconnecting")]
    private partial void LogListenFailed(Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for change notices again after {Failures} failures: every subscriber resyncs")]
    private partial void LogListenRecovered(int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change notice that is not one of Tollgate's was ignored")]
    private partial void LogBadNotice(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "More than {Capacity} change notices waited to be applied: coalesced into 'everything changed' per environment")]
    private partial void LogIncomingCoalesced(int capacity);
}
