using System.Text.Json;
using System.Text.Json.Serialization;
using Tollgate.Engine;
using Tollgate.Engine.Model;

namespace Tollgate.Server.Datastream;

/// <summary>
/// The rules engine's entities (flags, companies, users) in the snake_case shape Schematic's SDKs replicate
/// (spec/schematic-node-sdk-wire.md §5.3): every required key present, lists never null, enums by their wire names.
/// Optional fields that are null are left out, which the SDKs' strict parsers accept.
/// </summary>
internal static class EngineJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };

        // The engine's enum member names are not all their wire names (ComparisonOperator.GreaterThan is `gt`): the
        // engine's own table spells them.
        options.Converters.Add(new WireEnumConverter<RuleType>(WireFormat.NameOf));
        options.Converters.Add(new WireEnumConverter<ConditionType>(WireFormat.NameOf));
        options.Converters.Add(new WireEnumConverter<ComparisonOperator>(WireFormat.NameOf));
        options.Converters.Add(new WireEnumConverter<MetricPeriod>(WireFormat.NameOf));
        options.Converters.Add(new WireEnumConverter<MonthReset>(WireFormat.NameOf));
        options.Converters.Add(new WireEnumConverter<EntitlementValueType>(WireFormat.NameOf));
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class WireEnumConverter<T>(Func<T, string> nameOf) : JsonConverter<T>
        where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("The datastream only writes engine entities.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(nameOf(value));
    }
}
