using System.Text.Json;

namespace Tollgate.Server.Tests.SdkClient;

/// <summary>One HTTP exchange the SDK made: method, path with query string, and the status (or the fetch error).</summary>
internal sealed record SdkRequest(string Method, string Path, string Status)
{
    /// <summary>The JSON body exactly as the SDK sent it; null when there was none. Not part of equality.</summary>
    public string? Body { get; init; }

    public bool Equals(SdkRequest? other) => other is not null && (Method, Path, Status) == (other.Method, other.Path, other.Status);

    public override int GetHashCode() => HashCode.Combine(Method, Path, Status);

    public override string ToString() => $"{Method} {Path} → {Status}";
}

/// <summary>A line the SDK logged (through the logger option) or wrote to the console, with the step it belongs to.</summary>
internal sealed record SdkMessage(string Step, string Level, string Message)
{
    public override string ToString() => $"[{Step}] {Level}: {Message}";
}

/// <summary>What <c>drive-sdk.mjs</c> printed: each step's answer (the SDK's own return value, as JSON), the wire log and the SDK's logs.</summary>
internal sealed class SdkRun(JsonElement root, string stderr)
{
    public JsonElement Root { get; } = root;

    public string Stderr { get; } = stderr;

    public string SdkVersion => Root.GetProperty("sdkVersion").GetString()!;

    public IReadOnlyList<string> StepNames { get; } = [.. root.GetProperty("steps").EnumerateObject().Select(p => p.Name)];

    public IReadOnlyList<SdkRequest> Requests { get; } =
        [.. root.GetProperty("requests").EnumerateArray().Select(r => new SdkRequest(r.GetProperty("method").GetString()!, r.GetProperty("path").GetString()!, r.GetProperty("status").ToString())
        {
            Body = r.GetProperty("body").GetString(),
        })];

    /// <summary>Messages through the SDK's logger (the <c>logger</c> option: debug and up).</summary>
    public IReadOnlyList<SdkMessage> Logs { get; } =
        [.. root.GetProperty("logs").EnumerateArray().Select(l => new SdkMessage("", l.GetProperty("level").GetString()!, l.GetProperty("message").GetString()!))];

    /// <summary>What the SDK wrote with <c>console.*</c>: Fern's "Failed to validate" warnings about response shapes.</summary>
    public IReadOnlyList<SdkMessage> Console { get; } =
        [.. root.GetProperty("sdkConsole").EnumerateArray().Select(l => new SdkMessage(l.GetProperty("step").GetString()!, l.GetProperty("level").GetString()!, l.GetProperty("message").GetString()!))];

    /// <summary>The step's outcome: <c>{ok:true, value}</c> or <c>{ok:false, error:{name, message, statusCode, body}}</c>.</summary>
    public JsonElement Outcome(string step) =>
        Root.GetProperty("steps").TryGetProperty(step, out var outcome) ? outcome : throw new KeyNotFoundException($"drive-sdk.mjs has no step named '{step}'.");

    public bool Succeeded(string step) => Outcome(step).GetProperty("ok").GetBoolean();

    /// <summary>The value the SDK call returned; fails the test with the SDK's error when the call threw.</summary>
    public JsonElement Value(string step)
    {
        var outcome = Outcome(step);
        Assert.True(outcome.GetProperty("ok").GetBoolean(), $"SDK step '{step}' threw: {(outcome.TryGetProperty("error", out var error) ? error.ToString() : "?")}");
        return outcome.TryGetProperty("value", out var value) ? value : default;
    }
}
