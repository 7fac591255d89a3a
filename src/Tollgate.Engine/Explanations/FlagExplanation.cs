namespace Tollgate.Engine.Explanations;

/// <summary>
/// Why a check answered what it did (<see cref="CompiledFlag.Explain"/>): the check's own result, and every rule that
/// takes part in the order the check visits them, each with its conditions evaluated by the engine's condition code.
/// </summary>
public sealed class FlagExplanation
{
    internal FlagExplanation(CheckResult result, IReadOnlyList<RuleExplanation> rules)
    {
        Result = result;
        Rules = rules;
        foreach (var rule in rules)
        {
            if (rule.Decided)
            {
                DecidingRule = rule;
                break;
            }
        }
    }

    /// <summary>The answer, exactly as <see cref="CompiledFlag.Check"/> gives it for the same inputs.</summary>
    public CheckResult Result { get; }

    /// <summary>Every rule for this flag, company and user, in visiting order (spec §3.2).</summary>
    public IReadOnlyList<RuleExplanation> Rules { get; }

    /// <summary>The rule that decided the answer; null when none matched (the flag's default) or preflight was rejected.</summary>
    public RuleExplanation? DecidingRule { get; }
}
