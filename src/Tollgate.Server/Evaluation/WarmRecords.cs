using System.Buffers;
using System.Text.Json;
using Tollgate.Server.Companies;
using Tollgate.Server.Memory;

namespace Tollgate.Server.Evaluation;

/// <summary>
/// A company record as a warm view keeps it: equal in every value to the one read, but holding less. The names every
/// company repeats (key and trait names, plan and version ids) refer to one shared copy (<see cref="SharedStrings"/>),
/// and the trait values are elements of one JSON document instead of a document each (the deserializer makes one per
/// <see cref="JsonElement"/>). Only views use it: a record read for a write is left as it was read.
/// </summary>
internal static class WarmRecords
{
    public static CompanyRecord Compact(CompanyRecord record) => record with
    {
        Keys = SharedNames(record.Keys),
        Traits = OneDocument(record.Traits),
        BasePlanId = record.BasePlanId is { } basePlanId ? SharedStrings.Of(basePlanId) : null,
        AddOnIds = [.. record.AddOnIds.Select(SharedStrings.Of)],
        PlanVersions = record.PlanVersions.Count == 0
            ? record.PlanVersions
            : record.PlanVersions.ToDictionary(p => SharedStrings.Of(p.Key), p => SharedStrings.Of(p.Value), StringComparer.Ordinal),
    };

    /// <summary>The keys with shared names; the values are the company's own.</summary>
    private static Dictionary<string, string> SharedNames(IReadOnlyDictionary<string, string> keys)
    {
        var result = new Dictionary<string, string>(keys.Count, StringComparer.Ordinal);
        foreach (var (name, value) in keys)
        {
            result[SharedStrings.Of(name)] = value;
        }

        return result;
    }

    /// <summary>The traits, in the same order, as properties of one parsed object (the same kinds, texts and raw values).</summary>
    private static IReadOnlyDictionary<string, JsonElement> OneDocument(IReadOnlyDictionary<string, JsonElement> traits)
    {
        // Strings, numbers, booleans and null only: their texts survive the round trip exactly (a number is written as its
        // raw text, a string read back is the same string); an object's or array's raw text could change its spacing.
        if (traits.Count < 2 || traits.Values.Any(v => v.ValueKind is JsonValueKind.Object or JsonValueKind.Array))
        {
            return traits;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in traits)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        // ParseValue copies into arrays of the document's own (not rented from a pool), sized to fit.
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        var root = JsonElement.ParseValue(ref reader);
        var result = new Dictionary<string, JsonElement>(traits.Count, StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            result[SharedStrings.Of(property.Name)] = property.Value;
        }

        return result;
    }
}
