using Tollgate.Engine.Model;

namespace Tollgate.Engine.Explanations;

/// <summary>
/// One condition of an explained rule: whether it holds, and the values the engine compared. Only the fields of the
/// condition's type are set.
/// </summary>
public sealed record ConditionExplanation
{
    /// <summary>The condition as it was compiled (type, operator, expected ids or value, limit…).</summary>
    public required Condition Condition { get; init; }

    /// <summary>Whether it holds.</summary>
    public required bool Holds { get; init; }

    /// <summary>
    /// A metric condition without a limit checked with a company: the reference engine fails the whole rule on it,
    /// even inside a group where another condition holds.
    /// </summary>
    public bool AbortsRule { get; init; }

    /// <summary>The condition is about a company (or user) and none was given, so it cannot hold.</summary>
    public bool SubjectMissing { get; init; }

    /// <summary>Set conditions: the company's (or user's) ids compared with the condition's resource ids — its id, plans, plan versions, billing products or base plan.</summary>
    public IReadOnlyList<string> ActualIds { get; init; } = [];

    /// <summary>Trait conditions: whether the company or user has the trait (a missing trait compares as empty text).</summary>
    public bool? TraitFound { get; init; }

    /// <summary>Trait conditions: the trait's value as compared (empty when missing).</summary>
    public string? ActualText { get; init; }

    /// <summary>Trait conditions: the other side — the condition's value, or the comparison trait's value.</summary>
    public string? ComparedWith { get; init; }

    /// <summary>Trait conditions: the type both sides compare as.</summary>
    public ComparableType? ComparedAs { get; init; }

    /// <summary>Metric conditions: the usage recorded in the condition's period.</summary>
    public long? Usage { get; init; }

    /// <summary>Preflight usage added before comparing (metric conditions, and int trait conditions).</summary>
    public long? PreflightUsage { get; init; }

    /// <summary>Metric conditions: the limit compared with (the comparison trait's value when the condition names one).</summary>
    public long? Limit { get; init; }

    /// <summary>Credit conditions: the balance.</summary>
    public double? Balance { get; init; }

    /// <summary>Credit conditions: what this use costs.</summary>
    public double? Cost { get; init; }

    /// <summary>Credit conditions: whether the credit is postpaid (it may go below zero).</summary>
    public bool? Postpaid { get; init; }

    /// <summary>Credit conditions on a postpaid credit: how far below zero it may go (null: without limit).</summary>
    public double? OverdraftLimit { get; init; }

    /// <summary>Credit conditions: whether the balance covers the cost (<c>gt</c>/<c>gte</c> ask the opposite).</summary>
    public bool? Sufficient { get; init; }
}
