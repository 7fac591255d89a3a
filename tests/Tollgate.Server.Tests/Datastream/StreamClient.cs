using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Tollgate.Server.Api;
using Tollgate.Server.Tests.Infrastructure;

namespace Tollgate.Server.Tests.Datastream;

/// <summary>A WebSocket client of a test server, speaking JSON frames: what an SDK's socket sends and receives.</summary>
internal sealed class StreamClient(WebSocket socket) : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Opens <paramref name="path"/> on the server, with the key in <c>X-Schematic-Api-Key</c> when given.</summary>
    public static async Task<StreamClient> ConnectAsync(TollgateFactory server, string path, string? key)
    {
        var client = server.Server.CreateWebSocketClient();
        if (key is not null)
        {
            client.ConfigureRequest = request => request.Headers[ApiKeyAuthentication.Header] = key;
        }

        return new StreamClient(await client.ConnectAsync(new Uri(server.Server.BaseAddress, path), CancellationToken.None));
    }

    public WebSocket Socket => socket;

    public Task SendAsync(object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The next frame; fails when none comes within the patience or the server closes.</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[1 << 20];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);

        Assert.True(result.MessageType == WebSocketMessageType.Text, $"expected a text frame, got {result.MessageType} ({socket.CloseStatus} {socket.CloseStatusDescription})");
        using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
        return document.RootElement.Clone();
    }

    /// <summary>Frames until one satisfies <paramref name="wanted"/> (pushes of other changes may come first).</summary>
    public async Task<JsonElement> ReceiveUntilAsync(Func<JsonElement, bool> wanted)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        var seen = new StringBuilder();
        while (DateTimeOffset.UtcNow < deadline)
        {
            var frame = await ReceiveAsync();
            if (wanted(frame))
            {
                return frame;
            }

            seen.AppendLine(frame.ToString());
        }

        throw new TimeoutException($"no wanted frame within {Patience}; saw:\n{seen}");
    }

    /// <summary>Reads until the server closes the socket, and answers its close code.</summary>
    public async Task<WebSocketCloseStatus?> ClosedAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[1 << 16];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return socket.CloseStatus;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        socket.Abort();
        socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
