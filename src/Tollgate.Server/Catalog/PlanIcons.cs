using Tollgate.Server.Requests;

namespace Tollgate.Server.Catalog;

/// <summary>The colours a plan may be shown in: Schematic's <c>PlanIcon</c> values.</summary>
public static class PlanIcons
{
    /// <summary>What a plan without a chosen colour is answered with (Schematic's responses always carry one).</summary>
    public const string Default = "gray";

    /// <summary>Every value Schematic's clients accept.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "amber", "blue", "blueGray", "blueGreen", "cyan", "emerald", "fuchsia", "gray", "green", "indigo", "lightBlue", "lime", "orange", "pink",
        "purple", "red", "redOrange", "rose", "sky", "slate", "teal", "trueGray", "violet", "warmGray", "yellow",
    ];

    /// <summary>The icon of a request: null stays null; anything else must be one of <see cref="All"/>.</summary>
    public static string? Validate(string? icon)
    {
        if (icon is null)
        {
            return null;
        }

        if (!All.Contains(icon, StringComparer.Ordinal))
        {
            Errors.BadRequest("icon", $"must be one of {string.Join(", ", All)}");
        }

        return icon;
    }
}
