using Tollgate.Engine.Explanations;
using Tollgate.Engine.Internal;
using Tollgate.Engine.Json;
using Tollgate.Engine.Model;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Over the differential corpus (the hand-written examples, the date probes and the generated scenarios the oracle
/// judges), <see cref="CompiledFlag.Explain"/> must agree with <see cref="CompiledFlag.Check"/> on every case: the same
/// answer byte for byte, its deciding rule the checked rule, and every rule's and group's verdict consistent with the
/// verdicts of its conditions. No oracle is needed: Check is the reference here, and the differential tests tie Check
/// to Schematic's engine.
/// </summary>
public sealed class ExplainAgreementTests
{
    [Fact]
    public void ExplainAgreesWithCheckOnTheHandWrittenExamples() =>
        AssertAgreement(File.ReadAllLines(Path.Combine(OracleRunner.OracleDirectory, "examples.jsonl")), minimumExplained: 40);

    [Fact]
    public void ExplainAgreesWithCheckOnTheDateProbes() =>
        AssertAgreement(DateProbeScenarios.Lines(ScenarioGenerator.DefaultSeed), minimumExplained: 25_000);

    [Fact]
    public void ExplainAgreesWithCheckOnGeneratedScenarios() =>
        AssertAgreement(ScenarioGenerator.GenerateLines(ScenarioGenerator.DefaultSeed, 20_000), minimumExplained: 18_000);

    private static void AssertAgreement(IReadOnlyList<string> lines, int minimumExplained)
    {
        var explained = 0;
        var decided = 0;
        var failures = new List<string>();
        foreach (var scenario in ScenarioInput.FromLines(lines))
        {
            (CompiledFlag Flag, CompiledCompany? Company, CompiledUser? User, CheckOptions? Options) inputs;
            try
            {
                inputs = RulesEngine.ParseInputs(scenario.FlagJson, scenario.CompanyJson, scenario.UserJson, scenario.OptionsJson);
            }
            catch (EngineInputException)
            {
                // Input Schematic's engine rejects: there is no answer to explain.
                continue;
            }

            var (flag, company, user, options) = inputs;
            var check = flag.Check(company, user, options, scenario.Now);
            var explanation = flag.Explain(company, user, options, scenario.Now);
            explained++;
            decided += explanation.DecidingRule is null ? 0 : 1;
            if (Disagreement(flag, company, user, check, explanation) is { } problem && failures.Count < 20)
            {
                failures.Add($"{scenario.Id}: {problem}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(explained >= minimumExplained, $"only {explained} scenarios were explained");
        // The corpus must exercise both outcomes, or agreement proves little.
        Assert.InRange(decided, explained / 10, explained - (explained / 20));
    }

    private static string? Disagreement(CompiledFlag flag, CompiledCompany? company, CompiledUser? user, CheckResult check, FlagExplanation explanation)
    {
        var expected = ResultWriter.Write(check);
        var actual = ResultWriter.Write(explanation.Result);
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return $"results differ:\n  check   {expected}\n  explain {actual}";
        }

        if (explanation.DecidingRule?.Rule.Id != check.RuleId || explanation.DecidingRule?.Rule.RuleType != check.RuleType)
        {
            return $"deciding rule {explanation.DecidingRule?.Rule.Id} but the check matched {check.RuleId}";
        }

        if (explanation.DecidingRule is { } decider && decider.Rule.Value != check.Value)
        {
            return $"deciding rule's value {decider.Rule.Value} but the check answered {check.Value}";
        }

        var ruleCount = flag.Source.Rules.Count
            + (company?.Source.Rules.Count(r => r.FlagId == flag.Id) ?? 0)
            + (user?.Source.Rules.Count(r => r.FlagId == flag.Id) ?? 0);
        if (explanation.Rules.Count != ruleCount)
        {
            return $"{explanation.Rules.Count} rules explained, {ruleCount} take part";
        }

        var seenDecider = false;
        for (var i = 0; i < explanation.Rules.Count; i++)
        {
            var rule = explanation.Rules[i];
            if (RuleProblem(rule, i, explanation.Rules, check, seenDecider) is { } problem)
            {
                return $"rule {rule.Rule.Id} (#{rule.Position}): {problem}";
            }

            seenDecider |= rule.Decided;
        }

        return !seenDecider && check.Error is null && check.RuleId is not null ? "no rule decided but the check matched one" : null;
    }

    private static string? RuleProblem(RuleExplanation rule, int index, IReadOnlyList<RuleExplanation> rules, CheckResult check, bool afterDecider)
    {
        if (rule.Position != index + 1)
        {
            return "positions are not 1, 2, 3…";
        }

        // Visiting order: by rule type, and standard rules by priority.
        if (index > 0 && (rules[index - 1].Rule.RuleType > rule.Rule.RuleType
            || (rule.Rule.RuleType == RuleType.Standard && rules[index - 1].Rule.RuleType == RuleType.Standard && rules[index - 1].Rule.Priority > rule.Rule.Priority)))
        {
            return "out of visiting order";
        }

        var shouldBeReached = check.Error is null && !afterDecider;
        if (rule.Reached != shouldBeReached)
        {
            return $"reached is {rule.Reached}";
        }

        if (rule.Reached && rule.Matched != rule.Decided)
        {
            return "a reached rule that matched did not decide";
        }

        if (rule.Unconditional != (rule.Rule.RuleType is RuleType.GlobalOverride or RuleType.Default))
        {
            return "unconditional flag wrong";
        }

        foreach (var condition in rule.Conditions.Concat(rule.ConditionGroups.SelectMany(g => g.Conditions)))
        {
            if (OperandsVerdict(condition) is { } verdict && verdict != condition.Holds)
            {
                return $"condition {condition.Condition.Id} ({condition.Condition.ConditionType} {condition.Condition.Operator}): the values shown give {verdict}, the engine {condition.Holds}";
            }
        }

        foreach (var group in rule.ConditionGroups)
        {
            // A group holds when its first condition that holds or aborts holds without aborting.
            var first = group.Conditions.FirstOrDefault(c => c.Holds || c.AbortsRule);
            if (group.Holds != (first is not null && !first.AbortsRule))
            {
                return "a group's verdict does not follow from its conditions";
            }
        }

        var conditionsHold = rule.Conditions.All(c => c.Holds && !c.AbortsRule) && rule.ConditionGroups.All(g => g.Holds);
        return rule.Matched != (rule.Unconditional || conditionsHold) ? "the rule's verdict does not follow from its conditions" : null;
    }

    /// <summary>
    /// The verdict the explained values give when compared as the engine compares them; null when the explanation
    /// shows no values to compare (the entity is missing, or the condition cannot be read).
    /// </summary>
    private static bool? OperandsVerdict(ConditionExplanation c)
    {
        var condition = c.Condition;
        var op = condition.Operator;
        bool InOrNotIn(bool member) => op == ComparisonOperator.NotEqual ? !member : member;
        if (c.SubjectMissing)
        {
            return null;
        }

        return condition.ConditionType switch
        {
            ConditionType.Company or ConditionType.User or ConditionType.Plan or ConditionType.PlanVersion or ConditionType.BillingProduct =>
                InOrNotIn(condition.ResourceIds.Intersect(c.ActualIds, StringComparer.Ordinal).Any()),
            ConditionType.BasePlan => op switch
            {
                ComparisonOperator.Equal => c.ActualIds.Count == 1 && condition.ResourceIds.Contains(c.ActualIds[0], StringComparer.Ordinal),
                ComparisonOperator.NotEqual => c.ActualIds.Count == 0 || !condition.ResourceIds.Contains(c.ActualIds[0], StringComparer.Ordinal),
                ComparisonOperator.IsEmpty => c.ActualIds.Count == 0,
                ComparisonOperator.NotEmpty => c.ActualIds.Count == 1,
                _ => false,
            },
            ConditionType.Trait when c.ComparedAs is { } type => Comparisons.Compare(
                new ComparableText(c.ActualText!), new ComparableText(c.ComparedWith!), type, op, c.PreflightUsage ?? 0),
            ConditionType.Metric when c.Limit is { } limit => Comparisons.CompareIntegers(unchecked(c.Usage!.Value + (c.PreflightUsage ?? 0)), limit, op),
            ConditionType.Credit when c.Sufficient is { } sufficient =>
                op is ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual ? !sufficient : sufficient,
            _ => null,
        };
    }
}
