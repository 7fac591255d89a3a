using Tollgate.Engine.Model;

namespace Tollgate.Server.Catalog;

/// <summary>
/// A trait definition in both shapes at once: Tollgate's (<c>name</c>, <c>comparable_type</c>) and Schematic's
/// <c>EntityTraitDefinitionResponseData</c> (<c>display_name</c>, <c>hierarchy</c>, <c>trait_type</c>).
/// </summary>
public sealed record TraitDefinitionResponse(
    string Id,
    string Name,
    string DisplayName,
    IReadOnlyList<string> Hierarchy,
    EntityType EntityType,
    ComparableType ComparableType,
    string TraitType,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The response shape of a definition.</summary>
    public static TraitDefinitionResponse From(TraitDefinitionRecord definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return new(
            definition.Id, definition.Name, definition.DisplayName ?? definition.Name, definition.Name.Split('.'), definition.EntityType, definition.ComparableType,
            TraitTypes.Of(definition.ComparableType), definition.CreatedAt, definition.CreatedAt);
    }
}
