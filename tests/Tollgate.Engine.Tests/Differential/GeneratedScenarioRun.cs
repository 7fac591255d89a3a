using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Tollgate.Engine.Tests.Differential;

/// <summary>
/// The generated scenarios and the oracle's answers to them, computed once and shared by the tests in the collection.
/// The seed and count come from <c>TOLLGATE_DIFF_SEED</c> / <c>TOLLGATE_DIFF_COUNT</c> when set.
/// </summary>
public sealed class GeneratedScenarioRun
{
    private readonly Lazy<Batch> _batch;

    /// <summary>Reads the seed and count; nothing runs until a test asks for the batch.</summary>
    public GeneratedScenarioRun()
    {
        Seed = FromEnvironment("TOLLGATE_DIFF_SEED", ScenarioGenerator.DefaultSeed);
        Count = FromEnvironment("TOLLGATE_DIFF_COUNT", ScenarioGenerator.DefaultCount);

        // Lazy, so that a missing node or npm install fails each test with its own clear message, not a fixture error.
        _batch = new Lazy<Batch>(() => Batch.Run($"seed {Seed}, {Count} scenarios", $"s{Seed}-n{Count}", ScenarioGenerator.GenerateLines(Seed, Count)));
    }

    /// <summary>The generator seed of this run.</summary>
    public int Seed { get; }

    /// <summary>How many scenarios this run generates.</summary>
    public int Count { get; }

    internal Batch Get() => _batch.Value;

    private static int FromEnvironment(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : fallback;
}

/// <summary>A set of scenario lines with the oracle's answers, and the artifacts written for them.</summary>
internal sealed record Batch(string Name, string FileStem, List<ScenarioInput> Scenarios, IReadOnlyList<OracleAnswer> Answers, TimeSpan OracleTime)
{
    public static Batch Run(string name, string fileStem, List<string> lines)
    {
        TestArtifacts.Write($"{fileStem}.scenarios.jsonl", lines);
        var stopwatch = Stopwatch.StartNew();
        var answers = OracleRunner.Run(lines);
        stopwatch.Stop();
        TestArtifacts.Write(
            $"{fileStem}.oracle.jsonl",
            answers.Select(a => a.ResultJson is null
                ? $"{{\"id\":{JsonSerializer.Serialize(a.Id)},\"error\":{JsonSerializer.Serialize(a.Error)}}}"
                : $"{{\"id\":{JsonSerializer.Serialize(a.Id)},\"result\":{a.ResultJson}}}"));
        return new Batch(name, fileStem, ScenarioInput.FromLines(lines), answers, stopwatch.Elapsed);
    }
}

/// <summary>Tests sharing one generated batch, so the oracle runs once per test run.</summary>
[CollectionDefinition(Name)]
public sealed class GeneratedScenarioCollection : ICollectionFixture<GeneratedScenarioRun>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Generated rules-engine scenarios";
}
