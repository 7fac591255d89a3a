using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Tollgate.Server.Tests.SdkClient;

/// <summary>
/// Runs <c>tests/sdk-client/drive-sdk.mjs</c> (the official Schematic Node SDK, pinned in that folder's package-lock)
/// against a server and returns what it printed. Refuses loudly when node or the folder's npm dependencies are missing:
/// a compatibility test that silently skips its client proves nothing.
/// </summary>
internal static class SdkDriver
{
    private const string SetupHint = "To set up: put Node.js 18+ on PATH, then run `npm ci --no-audit --no-fund` in tests/sdk-client.";

    // The script's own work takes about 2 s; close() then waits through the SDK's /batch retry chain (1 + 2 + 4 s)
    // while Tollgate has no /batch endpoint. The bound is only there to turn a hang into a failure.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string ClientDirectory { get; } = FindClientDirectory();

    public static async Task<SdkRun> RunAsync(Uri baseAddress, string apiKey, CancellationToken cancellationToken, string script = "drive-sdk.mjs")
    {
        var (json, errors) = await RunScriptAsync(script, [baseAddress.ToString().TrimEnd('/'), apiKey], Timeout, cancellationToken).ConfigureAwait(false);
        return new SdkRun(json, errors);
    }

    /// <summary>
    /// Runs a script of tests/sdk-client with node and returns the one JSON line it printed, and its standard error.
    /// </summary>
    public static async Task<(JsonElement Json, string Stderr)> RunScriptAsync(string script, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var package = Path.Combine(ClientDirectory, "node_modules", "@schematichq", "schematic-typescript-node", "package.json");
        if (!File.Exists(package))
        {
            throw new InvalidOperationException($"The SDK client's npm dependencies are missing ({package} not found). {SetupHint}");
        }

        var start = new ProcessStartInfo("node", [script, .. arguments])
        {
            WorkingDirectory = ClientDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        using var process = StartNode(start);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not exit within {timeout}. stderr:\n{await stderr.ConfigureAwait(false)}");
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited with code {process.ExitCode}.\nstderr:\n{errors}\nstdout:\n{output}");
        }

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length != 1)
        {
            throw new InvalidOperationException($"{script} must print exactly one JSON line; it printed {lines.Length}.\nstdout:\n{output}\nstderr:\n{errors}");
        }

        using var document = JsonDocument.Parse(lines[0]);
        return (document.RootElement.Clone(), errors);
    }

    private static Process StartNode(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not run `node` ({e.Message}); the SDK client test needs Node.js. {SetupHint}", e);
        }
    }

    private static string FindClientDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "sdk-client");
            if (File.Exists(Path.Combine(candidate, "drive-sdk.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"No tests/sdk-client/drive-sdk.mjs above {AppContext.BaseDirectory}; cannot find the repository root.");
    }
}
