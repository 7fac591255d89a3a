using System.Text.Json.Nodes;

namespace Tollgate.Server.Components;

/// <summary>
/// Icons for features in the components' data. Tollgate keeps no feature icons (<c>icon</c> is <c>""</c> in the
/// management API), but Schematic's components lay a feature out around its icon: the included-features list puts the
/// icon in a grid column sized to its content, and without one the name and description fall into that column and wrap
/// word by word. A feature without an icon gets one of the components' own icon names (<c>@schematichq/schematic-icons</c>)
/// by its type.
/// </summary>
internal static class ComponentFeatureIcons
{
    /// <summary>Sets <c>icon</c> of a feature (<c>FeatureDetailResponseData</c> as JSON) that has none; null is left alone.</summary>
    public static void Fill(JsonNode? feature)
    {
        if (feature is not JsonObject described || (string?)described["icon"] is { Length: > 0 })
        {
            return;
        }

        described["icon"] = (string?)described["feature_type"] switch
        {
            "event" => "signal",
            "trait" => "stacks",
            _ => "boolean-on",
        };
    }
}
