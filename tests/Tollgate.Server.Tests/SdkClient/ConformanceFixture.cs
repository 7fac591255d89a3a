using System.Text.Json;

namespace Tollgate.Server.Tests.SdkClient;

/// <summary>
/// Starts one server with the demo data set and runs the conformance judge (<c>tests/sdk-client/conformance/run.mjs</c>)
/// against it once: every group file drives its operations through the official Node SDK, and every raw answer is
/// validated against the JSON Schema generated from the SDK's own response type.
/// </summary>
public sealed class ConformanceFixture : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private LoopbackServer? _server;
    private ConformanceReport? _report;

    internal ConformanceReport Report => _report ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(CancellationToken.None);
        var (json, _) = await SdkDriver.RunScriptAsync(
            Path.Combine("conformance", "run.mjs"),
            [_server.BaseAddress.ToString().TrimEnd('/'), LoopbackServer.ApiKey, "--json"],
            Timeout,
            CancellationToken.None);
        _report = new ConformanceReport(json);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>One of Schematic's operations as the judge saw it.</summary>
internal sealed record JudgedOperation(string Operation, string Method, string Path, string Scope, bool Served, bool Called, bool Valid, IReadOnlyList<string> Problems)
{
    public override string ToString() => $"{Operation} ({Method} {Path}): " + string.Join("; ", Problems);
}

/// <summary>What the judge printed: the groups it ran and every operation of <c>schematic-operations.tsv</c>.</summary>
internal sealed class ConformanceReport(JsonElement root)
{
    public string SdkVersion { get; } = root.GetProperty("sdkVersion").GetString()!;

    public IReadOnlyList<(string File, string? Crash)> Groups { get; } =
        [.. root.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("file").GetString()!, g.GetProperty("crash").GetString()))];

    public IReadOnlyList<JudgedOperation> Operations { get; } =
        [.. root.GetProperty("operations").EnumerateArray().Select(o => new JudgedOperation(
            o.GetProperty("operation").GetString()!,
            o.GetProperty("method").GetString()!,
            o.GetProperty("path").GetString()!,
            o.GetProperty("scope").GetString()!,
            o.GetProperty("served").GetBoolean(),
            o.GetProperty("called").GetBoolean(),
            o.GetProperty("valid").GetBoolean(),
            [.. o.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!)]))];
}
