using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Tollgate.Client.Datastream;

/// <summary>
/// The WebSocket to <c>GET /datastream</c> that feeds the <see cref="Replica"/> (spec/schematic.md §2): on every
/// connection it asks for all flags and again for every company and user it holds (a resync), then applies what the
/// server pushes. A lost connection is retried with backoff (0.5 s doubling to 30 s, with jitter) until the client
/// stops or the server refuses the key (401 or 403 at the upgrade, or close code 4001).
/// </summary>
internal sealed partial class DatastreamClient : IAsyncDisposable
{
    public const int InvalidKeyCloseCode = 4001;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly string _apiKey;
    private readonly TollgateClientOptions _options;
    private readonly Replica _replica;
    private readonly ILogger _logger;
    private readonly Uri _url;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _waitersGate = new();
    private readonly List<Waiter> _waiters = [];
    private readonly TaskCompletionSource _firstFlags = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private ClientWebSocket? _socket;
    private volatile bool _live;
    private long _disconnectedAtTicks;

    public DatastreamClient(string apiKey, TollgateClientOptions options, Replica replica, ILogger logger)
    {
        _apiKey = apiKey;
        _options = options;
        _replica = replica;
        _logger = logger;
        var builder = new UriBuilder(new Uri(options.BaseUrl, "datastream")) { Scheme = options.BaseUrl.Scheme == "https" ? "wss" : "ws" };
        _url = builder.Uri;
    }

    /// <summary>Connected, with the flags received since: checks can be answered from the replica.</summary>
    public bool IsLive => _live;

    /// <summary>Whether the server refused the key: the stream is not retried, and checks use REST.</summary>
    public bool KeyRefused { get; private set; }

    /// <summary>When the connection was last lost (the replica's data is as of then), or null if it never was live.</summary>
    public DateTimeOffset? DisconnectedAt => Interlocked.Read(ref _disconnectedAtTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>Completes when the first flags have arrived.</summary>
    public Task FirstFlags => _firstFlags.Task;

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>
    /// Asks the server for a company or user the replica does not hold, and waits for it at most
    /// <paramref name="patience"/>: true when it arrived, false when the server does not know it or did not answer.
    /// </summary>
    public async Task<bool> RequestAsync(string entityType, Dictionary<string, string> keys, TimeSpan patience, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(entityType, keys);
        lock (_waitersGate)
        {
            _waiters.Add(waiter);
        }

        try
        {
            await SendAsync(new JsonObject { ["data"] = new JsonObject { ["entity_type"] = entityType, ["keys"] = Keys(keys) } }, cancellationToken).ConfigureAwait(false);
            return await waiter.Done.Task.WaitAsync(patience, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is TimeoutException or WebSocketException or InvalidOperationException)
        {
            return false;
        }
        finally
        {
            lock (_waitersGate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    private async Task RunAsync()
    {
        var attempt = 0;
        while (!_stop.IsCancellationRequested)
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader(TollgateClient.ApiKeyHeader, _apiKey);
            socket.Options.SetRequestHeader("X-Schematic-Client", "tollgate-dotnet");
            socket.Options.SetRequestHeader("X-Schematic-Datastream-Mode", "direct");
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                {
                    connectTimeout.CancelAfter(_options.Timeout);
                    await socket.ConnectAsync(_url, connectTimeout.Token).ConfigureAwait(false);
                }

                _socket = socket;
                attempt = 0;
                LogConnected(_logger, _url);
                await ResyncAsync().ConfigureAwait(false);
                await ReceiveLoopAsync(socket).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or JsonException or HttpRequestException)
            {
                if (!_stop.IsCancellationRequested)
                {
                    LogDisconnected(_logger, exception.Message);
                }
            }
            finally
            {
                MarkDown();
                _socket = null;
                socket.Dispose();
            }

            // Tollgate refuses a bad key at the upgrade (401; 403 for a publishable key); Schematic closes with 4001.
            if (socket.CloseStatus == (WebSocketCloseStatus)InvalidKeyCloseCode || socket.HttpStatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            {
                KeyRefused = true;
                LogInvalidKey(_logger);
                return;
            }

            attempt++;
            var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(attempt - 1, 10))) * (0.8 + (Random.Shared.NextDouble() * 0.4)));
            try
            {
                await Task.Delay(backoff, _options.TimeProvider, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void MarkDown()
    {
        if (_live)
        {
            Interlocked.Exchange(ref _disconnectedAtTicks, _options.TimeProvider.GetUtcNow().UtcTicks);
        }

        _live = false;
        lock (_waitersGate)
        {
            foreach (var waiter in _waiters)
            {
                waiter.Done.TrySetResult(false);
            }
        }
    }

    /// <summary>All flags, and every entity held, again: what changed while disconnected comes back whole.</summary>
    private async Task ResyncAsync()
    {
        await SendAsync(Request("rulesengine.Flags", null), _stop.Token).ConfigureAwait(false);
        var (companies, users) = _replica.Subscriptions();
        foreach (var keys in companies)
        {
            await SendAsync(Request("rulesengine.Company", keys), _stop.Token).ConfigureAwait(false);
        }

        foreach (var keys in users)
        {
            await SendAsync(Request("rulesengine.User", keys), _stop.Token).ConfigureAwait(false);
        }
    }

    private static JsonObject Request(string entityType, Dictionary<string, string>? keys)
    {
        var data = new JsonObject { ["entity_type"] = entityType };
        if (keys is not null)
        {
            data["keys"] = Keys(keys);
        }

        return new JsonObject { ["data"] = data };
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            message.SetLength(0);
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(), _stop.Token).ConfigureAwait(false);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            Apply(message.GetBuffer().AsMemory(0, (int)message.Length));
        }
    }

    private async Task SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new InvalidOperationException("The datastream is not connected.");
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static JsonObject Keys(Dictionary<string, string> keys)
    {
        var o = new JsonObject();
        foreach (var (k, v) in keys)
        {
            o[k] = v;
        }

        return o;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_socket is { } socket)
        {
            socket.Abort();
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _sendLock.Dispose();
    }

    private sealed record Waiter(string EntityType, Dictionary<string, string> Keys)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Datastream connected to {Url}")]
    private static partial void LogConnected(ILogger logger, Uri url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Datastream disconnected ({Reason}); checks use REST until it reconnects")]
    private static partial void LogDisconnected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The datastream refused the API key (401, 403 or close code 4001); it is not retried and checks use REST")]
    private static partial void LogInvalidKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A datastream message could not be applied: {Reason}")]
    private static partial void LogBadMessage(ILogger logger, string reason);
}
