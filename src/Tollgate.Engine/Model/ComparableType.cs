namespace Tollgate.Engine.Model;

/// <summary>How a trait's text is compared (spec §3.4).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The names are Schematic's wire values.")]
public enum ComparableType
{
    /// <summary>Ordinal comparison of the text.</summary>
    String,

    /// <summary>Numbers: whole numbers as 64-bit integers, other numbers as doubles, anything else as 0.</summary>
    Int,

    /// <summary><c>"true"</c> or <c>"1"</c> is true, anything else false.</summary>
    Bool,

    /// <summary>RFC 3339 or <c>YYYY-MM-DD HH:MM:SS ZONE</c>; anything else is empty.</summary>
    Date,
}
