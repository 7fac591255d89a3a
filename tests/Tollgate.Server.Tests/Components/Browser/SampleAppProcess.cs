using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Tollgate.Server.Tests.Components.Browser;

/// <summary>
/// The components sample's Node backend (<c>samples/components-app/server.mjs</c>), started as a customer runs it: with
/// Tollgate's URL, a secret and a publishable key, on a free port. Its bundle is built by the test project's build
/// (<c>BuildComponentsApp</c> in the csproj); a missing bundle or Node fails loudly, never skips.
/// </summary>
internal sealed partial class SampleAppProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleAppProcess(Process process) => _process = process;

    /// <summary>Where the sample listens, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string Url { get; private set; } = "";

    /// <summary>What the process printed so far (both streams), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The sample's folder: <c>samples/components-app</c> above the test binaries.</summary>
    public static string Directory { get; } = FindDirectory();

    public static async Task<SampleAppProcess> StartAsync(Uri tollgate, string secretKey, string publishableKey, string companyKey)
    {
        var bundle = Path.Combine(Directory, "public", "app.js");
        if (!File.Exists(bundle))
        {
            throw new InvalidOperationException(
                $"The sample's bundle {bundle} is missing: the test project's build makes it (npm ci and npm run build in samples/components-app); run `dotnet build`.");
        }

        var start = new ProcessStartInfo("node", ["server.mjs"])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.Environment["TOLLGATE_URL"] = tollgate.ToString().TrimEnd('/');
        start.Environment["TOLLGATE_SECRET_KEY"] = secretKey;
        start.Environment["TOLLGATE_PUBLISHABLE_KEY"] = publishableKey;
        start.Environment["COMPANY_KEY"] = companyKey;
        start.Environment["PORT"] = "0";
        start.Environment["HOST"] = "127.0.0.1";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not run `node` ({e.Message}); the components sample tests need Node.js 18+ on PATH.", e);
        }

        var sample = new SampleAppProcess(process);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => sample.Record(e.Data, listening);
        process.ErrorDataReceived += (_, e) => sample.Record(e.Data, null);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(StartTimeout));
        if (first != listening.Task)
        {
            await sample.DisposeAsync();
            throw new InvalidOperationException($"The sample did not start listening within {StartTimeout} (exited: {process.HasExited}). Output:\n{sample.Output}");
        }

        sample.Url = await listening.Task;
        return sample;
    }

    private void Record(string? line, TaskCompletionSource<string>? listening)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (listening is not null && ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(match.Groups[1].Value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string FindDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "components-app");
            if (File.Exists(Path.Combine(candidate, "server.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No samples/components-app/server.mjs above {AppContext.BaseDirectory}; cannot find the repository root.");
    }

    [GeneratedRegex(@"components sample listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
