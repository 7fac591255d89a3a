using BenchmarkDotNet.Attributes;
using Tollgate.Benchmarks.Fixtures;
using Tollgate.Engine;
using Tollgate.Engine.Internal;

namespace Tollgate.Benchmarks;

/// <summary>
/// What reading a trait value as a date costs. It happens once per trait value when a company or flag is compiled
/// (never in a compiled check), and on every <c>RulesEngine.CheckFlagJson</c> for each trait of its JSON. The baseline
/// is a text that is no date, the commonest trait value; compiling the realistic fixture's company shows the scale.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DateTextBenchmarks
{
    private readonly string _notADate = "enterprise";
    private readonly string _rfc3339 = "2024-05-01T00:00:00Z";
    private readonly string _javaScript = "Wed Jun 18 2025 10:00:00 GMT-0700";
    private readonly string _javaScriptWithZoneName = "Wed Jun 18 2025 10:00:00 GMT-0700 (Pacific Daylight Time)";
    private readonly string _spacedWithZone = "2025-06-18 10:00:00 UTC";
    private EngineFixture _fixture = null!;

    [GlobalSetup]
    public void Setup() => _fixture = EngineFixture.Load("realistic");

    [Benchmark(Baseline = true)]
    public bool NotADate() => DateTextParser.TryParse(_notADate, out _);

    [Benchmark]
    public bool Rfc3339() => DateTextParser.TryParse(_rfc3339, out _);

    [Benchmark]
    public bool JavaScriptToString() => DateTextParser.TryParse(_javaScript, out _);

    /// <summary>No date: every format is tried to the end.</summary>
    [Benchmark]
    public bool JavaScriptToStringWithZoneName() => DateTextParser.TryParse(_javaScriptWithZoneName, out _);

    [Benchmark]
    public bool SpacedWithZoneWord() => DateTextParser.TryParse(_spacedWithZone, out _);

    /// <summary>The realistic fixture's company (20 traits), compiled: every trait value read in every type.</summary>
    [Benchmark]
    public CompiledCompany? CompileRealisticCompany() => _fixture.CompileCompany();
}
