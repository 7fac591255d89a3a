using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Tollgate.Reliability;

/// <summary>
/// One Tollgate server process (the built <c>Tollgate.Server.dll</c>, as a service would run it), on loopback and a free
/// port. <see cref="Kill"/> is <c>kill -9</c>: nothing of the process gets to run afterwards.
/// </summary>
internal sealed class Node : IAsyncDisposable
{
    private readonly Process _process;

    private Node(Process process, Uri baseAddress, string name)
    {
        _process = process;
        BaseAddress = baseAddress;
        Name = name;
    }

    public Uri BaseAddress { get; }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a node and waits until it answers <c>/health</c> (at most <paramref name="timeout"/>).</summary>
    public static async Task<Node> StartAsync(string serverDll, string name, IEnumerable<string> storageArguments, string apiKey, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { serverDll, "--no-demo", "--urls", $"http://127.0.0.1:{port}" }.Concat(storageArguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TOLLGATE_API_KEY"] = apiKey;
        start.Environment.Remove("TOLLGATE_POSTGRES");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // Drain the pipes so a chatty server never blocks on a full buffer; keep the last lines for a failed start.
        process.OutputDataReceived += (_, e) => Keep(errors, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(errors, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var node = new Node(process, new Uri($"http://127.0.0.1:{port}/"), name);
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"node {name} exited with {process.ExitCode} while starting: {string.Join(" | ", errors)}");
            }

            try
            {
                using var health = await http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        await node.DisposeAsync().ConfigureAwait(false);
        throw new TimeoutException($"node {name} did not answer /health within {timeout.TotalSeconds:0} s: {string.Join(" | ", errors)}");
    }

    /// <summary>SIGKILL, and waits for the process to be gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        while (lines.Count > 20 && lines.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
