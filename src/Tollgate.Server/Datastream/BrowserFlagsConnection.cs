using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Tollgate.Server.Environments;
using Tollgate.Server.Evaluation;
using Tollgate.Server.Storage;

namespace Tollgate.Server.Datastream;

/// <summary>
/// The browser SDK's live flags (<c>@schematichq/schematic-js</c>, <c>/flags/bootstrap</c>): the page sends its context
/// (<c>{"apiKey", "clientVersion", "data": {"company"?, "user"?}}</c>, again whenever the context changes), and is sent
/// <c>{"flags": [CheckFlagResponseData…], "credit_balances"?, "plan"?}</c> for it at once and after every change to
/// the company's plan, overrides, usage or credits, its user, or the catalog.
/// </summary>
/// <remarks>
/// As on the datastream, what is due is a flag, not a queue: a burst of changes is one push of the latest answers, and
/// a page that does not read is closed when a send outlasts <see cref="SendTimeout"/>. A push whose answers equal the
/// last one sent is skipped, except the first answer to a context, which the SDK waits for.
/// </remarks>
internal sealed partial class BrowserFlagsConnection(WebSocket socket, RequestScope scope, EnvironmentRuntime runtime, SubscriberIndex index, CheckService checks, ILogger logger)
    : IStreamSubscriber
{
    private const int MaxMessageBytes = 16 * 1024;
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private static readonly JsonSerializerOptions Json = CreateJson();

    private readonly Lock _gate = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private CheckRequest? _context;
    private string? _companyId;
    private string? _userId;
    private bool _due;
    private bool _answerContext;
    private bool _revoked;
    private byte[] _lastSent = [];

    public string EnvironmentId => scope.EnvironmentId;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sender = SendLoopAsync(stop.Token);
        try
        {
            // Contexts are a few hundred bytes: an idle page holds a small buffer, grown only for a larger frame.
            var buffer = new byte[1024];
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length == MaxMessageBytes)
                        {
                            await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {MaxMessageBytes} bytes", stop.Token).ConfigureAwait(false);
                            return;
                        }

                        Array.Resize(ref buffer, Math.Min(buffer.Length * 4, MaxMessageBytes));
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), stop.Token).ConfigureAwait(false);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                await SetContextAsync(buffer.AsMemory(0, length), stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            LogEnded(logger, scope.EnvironmentId, exception.Message);
        }
        finally
        {
            _wake.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            await sender.ConfigureAwait(false);
            lock (_gate)
            {
                Follow(null, null, null);
            }
        }
    }

    public void Notify(Change change)
    {
        lock (_gate)
        {
            if (_context is null)
            {
                return;
            }

            var touched = change.Kind switch
            {
                ChangeKind.ApiKey => _revoked |= scope.ApiKeyId is { } keyId && change.Ids.Contains(keyId),
                ChangeKind.Catalog or ChangeKind.Everything => true,
                // A context naming a company not yet known is answered again when any company is written (it may be that one).
                ChangeKind.Company or ChangeKind.Credits or ChangeKind.Usage => _companyId is null ? _context.Company is { Count: > 0 } : change.Ids.Contains(_companyId),
                ChangeKind.User => _userId is null ? _context.User is { Count: > 0 } : change.Ids.Contains(_userId),
                _ => false,
            };
            if (!touched)
            {
                return;
            }

            _due = true;
        }

        _wake.Writer.TryWrite(true);
    }

    private async Task SetContextAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        CheckRequest context;
        try
        {
            using var document = JsonDocument.Parse(message);
            var data = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("data", out var d) ? d : default;
            context = new CheckRequest(KeysOf(data, "company"), KeysOf(data, "user"), null);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // The SDK has no error message to read: a frame it cannot have sent closes the socket with the reason.
            await socket.CloseOutputAsync(WebSocketCloseStatus.InvalidPayloadData, "data: expected {\"data\": {\"company\"?, \"user\"?}}", cancellationToken).ConfigureAwait(false);
            return;
        }

        var company = context.Company is { Count: > 0 } c ? await runtime.FindCompanyAsync(c, cancellationToken).ConfigureAwait(false) : null;
        var user = context.User is { Count: > 0 } u ? await runtime.FindUserAsync(u, cancellationToken).ConfigureAwait(false) : null;
        lock (_gate)
        {
            Follow(context, company?.Record.Id, user?.Record.Id);
            (_context, _companyId, _userId, _due, _answerContext) = (context, company?.Record.Id, user?.Record.Id, true, true);
        }

        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Moves this page's follows in the index from its last context to <paramref name="context"/> (none: the page has
    /// left). A context naming a company or user not yet known follows every one (see <see cref="Notify"/>).
    /// </summary>
    private void Follow(CheckRequest? context, string? companyId, string? userId)
    {
        if (_companyId is not null)
        {
            index.UnfollowCompany(this, _companyId);
        }

        if (_userId is not null)
        {
            index.UnfollowUser(this, _userId);
        }

        if (companyId is not null)
        {
            index.FollowCompany(this, companyId);
        }

        if (userId is not null)
        {
            index.FollowUser(this, userId);
        }

        index.FollowEveryCompany(this, companyId is null && context?.Company is { Count: > 0 });
        index.FollowEveryUser(this, userId is null && context?.User is { Count: > 0 });
    }

    private static Dictionary<string, string>? KeysOf(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var keys) && keys.ValueKind == JsonValueKind.Object
            ? keys.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : null;

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                CheckRequest? context;
                bool revoked, answerContext;
                lock (_gate)
                {
                    (context, revoked, answerContext) = (_due ? _context : null, _revoked, _answerContext);
                    (_due, _answerContext) = (false, false);
                }

                if (revoked)
                {
                    await socket.CloseOutputAsync((WebSocketCloseStatus)DatastreamConnection.InvalidKeyCloseCode, "API key revoked", cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (context is null)
                {
                    continue;
                }

                var answers = await checks.CheckAllAsync(scope, context, cancellationToken, exactUsage: true).ConfigureAwait(false);
                var bytes = JsonSerializer.SerializeToUtf8Bytes(answers, Json);
                if (answerContext || !bytes.AsSpan().SequenceEqual(_lastSent))
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(SendTimeout);
                    await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token).ConfigureAwait(false);
                    _lastSent = bytes;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            LogEnded(logger, scope.EnvironmentId, exception.Message);
            socket.Abort();
        }
#pragma warning disable CA1031 // Reading what to push failed (the store is down): this connection ends, visibly, and the server goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogPushFailed(logger, exception, scope.EnvironmentId);
            socket.Abort();
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions();
        Api.ApiJson.Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A browser flags connection of environment {Environment} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, string environment, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A live connection of environment {Environment} could not read what to push; it is closed (the client reconnects)")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, string environment);
}
