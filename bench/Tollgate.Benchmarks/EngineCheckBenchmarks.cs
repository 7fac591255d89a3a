using BenchmarkDotNet.Attributes;
using Tollgate.Benchmarks.Fixtures;
using Tollgate.Engine;
using Tollgate.Engine.Json;

namespace Tollgate.Benchmarks;

/// <summary>
/// One flag check on the shared fixtures, two ways: <see cref="CompiledCheck"/> is the fast path (flag, company and
/// user compiled once), <see cref="JsonCheck"/> is the entry point that stands in for Schematic's WASM, JSON strings in
/// and out. <c>bench/wasm/time-wasm.mjs</c> times the WASM on the same inputs; <c>bench/run-engine-bench.sh</c> runs
/// both and writes the ratios (of medians: the WASM script reports medians too).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EngineCheckBenchmarks
{
    private EngineFixture _fixture = null!;
    private CompiledFlag _flag = null!;
    private CompiledCompany? _company;
    private CompiledUser? _user;
    private DateTimeOffset _now;

    /// <summary>The fixture in bench/fixtures: 1 rule; 8 rules and 20 conditions; 50 rules and 140 conditions.</summary>
    [Params("small", "realistic", "large")]
    public string Fixture { get; set; } = "realistic";

    [GlobalSetup]
    public void Setup()
    {
        _fixture = EngineFixture.Load(Fixture);
        _flag = _fixture.CompileFlag();
        _company = _fixture.CompileCompany();
        _user = _fixture.CompileUser();
        _now = _fixture.Now;

        // Time nothing that gives a different answer: the JSON entry point must answer exactly as the WASM did, and
        // the compiled check must give that same answer.
        var json = JsonCheck();
        Require(json == _fixture.ExpectedJson, "RulesEngine.CheckFlagJson differs from the WASM's answer", json, _fixture.ExpectedJson);
        var compiled = ResultWriter.Write(CompiledCheck());
        Require(compiled == json, "the compiled check differs from RulesEngine.CheckFlagJson", compiled, json);
    }

    [Benchmark]
    public CheckResult CompiledCheck() => _flag.Check(_company, _user, options: null, _now);

    [Benchmark]
    public string JsonCheck() => RulesEngine.CheckFlagJson(_fixture.FlagJson, _fixture.CompanyJson, _fixture.UserJson, optionsJson: null, _now);

    private void Require(bool holds, string what, string got, string want)
    {
        if (!holds)
        {
            throw new InvalidOperationException($"Fixture '{Fixture}': {what}.\n  got:  {got}\n  want: {want}");
        }
    }
}
