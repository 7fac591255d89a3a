using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Tollgate.Server.Tests.Notifications;

/// <summary>
/// A webhook endpoint for tests: an <see cref="HttpListener"/> on a free loopback port that records every delivery and
/// answers <see cref="Answer"/>. <see cref="Down"/> stops listening (connections are refused) until <see cref="Up"/>.
/// </summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _prefix;

    public WebhookReceiver()
    {
        var port = FreePort();
        _prefix = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_prefix);
        Up();
    }

    /// <summary>The URL to register.</summary>
    public string Url => _prefix + "hooks";

    /// <summary>The status code every delivery is answered with.</summary>
    public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<Delivery> Received { get; } = new();

    public void Up()
    {
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public void Down() => _listener.Stop();

    /// <summary>The deliveries of a request type, their bodies parsed.</summary>
    public List<Delivery> Of(string action) => [.. Received.Where(d => d.Action == action)];

    /// <summary>Waits until <paramref name="done"/> holds of what was received (at most 20 s).</summary>
    public async Task WaitForAsync(Func<IReadOnlyCollection<Delivery>, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!done(Received))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the receiver did not get {what}; it got: {string.Join(", ", Received.Select(d => d.Action))}");
            await Task.Delay(20);
        }
    }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Received.Enqueue(new Delivery(
                body,
                context.Request.Headers["X-Schematic-Webhook-Signature"] ?? string.Empty,
                context.Request.Headers["X-Schematic-Webhook-Timestamp"] ?? string.Empty,
                (int)Answer));
            context.Response.StatusCode = (int)Answer;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>One delivery as received, and the code it was answered with.</summary>
    public sealed record Delivery(string Body, string Signature, string Timestamp, int AnsweredWith)
    {
        public JsonElement Json { get; } = JsonDocument.Parse(Body).RootElement.Clone();

        public string Action => Json.GetProperty("action").GetString()!;
    }
}
