namespace Tollgate.Server.Evaluation.Explain;

/// <summary>
/// A flag checked as one company (and user), explained: the answer the check API gives, and every rule in the order
/// the engine tries them, with each condition's expected and actual value.
/// </summary>
public sealed record CheckExplanation
{
    /// <summary>Whether it was answered, or what was not found.</summary>
    public required ExplainOutcome Outcome { get; init; }

    /// <summary>The flag key asked about.</summary>
    public required string FlagKey { get; init; }

    /// <summary>The flag; null when not found.</summary>
    public ExplainedFlag? Flag { get; init; }

    /// <summary>
    /// Exactly what <c>POST /flags/{key}/check</c> answers for the same company and user (value, reason, rule,
    /// usage, entitlement); null only when the flag was not found.
    /// </summary>
    public CheckFlagResponse? Answer { get; init; }

    /// <summary>The company checked as, if one was named and found.</summary>
    public ExplainedEntity? Company { get; init; }

    /// <summary>The user checked as, if one was named and found.</summary>
    public ExplainedEntity? User { get; init; }

    /// <summary>Every rule taking part, in the order the engine tries them; empty unless <see cref="ExplainOutcome.Answered"/>.</summary>
    public IReadOnlyList<ExplainedRule> Rules { get; init; } = [];

    /// <summary>The rule that decided the answer; null when the flag's default answered.</summary>
    public ExplainedRule? DecidingRule => Rules.FirstOrDefault(r => r.Decided);
}

/// <summary>The flag of an explanation.</summary>
public sealed record ExplainedFlag(string Id, string Key, string Name, bool DefaultValue, string? FeatureId, string? FeatureName);

/// <summary>A company or user of an explanation: id, display name (a key when it has no name) and keys.</summary>
public sealed record ExplainedEntity(string Id, string Name, IReadOnlyDictionary<string, string> Keys);
