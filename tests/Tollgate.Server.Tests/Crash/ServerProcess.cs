using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tollgate.Server.Tests.Crash;

/// <summary>
/// The real server as a separate operating-system process (<c>dotnet Tollgate.Server.dll</c> from the test's output
/// folder), so that it can be killed with SIGKILL and started again on the same database.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string ApiKey = "tg_sk_crash_test_0123456789abcdef0123";

    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the server wrote to its standard output and error (both redirected), line by line.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>
    /// Starts the server on the given storage arguments and waits until <c>/health</c> answers. <paramref name="environment"/>
    /// overrides variables of the server's environment (a null value removes one, e.g. <c>TOLLGATE_API_KEY</c>).
    /// </summary>
    public static async Task<ServerProcess> StartAsync(IEnumerable<string> storageArguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "Tollgate.Server.dll"), "--no-demo", "--urls", $"http://127.0.0.1:{port}" }.Concat(storageArguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TOLLGATE_API_KEY"] = ApiKey;
        start.Environment.Remove("TOLLGATE_POSTGRES");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
            if (value is null)
            {
                start.Environment.Remove(name);
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));

        // Drain the pipes so a chatty server never blocks on a full buffer; keep the lines for tests that read them.
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {process.ExitCode} while starting: {string.Join(Environment.NewLine, server.Output)}");
            }

            try
            {
                if ((await http.GetAsync(new Uri("health", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new TimeoutException("the server did not answer /health within 60 s");
    }

    /// <summary>SIGKILL: no shutdown, no flush; whatever was not committed is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            Output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
