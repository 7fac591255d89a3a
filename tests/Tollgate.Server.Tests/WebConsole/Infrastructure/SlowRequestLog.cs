using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Tollgate.Server.Tests.WebConsole.Infrastructure;

/// <summary>
/// Writes every request of a browser test's server that takes longer than <see cref="Slow"/> to
/// <c>artifacts/slow-requests.log</c>, when it starts being slow and when it ends, with the thread pool's state: a page
/// that never finishes loading in Chromium shows here as a request that hung (and where), or is absent (the browser
/// never sent it).
/// </summary>
internal sealed class SlowRequestLog(string server) : IStartupFilter, IDisposable
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(5);
    private static readonly Lock FileLock = new();
    private readonly ConcurrentDictionary<HttpContext, long> _inFlight = new();
    private Timer? _watch;

    public static string FilePath { get; } = Path.Combine(Path.GetDirectoryName(Screenshots.Folder)!, "slow-requests.log");

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        _watch ??= new Timer(_ => ReportHanging(), null, Slow, Slow);
        app.Use(async (context, nextMiddleware) =>
        {
            // A WebSocket (the browser SDK's bootstrap) is long by design. Told by its header: this runs before the
            // WebSockets middleware, which is what makes context.WebSockets.IsWebSocketRequest true.
            if (string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase))
            {
                await nextMiddleware(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            _inFlight[context] = started;
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                _inFlight.TryRemove(context, out _);
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (elapsed > Slow)
                {
                    Write($"done after {elapsed.TotalSeconds:F1} s: {Describe(context)} → {context.Response.StatusCode}");
                }
            }
        });
        next(app);
    };

    private void ReportHanging()
    {
        foreach (var (context, started) in _inFlight)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed > Slow)
            {
                Write($"still running after {elapsed.TotalSeconds:F0} s: {Describe(context)}");
            }
        }
    }

    public void Dispose() => _watch?.Dispose();

    private static string Describe(HttpContext context)
    {
        var request = context.Request;
        return $"{request.Method} {request.Path}{request.QueryString}";
    }

    private void Write(string line)
    {
        ThreadPool.GetAvailableThreads(out var workers, out _);
        ThreadPool.GetMaxThreads(out var maxWorkers, out _);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:HH:mm:ss.fff} [{server}] {line} (pool: {ThreadPool.ThreadCount} threads, {maxWorkers - workers} busy, {ThreadPool.PendingWorkItemCount} queued){Environment.NewLine}");
        lock (FileLock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            File.AppendAllText(FilePath, text);
        }
    }
}
