using System.Text.Json;
using System.Threading.Channels;
using Npgsql;

namespace Tollgate.Server.Storage;

/// <summary>
/// The change feed over PostgreSQL <c>LISTEN/NOTIFY</c>: notices go out on channel <c>tollgate_changes</c> as small JSON
/// payloads naming the sending node, so a node ignores its own. A listening connection that breaks is reopened, and
/// every subscriber is then told to forget everything (<see cref="Everything"/>), since notices may have been missed.
/// </summary>
internal sealed partial class PostgresChangeFeed(PostgresDatabase database, ILogger<PostgresChangeFeed> logger) : ChangeFeed, IHostedService, IAsyncDisposable
{
    public const string Channel = "tollgate_changes";

    /// <summary>The environment id of the notice that means "you may have missed notices: drop all warm state".</summary>
    public const string Everything = "*";

    // NOTIFY payloads must stay under 8,000 bytes; ids are chunked well below that.
    private const int MaxPayloadChars = 6_000;

    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly Channel<Change> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<Change>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _listener;
    private Task? _sender;
    private Task? _stop;

    /// <inheritdoc />
    public override void Publish(Change change) => _outgoing.Writer.TryWrite(change);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = Task.Run(() => ListenAsync(_stopping.Token), CancellationToken.None);
        _sender = Task.Run(() => SendAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Sends what is queued (for up to 2 s) and stops listening. The host and the container may both stop it, even at
    /// once: every caller awaits the one stop.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_outgoing)
        {
            return _stop ??= StopOnceAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task StopOnceAsync()
    {
        _outgoing.Writer.TryComplete();
        if (_sender is not null)
        {
            // Let the last notices go out, but do not hold shutdown hostage.
            await Task.WhenAny(_sender, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_listener is not null)
        {
            await Task.WhenAny(_listener, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in _outgoing.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var payload in Payloads(change))
                {
                    await SendOneAsync(payload, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendOneAsync(string payload, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", (NpgsqlConnection)connection);
                command.Parameters.AddWithValue("channel", Channel);
                command.Parameters.AddWithValue("payload", payload);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException && attempt < 5)
            {
                LogSendRetry(exception, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private IEnumerable<string> Payloads(Change change)
    {
        var chunk = new List<string>();
        var size = 0;
        foreach (var id in change.Ids)
        {
            if (chunk.Count > 0 && size + id.Length + 3 > MaxPayloadChars)
            {
                yield return Serialize(change, chunk);
                chunk = [];
                size = 0;
            }

            chunk.Add(id);
            size += id.Length + 3;
        }

        yield return Serialize(change, chunk);
    }

    private string Serialize(Change change, List<string> ids) =>
        JsonSerializer.Serialize(new Notice(_node, change.EnvironmentId, change.Kind, ids));

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var firstConnection = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = (NpgsqlConnection)await database.OpenDedicatedAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) => Receive(e.Payload, cancellationToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (!firstConnection)
                {
                    // Notices sent while no connection listened are lost: start from the store again.
                    await DeliverAsync(new Change(Everything, ChangeKind.Catalog, []), cancellationToken).ConfigureAwait(false);
                }

                firstConnection = false;
                while (!cancellationToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or IOException)
            {
                firstConnection = false;
                LogListenFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Receive(string payload, CancellationToken cancellationToken)
    {
        Notice? notice;
        try
        {
            notice = JsonSerializer.Deserialize<Notice>(payload);
        }
        catch (JsonException)
        {
            return;
        }

        if (notice is null || notice.Node == _node)
        {
            return;
        }

        // Handlers may read the store; never on the connection's notification thread.
        _ = Task.Run(
            async () =>
            {
                try
                {
                    await DeliverAsync(new Change(notice.Environment, notice.Kind, notice.Ids), cancellationToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A failed refresh must not kill the listener; it is logged.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    LogApplyFailed(exception, notice.Kind, notice.Environment);
                }
            },
            CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change notice not sent (attempt {Attempt}); retrying")]
    private partial void LogSendRetry(Exception exception, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for change notices failed; reconnecting")]
    private partial void LogListenFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Applying a {Kind} change notice of environment {Environment} failed")]
    private partial void LogApplyFailed(Exception exception, ChangeKind kind, string environment);

    private sealed record Notice(string Node, string Environment, ChangeKind Kind, IReadOnlyList<string> Ids);
}
