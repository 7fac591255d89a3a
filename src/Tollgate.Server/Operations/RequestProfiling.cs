using System.Diagnostics;

namespace Tollgate.Server.Operations;

/// <summary>
/// Issue 16's per-request profile, for finding what the slowest checks wait for: with debug logging on for this
/// category (<c>--Logging:LogLevel:Tollgate.Server.Operations.RequestProfiling=Debug</c>), every API request gets an
/// ambient <see cref="PhaseProfile"/> that the code on its path marks (a cold company's key lookup, its batch read, the
/// view, the engine), and one log line with those phases and what the runtime did meanwhile: collections and their
/// pause time, lock contention, and the thread pool's queue when the request began.
/// </summary>
/// <remarks>
/// Decided once at start: with the level off, the middleware is not added, so a server that is not being profiled pays
/// nothing (<see cref="PhaseProfile.MarkAmbient"/> then reads an empty async local).
/// </remarks>
internal static partial class RequestProfiling
{
    /// <summary>The first middleware when profiling is on, so its clock covers the whole pipeline.</summary>
    public static void Use(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestProfiling).FullName!);
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        app.Use(async (http, next) =>
        {
            var queued = ThreadPool.PendingWorkItemCount;
            var before = RuntimeCounts.Now();
            var started = Stopwatch.GetTimestamp();
            var profile = new PhaseProfile();
            PhaseProfile.Ambient = profile;
            try
            {
                await next(http).ConfigureAwait(false);
            }
            finally
            {
                profile.Mark("respond");
                PhaseProfile.Ambient = null;
                var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var after = RuntimeCounts.Now();
                var gcPauseMs = (after.GcPause - before.GcPause).TotalMilliseconds;
                var path = http.Request.Path.Value ?? string.Empty;
                var threads = ThreadPool.ThreadCount;
                LogRequest(
                    logger, path, http.Response.StatusCode, elapsedMs, profile, after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2,
                    gcPauseMs, after.LockContentions - before.LockContentions, queued, threads);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "request {Path} {Status} total={TotalMs:F2} {Profile} gc0={Gen0} gc1={Gen1} gc2={Gen2} gcpause={GcPauseMs:F2} contentions={Contentions} queued={Queued} threads={Threads}")]
    private static partial void LogRequest(
        ILogger logger, string path, int status, double totalMs, PhaseProfile profile, int gen0, int gen1, int gen2, double gcPauseMs, long contentions, long queued, int threads);

    private readonly record struct RuntimeCounts(int Gen0, int Gen1, int Gen2, TimeSpan GcPause, long LockContentions)
    {
        public static RuntimeCounts Now() =>
            new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), Monitor.LockContentionCount);
    }
}
