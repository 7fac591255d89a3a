using BenchmarkDotNet.Running;

// bash bench/run-engine-bench.sh runs the engine benchmarks with the committed settings; any BenchmarkDotNet
// arguments work here too, e.g. `dotnet run -c Release --project bench/Tollgate.Benchmarks -- --filter '*'`.
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Tollgate.Benchmarks.EngineCheckBenchmarks).Assembly).Run(args);

// A benchmark whose setup failed (e.g. a fixture answer that no longer matches the WASM's) must fail the run.
return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
