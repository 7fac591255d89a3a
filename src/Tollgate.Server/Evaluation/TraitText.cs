using System.Globalization;
using System.Text.Json;

namespace Tollgate.Server.Evaluation;

/// <summary>Trait values arrive as JSON strings, numbers or booleans; the engine compares text.</summary>
internal static class TraitText
{
    public static string Of(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Null or JsonValueKind.Undefined => string.Empty,
        _ => value.GetRawText(),
    };

    /// <summary>The whole-number reading of a trait value, as usage of a trait feature.</summary>
    public static long? AsInteger(JsonElement value) =>
        long.TryParse(Of(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
}
