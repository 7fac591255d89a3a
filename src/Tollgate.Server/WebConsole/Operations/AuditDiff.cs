using System.Text.Json;

namespace Tollgate.Server.WebConsole.Operations;

/// <summary>
/// What an audit entry changed, field by field: the top-level properties of its before and after documents, each
/// added, removed or changed (unchanged ones are left out). A document that is not an object is one field, <c>value</c>.
/// </summary>
public static class AuditDiff
{
    /// <summary>One changed field: its name, its text before and after (null when absent), and how it changed.</summary>
    public sealed record Line(string Field, string? Before, string? After)
    {
        /// <summary><c>added</c>, <c>removed</c> or <c>changed</c> (the CSS class suffix).</summary>
        public string Kind => Before is null ? "added" : After is null ? "removed" : "changed";
    }

    /// <summary>The changed fields between <paramref name="before"/> and <paramref name="after"/>, in the documents' order.</summary>
    public static IReadOnlyList<Line> Of(JsonElement? before, JsonElement? after)
    {
        var old = Fields(before);
        var now = Fields(after);
        var lines = new List<Line>();
        foreach (var (name, value) in now)
        {
            var was = old.Find(f => f.Name == name).Value;
            if (was is null || was != value)
            {
                lines.Add(new Line(name, was, value));
            }
        }

        foreach (var (name, value) in old)
        {
            if (!now.Exists(f => f.Name == name))
            {
                lines.Add(new Line(name, value, null));
            }
        }

        return lines;
    }

    private static List<(string Name, string? Value)> Fields(JsonElement? document)
    {
        if (document is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return [("value", Text(element))];
        }

        return [.. element.EnumerateObject().Select(p => (p.Name, (string?)Text(p.Value)))];
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };
}
