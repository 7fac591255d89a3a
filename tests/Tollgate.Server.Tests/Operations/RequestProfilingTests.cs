using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tollgate.Server.Operations;

namespace Tollgate.Server.Tests.Operations;

/// <summary>Issue 16's per-request profile: on only with its debug level, one line per request with its phases and the runtime's pauses.</summary>
public sealed class RequestProfilingTests
{
    private const string Category = "Tollgate.Server.Operations.RequestProfiling";

    [Fact]
    public async Task WithItsDebugLevelEveryRequestLogsItsPhasesAndTheRuntimesPauses()
    {
        var lines = new ConcurrentQueue<string>();
        await using var server = await BuiltServer.CreateAsync(start: true, b => b.Logging.AddProvider(new CapturingProvider(lines)), $"--Logging:LogLevel:{Category}=Debug");

        using var client = server.TestServer.CreateClient();
        (await client.GetAsync(new Uri("/health", UriKind.Relative))).EnsureSuccessStatusCode();

        var line = Assert.Single(lines, l => l.Contains("request /health 200", StringComparison.Ordinal));
        foreach (var field in new[] { "total=", "respond=", "gc0=", "gcpause=", "contentions=", "queued=", "threads=" })
        {
            Assert.Contains(field, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithoutItTheMiddlewareIsNotThereAndNothingIsLogged()
    {
        var lines = new ConcurrentQueue<string>();
        await using var server = await BuiltServer.CreateAsync(start: true, b => b.Logging.AddProvider(new CapturingProvider(lines)));

        using var client = server.TestServer.CreateClient();
        (await client.GetAsync(new Uri("/health", UriKind.Relative))).EnsureSuccessStatusCode();

        Assert.DoesNotContain(lines, l => l.Contains("request /health", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAmbientProfileCollectsMarksMadeDeeperInItsFlowAfterAwaitsAndNoOthers()
    {
        PhaseProfile.MarkAmbient("nobody listens");
        var profile = new PhaseProfile();
        PhaseProfile.Ambient = profile;
        try
        {
            await Task.Yield();
            PhaseProfile.MarkAmbient("first");
            await DeeperAsync();
            var unrelated = new Thread(() => PhaseProfile.MarkAmbient("another flow")) { IsBackground = true };
            unrelated.UnsafeStart();
            unrelated.Join();
        }
        finally
        {
            PhaseProfile.Ambient = null;
        }

        var phases = profile.ToString().Split(' ').Select(p => p.Split('=')[0]).ToList();
        Assert.Equal(["first", "deeper"], phases);

        static async Task DeeperAsync()
        {
            await Task.Delay(1);
            PhaseProfile.MarkAmbient("deeper");
        }
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => category == Category;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (category == Category)
                {
                    lines.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}
