using Tollgate.Engine.Explanations;

namespace Tollgate.Server.Evaluation.Explain;

/// <summary>One condition of an explained rule, with what it expects and what the company or user has, in words.</summary>
public sealed record ExplainedCondition
{
    /// <summary>The condition's id.</summary>
    public required string Id { get; init; }

    /// <summary>The wire condition type: <c>trait</c>, <c>metric</c>, <c>plan</c>, <c>base_plan</c>, <c>company</c>, <c>user</c>, <c>plan_version</c>, <c>billing_product</c>, <c>credit</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The wire operator (<c>eq</c>, <c>gte</c>…).</summary>
    public required string Operator { get; init; }

    /// <summary>What is tested, in words ("Company trait seats", "Usage of api_call this month").</summary>
    public required string Subject { get; init; }

    /// <summary>The operator in words or symbols ("is one of", "≥").</summary>
    public required string Comparison { get; init; }

    /// <summary>The expected value(s), names rather than ids where there are names.</summary>
    public required string Expected { get; init; }

    /// <summary>What the company or user has.</summary>
    public required string Actual { get; init; }

    /// <summary>Whether the condition holds.</summary>
    public required bool Holds { get; init; }

    /// <summary>A metric condition without a limit: the engine fails the whole rule on it.</summary>
    public required bool AbortsRule { get; init; }

    /// <summary>Anything a reader needs to know to understand the verdict, or null.</summary>
    public string? Note { get; init; }

    /// <summary>The engine's explanation: the compiled condition and every value it compared.</summary>
    public required ConditionExplanation Detail { get; init; }
}
