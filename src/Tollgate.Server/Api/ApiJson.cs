using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tollgate.Server.Api;

/// <summary>The wire format: snake_case names and enum values, as Schematic's API; nulls are written.</summary>
public static class ApiJson
{
    /// <summary>Applies the wire format to serializer options.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        options.NumberHandling = JsonNumberHandling.Strict;
    }
}
