using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Turns disagreements into a report meant for the person fixing the engine: counts per kind and per differing result
/// field first, then each case with the fields that differ, both answers in full, and the input line to replay.
/// </summary>
internal static class DisagreementReport
{
    /// <param name="runName">Which batch this was, e.g. the seed and count.</param>
    /// <param name="scenarioCount">How many scenarios were compared.</param>
    /// <param name="disagreements">Every disagreement, in scenario order.</param>
    /// <param name="maxShown">How many cases to print in full.</param>
    /// <param name="notes">Lines printed under the headline: where the files are, how to replay a case.</param>
    public static string Format(string runName, int scenarioCount, IReadOnlyList<Disagreement> disagreements, int maxShown, IEnumerable<string> notes)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Tollgate disagrees with Schematic's engine on {disagreements.Count} of {scenarioCount} scenarios ({runName}).\n");
        foreach (var note in notes)
        {
            text.Append(note).Append('\n');
        }

        text.Append("\nBy kind:\n");
        foreach (var group in disagreements.GroupBy(d => d.Kind).OrderByDescending(g => g.Count()))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {group.Key,-22} {group.Count(),6}\n");
        }

        var fieldCounts = disagreements
            .Where(d => d.Kind == DisagreementKind.DifferentResult)
            .SelectMany(d => DifferingFields(d.Expected, d.Actual).Select(f => f.Field).Distinct())
            .GroupBy(f => f)
            .OrderByDescending(g => g.Count())
            .ToList();
        if (fieldCounts.Count > 0)
        {
            text.Append("\nDifferent results, by field (scenarios in which that field differs):\n");
            foreach (var group in fieldCounts)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {group.Key,-22} {group.Count(),6}\n");
            }
        }

        var shown = disagreements.Take(maxShown).ToList();
        for (var i = 0; i < shown.Count; i++)
        {
            AppendCase(text, shown[i], i + 1, disagreements.Count);
        }

        if (disagreements.Count > shown.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n... and {disagreements.Count - shown.Count} more (see the full report).\n");
        }

        return text.ToString();
    }

    private static void AppendCase(StringBuilder text, Disagreement disagreement, int number, int total)
    {
        var scenario = disagreement.Scenario;
        text.Append(CultureInfo.InvariantCulture, $"\n--- {number}/{total}  {scenario.Id}  {disagreement.Kind}");
        text.Append(scenario.Invalid is null ? "\n" : $"  (deliberately invalid: {scenario.Invalid})\n");
        if (disagreement.Kind == DisagreementKind.DifferentResult)
        {
            foreach (var (field, expected, actual) in DifferingFields(disagreement.Expected, disagreement.Actual))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {field}: expected {expected}\n  {new string(' ', field.Length)}  actual   {actual}\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"  expected: {disagreement.Expected}\n");
        text.Append(CultureInfo.InvariantCulture, $"  actual:   {disagreement.Actual}\n");
        text.Append(CultureInfo.InvariantCulture, $"  input:    {scenario.Line}\n");
    }

    /// <summary>
    /// Top-level fields whose raw text differs (missing on one side shows as &lt;absent&gt;). When every value matches,
    /// the difference is in order or formatting, reported as the pseudo-field <c>(field order)</c> or <c>(layout)</c>.
    /// </summary>
    public static List<(string Field, string Expected, string Actual)> DifferingFields(string expectedJson, string actualJson)
    {
        Dictionary<string, string> actualFields;
        List<string> actualOrder;
        try
        {
            (actualFields, actualOrder) = Fields(actualJson);
        }
        catch (JsonException e)
        {
            return [("(not JSON)", "valid JSON", e.Message)];
        }

        var (expectedFields, expectedOrder) = Fields(expectedJson);
        var differing = expectedOrder.Union(actualOrder)
            .Select(name => (name, Expected: expectedFields.GetValueOrDefault(name, "<absent>"), Actual: actualFields.GetValueOrDefault(name, "<absent>")))
            .Where(f => f.Expected != f.Actual)
            .ToList();
        if (differing.Count == 0)
        {
            differing.Add(expectedOrder.SequenceEqual(actualOrder)
                ? ("(layout)", "same fields, values and order", "different whitespace or escaping between tokens")
                : ("(field order)", string.Join(",", expectedOrder), string.Join(",", actualOrder)));
        }

        return differing;
    }

    private static (Dictionary<string, string> Fields, List<string> Order) Fields(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return (new() { ["(root)"] = json }, ["(root)"]);
        }

        var order = new List<string>();
        var fields = new Dictionary<string, string>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            order.Add(property.Name);
            fields.TryAdd(property.Name, property.Value.GetRawText());
        }

        return (fields, order);
    }
}
