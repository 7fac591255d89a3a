namespace Tollgate.Engine.Explanations;

/// <summary>A condition group of an explained rule.</summary>
public sealed record ConditionGroupExplanation
{
    /// <summary>Whether the group holds: one of its conditions holds before any that aborts the rule.</summary>
    public required bool Holds { get; init; }

    /// <summary>The alternatives, in order.</summary>
    public required IReadOnlyList<ConditionExplanation> Conditions { get; init; }
}
