using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>
/// The browser's side of <see cref="SlowRequestLog"/>: every browser context of a console test writes what its pages do
/// (requests sent, answered, failed or finished; main-frame navigations; load events; console messages; page errors)
/// to <c>artifacts/browser-events.log</c>, each line tagged with the test class's server and a context number, and
/// every five seconds the requests still unanswered after five seconds. A navigation that never finishes then shows as
/// a request the browser sent and never saw answered, or as a click after which no request and no navigation follow.
/// </summary>
internal static class BrowserEventLog
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(5);
    private static readonly Lock FileLock = new();
    private static readonly ConcurrentDictionary<IRequest, (string Context, DateTime Sent)> InFlight = new();
    private static readonly Timer Watch = new(_ => ReportHanging(), null, Slow, Slow);
    private static int _contexts;

    /// <summary>Where the lines go (next to <c>slow-requests.log</c>).</summary>
    public static string FilePath { get; } = Path.Combine(Path.GetDirectoryName(Screenshots.Folder)!, "browser-events.log");

    /// <summary>Logs what the pages of <paramref name="context"/> do, tagged with <paramref name="server"/>.</summary>
    public static void Attach(IBrowserContext context, string server)
    {
        GC.KeepAlive(Watch);
        var tag = string.Create(CultureInfo.InvariantCulture, $"{server} #{Interlocked.Increment(ref _contexts)}");
        context.Request += (_, request) =>
        {
            InFlight[request] = (tag, DateTime.UtcNow);
            Write(tag, $"→ {request.Method} {request.Url} ({request.ResourceType}{(request.IsNavigationRequest ? ", navigation" : "")})");
        };
        context.Response += (_, response) => Write(tag, $"← {response.Status} {response.Request.Method} {response.Url}");
        context.RequestFinished += (_, request) => InFlight.TryRemove(request, out var _);
        context.RequestFailed += (_, request) =>
        {
            InFlight.TryRemove(request, out var _);
            Write(tag, $"✗ {request.Method} {request.Url}: {request.Failure}");
        };
        context.Page += (_, page) => AttachPage(page, tag);
        context.Close += (_, _) => Write(tag, "context closed");
    }

    private static void AttachPage(IPage page, string tag)
    {
        page.FrameNavigated += (_, frame) =>
        {
            if (frame.ParentFrame is null)
            {
                Write(tag, $"navigated to {frame.Url}");
            }
        };
        page.DOMContentLoaded += (_, _) => Write(tag, "DOMContentLoaded");
        page.Load += (_, _) => Write(tag, "load");
        page.Console += (_, message) => Write(tag, $"console.{message.Type}: {message.Text}");
        page.PageError += (_, error) => Write(tag, $"page error: {error}");
        page.Crash += (_, _) => Write(tag, "page crashed");
    }

    private static void ReportHanging()
    {
        var now = DateTime.UtcNow;
        foreach (var (request, (tag, sent)) in InFlight)
        {
            if (now - sent > Slow)
            {
                Write(tag, string.Create(CultureInfo.InvariantCulture, $"still unanswered after {(now - sent).TotalSeconds:F0} s: {request.Method} {request.Url}"));
            }
        }
    }

    private static void Write(string tag, string line)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} [{tag}] {line}{Environment.NewLine}");
        lock (FileLock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.AppendAllText(FilePath, text);
        }
    }
}
