using System.Text.RegularExpressions;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Keeps the generator honest: the differential test only proves agreement on what the scenarios exercise, so this
/// checks, from the generated JSON and the oracle's answers, that every rule type, condition type, operator, comparable
/// type, period, reset and option kind is really there, that every rule type wins somewhere, and that only the
/// deliberately broken scenarios are rejected.
/// </summary>
[Collection(GeneratedScenarioCollection.Name)]
public sealed partial class GeneratorCoverageTests(GeneratedScenarioRun generated)
{
    /// <summary>The generated inputs and the oracle's answers to them cover every engine feature the harness claims.</summary>
    [Fact]
    public void GeneratorCoversEveryRuleConditionAndOperator()
    {
        var batch = generated.Get();
        var coverage = ScenarioCoverage.Measure(batch.Scenarios, batch.Answers);

        AssertCovers(coverage, "rules.ruleType", Vocabulary.RuleTypes);
        AssertCovers(coverage, "conditions.conditionType", [.. Vocabulary.ConditionTypes, .. Vocabulary.UnknownConditionTypes]);
        AssertCovers(coverage, "conditions.operator", [.. Vocabulary.Operators, .. Vocabulary.UnknownOperators]);
        AssertCovers(coverage, "traitDefinition.comparableType", Vocabulary.ComparableTypes);
        AssertCovers(coverage, "traitDefinition.entityType", Vocabulary.EntityTypes);
        AssertCovers(coverage, "comparisonTraitDefinition.entityType", Vocabulary.EntityTypes);
        AssertCovers(coverage, "conditions.metricPeriod", Vocabulary.MetricPeriods);
        AssertCovers(coverage, "conditions.metricPeriodMonthReset", Vocabulary.MonthResets);
        AssertCovers(coverage, "metrics.period", Vocabulary.MetricPeriods);
        AssertCovers(coverage, "metrics.monthReset", Vocabulary.MonthResets);
        AssertCovers(coverage, "entitlements.valueType", Vocabulary.EntitlementValueTypes);
        Assert.Superset(
            new HashSet<string>(Vocabulary.OptionKinds),
            coverage.OptionKinds);
        Assert.Superset(new HashSet<FieldSpelling> { FieldSpelling.Camel, FieldSpelling.Snake }, coverage.Spellings);
        Assert.True(coverage.ExplicitNulls > 0, "no optional field was ever written as an explicit null");

        // Only the deliberately broken scenarios may be rejected; anything else means the generator writes bad JSON.
        Assert.True(coverage.UnintendedVerdicts.Count == 0, "oracle verdicts the generator did not intend:\n" + string.Join("\n", coverage.UnintendedVerdicts.Take(20)));
        var invalidShare = (double)coverage.InvalidScenarios / batch.Scenarios.Count;
        Assert.InRange(invalidShare, 0.02, 0.07);

        var minimumWins = batch.Scenarios.Count / 100;
        foreach (var ruleType in Vocabulary.RuleTypes.Append("(none)"))
        {
            var wins = coverage.Winners.GetValueOrDefault(ruleType);
            Assert.True(wins >= minimumWins, $"'{ruleType}' won {wins} times, fewer than {minimumWins}. {coverage.Describe()}");
        }

        foreach (var feature in new[] { "err", "entitlement", "featureUsage", "featureUsageResetAt" }
            .Concat(Vocabulary.MetricPeriods.Select(p => "featureUsagePeriod=" + p)))
        {
            Assert.True(coverage.AnswerFeatures.GetValueOrDefault(feature) >= 10, $"too few answers with {feature}. {coverage.Describe()}");
        }
    }

    /// <summary>
    /// The issue's disagreements were JavaScript <c>Date.toString()</c> texts on either side of a date condition; the
    /// generator must keep writing them in traits and in condition values, with and without the zone name.
    /// </summary>
    [Fact]
    public void GeneratorWritesJavaScriptDatesInTraitsAndConditionValues()
    {
        var batch = generated.Get();
        var conditionValues = batch.Scenarios.Count(s => ConditionValueDate().IsMatch(s.FlagJson));
        var traits = batch.Scenarios.Count(s => TraitDate().IsMatch(s.CompanyJson ?? "") || TraitDate().IsMatch(s.UserJson ?? ""));
        var withZoneName = batch.Scenarios.Count(s => s.Line.Contains("GMT-0700 (Pacific Daylight Time)", StringComparison.Ordinal));

        Assert.True(conditionValues >= 20, $"only {conditionValues} scenarios hold a JavaScript date in a condition value");
        Assert.True(traits >= 20, $"only {traits} scenarios hold a JavaScript date in a trait");
        Assert.True(withZoneName >= 5, $"only {withZoneName} scenarios hold a JavaScript date with its zone name");
    }

    private static void AssertCovers(ScenarioCoverage coverage, string field, IEnumerable<string> expected)
    {
        var missing = expected.Except(coverage.Values(field)).ToList();
        Assert.True(missing.Count == 0, $"{field} never takes the value(s) {string.Join(", ", missing)}");
    }

    private const string JavaScriptDate = @"[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT[-+]\d{4}";

    [GeneratedRegex(@"""trait_?[vV]alue""\s*:\s*""" + JavaScriptDate)]
    private static partial Regex ConditionValueDate();

    [GeneratedRegex(@"""value""\s*:\s*""" + JavaScriptDate)]
    private static partial Regex TraitDate();
}
