#!/usr/bin/env bash
# Measures Tollgate's rules engine against Schematic's rules-engine WASM on the same fixtures, on this machine, in one
# sitting, and writes bench/results/engine-<date>.md (both tables and the ratios), the BenchmarkDotNet GitHub report
# and the WASM timings beside it, and the latest numbers into bench/README.md. About 6 minutes on a 2-core machine.
#
#   bash bench/run-engine-bench.sh
#
# Run it on an otherwise idle machine: the two engines are timed one after the other, never at the same time.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

started=$(date +%s)
date=$(date -u +%Y-%m-%d)
results=bench/results
artifacts=bench/BenchmarkDotNet.Artifacts/engine   # git-ignored: logs and raw exports of the last run
report_name=Tollgate.Benchmarks.EngineCheckBenchmarks
mkdir -p "$results"
rm -rf "$artifacts"
mkdir -p "$artifacts"

# The JSON check needs a few seconds of calls before tiered JIT has recompiled the hot System.Text.Json code, so the
# warm-up is long (15 x 500 ms); two launches catch a process whose JIT decisions came out differently.
job_args=(--launchCount 2 --warmupCount 15 --iterationCount 30 --iterationTime 500)
job_settings="LaunchCount=2, WarmupCount=15, IterationCount=30, IterationTime=500ms"

echo "== Schematic's engine (npm, tests/oracle)"
if [ ! -f tests/oracle/node_modules/@schematichq/schematic-typescript-node/package.json ]; then
  (cd tests/oracle && npm ci --no-audit --no-fund)
fi

echo "== build (Release)"
dotnet build bench/Tollgate.Benchmarks/Tollgate.Benchmarks.csproj -c Release

echo "== Schematic's WASM: checkFlag, JSON in and out"
node bench/wasm/time-wasm.mjs --batches=15 --batch-ms=200 --warmup-ms=3000 --json="$artifacts/wasm.json"

echo "== Tollgate: BenchmarkDotNet (EngineCheckBenchmarks)"
# BenchmarkDotNet builds its own boilerplate project first; its default 2-minute limit fails the run on a busy machine.
dotnet run -c Release --no-build --project bench/Tollgate.Benchmarks -- \
  --filter '*EngineCheckBenchmarks*' "${job_args[@]}" --buildTimeout 900 --exporters json --artifacts "$artifacts/bdn"

bdn_json="$artifacts/bdn/results/$report_name-report-full-compressed.json"
bdn_md="$artifacts/bdn/results/$report_name-report-github.md"
for produced in "$bdn_json" "$bdn_md"; do
  [ -f "$produced" ] || { echo "BenchmarkDotNet did not write $produced" >&2; exit 1; }
done

echo "== report"
cp "$bdn_md" "$results/engine-$date-bdn.md"
cp "$artifacts/wasm.json" "$results/engine-$date-wasm.json"
elapsed=$(( $(date +%s) - started ))
# What was measured, when the engine has uncommitted edits: a hash of its C# sources (same hash, same engine).
engine_hash=$(git ls-files --cached --others --exclude-standard -- 'src/Tollgate.Engine/*.cs' | LC_ALL=C sort \
  | xargs cat | sha256sum | cut -c1-12)
if [ -n "$(git status --porcelain -- src/Tollgate.Engine)" ]; then
  source_state="engine source with uncommitted changes, sources sha256 $engine_hash"
else
  source_state="engine source as committed, sources sha256 $engine_hash"
fi
cat > "$artifacts/context.json" <<EOF
{
  "date": "$date",
  "commit": "$(git rev-parse --short HEAD)",
  "sourceState": "$source_state",
  "jobSettings": "$job_settings",
  "duration": "$((elapsed / 60)) min $((elapsed % 60)) s"
}
EOF
node bench/report/engine-report.mjs --bdn="$bdn_json" --wasm="$artifacts/wasm.json" --context="$artifacts/context.json" \
  --out="$results/engine-$date.md" --bdn-report="engine-$date-bdn.md" --readme=bench/README.md > /dev/null

echo "== wrote $results/engine-$date.md, $results/engine-$date-bdn.md, $results/engine-$date-wasm.json and bench/README.md"
cat "$results/engine-$date.md"
