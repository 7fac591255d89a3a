using System.Diagnostics;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// Tollgate's rules engine must give byte-identical answers to Schematic's own engine (the WASM in the Node SDK, run
/// live through tests/oracle), and reject exactly the inputs it rejects. Other batches: set TOLLGATE_DIFF_SEED and/or
/// TOLLGATE_DIFF_COUNT. Inputs, answers and reports are written to the test output directory's differential/ folder.
/// </summary>
[Collection(GeneratedScenarioCollection.Name)]
public sealed class DifferentialTests(GeneratedScenarioRun generated)
{
    private const int MinimumGeneratedScenarios = 2_500;
    private const int CasesShownInFailure = 30;

    /// <summary>The 49 hand-written scenarios of tests/oracle/examples.jsonl, one semantic each.</summary>
    [Fact]
    public void ExamplesAgreeWithSchematicsEngine()
    {
        var lines = File.ReadAllLines(Path.Combine(OracleRunner.OracleDirectory, "examples.jsonl")).ToList();
        Assert.True(lines.Count >= 49, $"examples.jsonl should hold the 49 hand-written scenarios, found {lines.Count} lines");

        AssertAgreement(Batch.Run("tests/oracle/examples.jsonl", "examples", lines));
    }

    /// <summary>
    /// Every date layout of <see cref="DateTexts"/> (ISO 8601, JavaScript's Date texts, RFC 2822, epochs, partial and
    /// impossible dates, whitespace) on both sides of a date trait condition, with every operator and with the trait missing.
    /// </summary>
    [Fact]
    public void DateTextsAgreeWithSchematicsEngine()
    {
        var lines = DateProbeScenarios.Lines(ScenarioGenerator.DefaultSeed);
        Assert.True(lines.Count > 25_000, $"expected every date text with every operator, found {lines.Count} scenarios");

        AssertAgreement(Batch.Run($"{DateTexts.All.Count} date texts, {lines.Count} scenarios", "dates", lines));
    }

    /// <summary>Thousands of seeded scenarios from <see cref="ScenarioGenerator"/>, edges included.</summary>
    [Fact]
    public void GeneratedScenariosAgreeWithSchematicsEngine()
    {
        Assert.True(
            generated.Count >= MinimumGeneratedScenarios || Environment.GetEnvironmentVariable("TOLLGATE_DIFF_COUNT") is not null,
            $"the default run must compare at least {MinimumGeneratedScenarios} scenarios");

        AssertAgreement(generated.Get());
    }

    private static void AssertAgreement(Batch batch)
    {
        var stopwatch = Stopwatch.StartNew();
        var disagreements = EngineComparison.Compare(batch.Scenarios, batch.Answers);
        stopwatch.Stop();
        if (disagreements.Count == 0)
        {
            return;
        }

        var fullReportPath = Path.Combine(TestArtifacts.Directory, $"{batch.FileStem}.disagreements.txt");
        var scenariosPath = Path.Combine(TestArtifacts.Directory, $"{batch.FileStem}.scenarios.jsonl");
        var runName = $"{batch.Name}; oracle {batch.OracleTime.TotalSeconds:F1} s, Tollgate {stopwatch.Elapsed.TotalSeconds:F1} s";
        string[] notes =
        [
            $"Scenarios: {scenariosPath}",
            $"Oracle answers: {Path.Combine(TestArtifacts.Directory, $"{batch.FileStem}.oracle.jsonl")}",
            $"Replay one case: grep -F '\"id\":\"<id>\"' {scenariosPath} | node {Path.Combine(OracleRunner.OracleDirectory, "oracle.mjs")}",
        ];
        File.WriteAllText(fullReportPath, DisagreementReport.Format(runName, batch.Scenarios.Count, disagreements, int.MaxValue, notes));
        Assert.Fail(DisagreementReport.Format(runName, batch.Scenarios.Count, disagreements, CasesShownInFailure, [$"Full report: {fullReportPath}", .. notes]));
    }
}
