namespace Tollgate.Engine.Model;

/// <summary>A company's or user's value for a trait.</summary>
public sealed record Trait
{
    /// <summary>The trait's definition; a trait without one is never found.</summary>
    public TraitDefinition? TraitDefinition { get; init; }

    /// <summary>The value, always as text.</summary>
    public required string Value { get; init; }
}
