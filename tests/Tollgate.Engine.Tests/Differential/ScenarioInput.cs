using System.Globalization;
using System.Text.Json;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// One oracle input line, split into its JSON texts as written in the line. The comparison hands the engine under test
/// the oracle's echo of these texts (see <see cref="EngineInputs"/>), so both engines read the same bytes.
/// </summary>
internal sealed record ScenarioInput(
    string Id,
    string Line,
    DateTimeOffset Now,
    string FlagJson,
    string? CompanyJson,
    string? UserJson,
    string? OptionsJson,
    string? Invalid)
{
    public static ScenarioInput FromLine(string line, int lineNumber)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var id = root.TryGetProperty("id", out var idElement) ? idElement.ToString() : lineNumber.ToString(CultureInfo.InvariantCulture);
        var now = root.TryGetProperty("now", out var nowElement)
            ? DateTimeOffset.Parse(nowElement.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : throw new InvalidDataException($"scenario {id} has no \"now\"; the comparison needs a pinned clock");
        return new ScenarioInput(
            id,
            line,
            now,
            RawOrNull(root, "flag") ?? "null",
            RawOrNull(root, "company"),
            RawOrNull(root, "user"),
            RawOrNull(root, "options"),
            root.TryGetProperty("invalid", out var invalid) ? invalid.GetString() : null);
    }

    public static List<ScenarioInput> FromLines(IEnumerable<string> lines) =>
        [.. lines.Select((line, index) => (line, index)).Where(l => l.line.Trim().Length > 0).Select(l => FromLine(l.line, l.index + 1))];

    /// <summary>The property's JSON text, or null when it is absent or JSON null (the oracle passes no entity then).</summary>
    private static string? RawOrNull(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetRawText() : null;
}
