namespace Tollgate.Server.Evaluation.Explain;

/// <summary>One rule of an explained check.</summary>
public sealed record ExplainedRule
{
    /// <summary>The rule's id (an entitlement's or override's id for the rules compiled from them).</summary>
    public required string Id { get; init; }

    /// <summary>Its name (for plan entitlements, the plan and version; for overrides, the note).</summary>
    public required string Name { get; init; }

    /// <summary>The wire rule type (<c>standard</c>, <c>plan_entitlement</c>…).</summary>
    public required string RuleType { get; init; }

    /// <summary>The rule type in words ("Plan entitlement", "Plan limit reached"…).</summary>
    public required string Kind { get; init; }

    /// <summary>Where it comes from: <c>flag</c>, <c>company</c> (overrides) or <c>user</c>.</summary>
    public required string Source { get; init; }

    /// <summary>One of the flag's own rules, edited in the rules editor (the others come from plans and overrides).</summary>
    public required bool IsFlagRule { get; init; }

    /// <summary>Order among standard rules, lowest first.</summary>
    public required long Priority { get; init; }

    /// <summary>The value the flag takes when this rule decides.</summary>
    public required bool Value { get; init; }

    /// <summary>Its place in the engine's visiting order, from 1.</summary>
    public required int Position { get; init; }

    /// <summary>Whether the engine tried it (false for the rules after the deciding one).</summary>
    public required bool Reached { get; init; }

    /// <summary>Whether its conditions hold.</summary>
    public required bool Matched { get; init; }

    /// <summary>Whether it decided the answer.</summary>
    public required bool Decided { get; init; }

    /// <summary>A global override or default: matches whatever its conditions say.</summary>
    public required bool Unconditional { get; init; }

    /// <summary>Conditions that must all hold.</summary>
    public required IReadOnlyList<ExplainedCondition> Conditions { get; init; }

    /// <summary>Groups that must each have one condition that holds.</summary>
    public required IReadOnlyList<ExplainedConditionGroup> ConditionGroups { get; init; }
}

/// <summary>A condition group: whether it holds, and its alternatives.</summary>
public sealed record ExplainedConditionGroup(bool Holds, IReadOnlyList<ExplainedCondition> Conditions);
