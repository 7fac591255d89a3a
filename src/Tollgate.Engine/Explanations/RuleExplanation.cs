using Tollgate.Engine.Model;

namespace Tollgate.Engine.Explanations;

/// <summary>One rule of an explained check.</summary>
public sealed record RuleExplanation
{
    /// <summary>The rule as it was compiled.</summary>
    public required Rule Rule { get; init; }

    /// <summary>Whether the rule is the flag's, the company's or the user's.</summary>
    public required RuleSource Source { get; init; }

    /// <summary>Its place in the visiting order, from 1.</summary>
    public required int Position { get; init; }

    /// <summary>Whether the check tried it: false for rules after the deciding one, and for every rule when preflight was rejected.</summary>
    public required bool Reached { get; init; }

    /// <summary>Whether its conditions hold (global overrides and defaults match whatever their conditions say).</summary>
    public required bool Matched { get; init; }

    /// <summary>Whether this is the rule that decided the answer: the first reached rule that matched.</summary>
    public required bool Decided { get; init; }

    /// <summary>A global override or default rule: it matches whatever its conditions say.</summary>
    public required bool Unconditional { get; init; }

    /// <summary>The conditions that must all hold, in order.</summary>
    public required IReadOnlyList<ConditionExplanation> Conditions { get; init; }

    /// <summary>The groups that must each have one condition that holds.</summary>
    public required IReadOnlyList<ConditionGroupExplanation> ConditionGroups { get; init; }
}
