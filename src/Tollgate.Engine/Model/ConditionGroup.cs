namespace Tollgate.Engine.Model;

/// <summary>Conditions of which at least one must hold; an empty group never holds.</summary>
public sealed record ConditionGroup
{
    /// <summary>The alternatives.</summary>
    public IReadOnlyList<Condition> Conditions { get; init; } = [];
}
