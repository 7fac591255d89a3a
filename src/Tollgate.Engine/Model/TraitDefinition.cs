namespace Tollgate.Engine.Model;

/// <summary>Names a trait and says how its values compare.</summary>
public sealed record TraitDefinition
{
    /// <summary>The definition's id; traits are matched by it.</summary>
    public required string Id { get; init; }

    /// <summary>How values of this trait are compared.</summary>
    public required ComparableType ComparableType { get; init; }

    /// <summary>Whether the trait belongs to companies or users.</summary>
    public required EntityType EntityType { get; init; }
}
