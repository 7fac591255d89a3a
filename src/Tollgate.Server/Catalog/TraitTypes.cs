using Tollgate.Engine.Model;

namespace Tollgate.Server.Catalog;

/// <summary>Schematic's trait types and the comparable types the engine compares by.</summary>
internal static class TraitTypes
{
    /// <summary>Schematic's six trait types: currency compares as a number, url as a string.</summary>
    public static readonly (string, ComparableType)[] All =
    [
        ("boolean", ComparableType.Bool), ("currency", ComparableType.Int), ("date", ComparableType.Date), ("number", ComparableType.Int),
        ("string", ComparableType.String), ("url", ComparableType.String),
    ];

    /// <summary>The trait type a comparable type is shown as.</summary>
    public static string Of(ComparableType type) => type switch
    {
        ComparableType.Bool => "boolean",
        ComparableType.Int => "number",
        ComparableType.Date => "date",
        _ => "string",
    };
}
