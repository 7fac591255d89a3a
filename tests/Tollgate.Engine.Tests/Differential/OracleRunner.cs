using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// What Schematic's engine answered for one scenario: its result JSON (byte for byte) or its rejection message, and the
/// exact JSON strings it was handed (the runner passes each part through JSON.parse/JSON.stringify, which normalises
/// numbers such as <c>2.0</c> to <c>2</c>; the engine under test must read those same bytes).
/// </summary>
internal sealed record OracleAnswer(string Id, string? ResultJson, string? Error, EngineInputs? Inputs);

/// <summary>The JSON strings handed to the engine for one scenario; null where no argument was passed.</summary>
internal sealed record EngineInputs(string Flag, string? Company, string? User, string? Options);

/// <summary>
/// Runs <c>tests/oracle/oracle.mjs</c> (Schematic's own rules engine, the WASM from the Node SDK) once over a batch of
/// scenario lines. Refuses loudly when node or the oracle's npm dependencies are missing: a differential test that
/// silently skips its reference proves nothing.
/// </summary>
internal static class OracleRunner
{
    private const string SetupHint = "To set up the oracle: put Node.js 18+ on PATH, then run `npm ci` in tests/oracle.";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string OracleDirectory => Path.Combine(RepositoryRoot, "tests", "oracle");

    public static IReadOnlyList<OracleAnswer> Run(IReadOnlyList<string> lines)
    {
        var package = Path.Combine(OracleDirectory, "node_modules", "@schematichq", "schematic-typescript-node", "package.json");
        if (!File.Exists(package))
        {
            throw new InvalidOperationException($"The oracle's npm dependencies are missing ({package} not found). {SetupHint}");
        }

        var start = new ProcessStartInfo("node", ["oracle.mjs", "--echo-inputs"])
        {
            WorkingDirectory = OracleDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        using var process = StartNode(start);

        // stdin is written on its own task while stdout/stderr drain, so neither side can block on a full pipe.
        var writing = Task.Run(() =>
        {
            foreach (var line in lines)
            {
                process.StandardInput.Write(line);
                process.StandardInput.Write('\n');
            }

            process.StandardInput.Close();
        });
        var stderr = process.StandardError.ReadToEndAsync();
        var output = new List<string>(lines.Count);
        while (process.StandardOutput.ReadLine() is { } outputLine)
        {
            output.Add(outputLine);
        }

        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The oracle did not finish within {Timeout}.");
        }

        writing.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The oracle exited with code {process.ExitCode}: {stderr.GetAwaiter().GetResult()}");
        }

        var expected = lines.Count(l => l.Trim().Length > 0);
        if (output.Count != expected)
        {
            throw new InvalidOperationException($"The oracle answered {output.Count} lines for {expected} scenarios.");
        }

        return [.. output.Select(Parse)];
    }

    /// <summary>Parses one output line; the result is kept as its exact raw text because the comparison is byte for byte.</summary>
    private static OracleAnswer Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var id = root.GetProperty("id").ToString();
        var inputs = root.TryGetProperty("inputs", out var echoed)
            ? new EngineInputs(echoed.GetProperty("flag").GetString()!, StringOrNull(echoed, "company"), StringOrNull(echoed, "user"), StringOrNull(echoed, "options"))
            : null;
        return root.TryGetProperty("result", out var result)
            ? new OracleAnswer(id, result.GetRawText(), null, inputs)
            : new OracleAnswer(id, null, root.GetProperty("error").GetString(), inputs);
    }

    private static string? StringOrNull(JsonElement parent, string name) =>
        parent.GetProperty(name).ValueKind == JsonValueKind.Null ? null : parent.GetProperty(name).GetString();

    private static Process StartNode(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not run `node` ({e.Message}); the oracle needs Node.js. {SetupHint}", e);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "tests", "oracle", "oracle.mjs")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No tests/oracle/oracle.mjs above {AppContext.BaseDirectory}; cannot find the repository root.");
    }
}
