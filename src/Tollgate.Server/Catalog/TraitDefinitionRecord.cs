using Tollgate.Engine.Model;

namespace Tollgate.Server.Catalog;

/// <summary>A named trait of companies or users and how its values compare.</summary>
public sealed record TraitDefinitionRecord
{
    /// <summary>The definition's id (<c>trait_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The trait's name, as in a company's <c>traits</c> map.</summary>
    public required string Name { get; init; }

    /// <summary>Whose trait it is.</summary>
    public required EntityType EntityType { get; init; }

    /// <summary>How values compare.</summary>
    public required ComparableType ComparableType { get; init; }

    /// <summary>The name shown to people (Schematic's <c>display_name</c>); the name when none was given.</summary>
    public string? DisplayName { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
