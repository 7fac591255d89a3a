namespace Tollgate.Engine.Model;

/// <summary>A rule: when its conditions hold, the flag takes the rule's value (spec §3.2).</summary>
public sealed record Rule
{
    /// <summary>The rule's id (<c>rule_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The flag a company or user rule belongs to; rules on a company or user without it are ignored.</summary>
    public string? FlagId { get; init; }

    /// <summary>The account that owns the rule.</summary>
    public required string AccountId { get; init; }

    /// <summary>The environment the rule lives in.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>The rule's type, which decides when it is tried.</summary>
    public required RuleType RuleType { get; init; }

    /// <summary>The rule's name, quoted in the reason of a match.</summary>
    public required string Name { get; init; }

    /// <summary>Order among standard rules: lower first; ties keep input order.</summary>
    public required long Priority { get; init; }

    /// <summary>The flag's value when this rule matches.</summary>
    public required bool Value { get; init; }

    /// <summary>Conditions that must all hold.</summary>
    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    /// <summary>Groups that must each have at least one condition that holds.</summary>
    public IReadOnlyList<ConditionGroup> ConditionGroups { get; init; } = [];
}
