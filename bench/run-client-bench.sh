#!/usr/bin/env bash
# Times Tollgate.Client's CheckFlag against a real server started in-process (ClientCheckBenchmarks): warm from the
# datastream replica, over REST (uncached, loopback), and the engine's compiled check alone as the floor. Writes
# bench/results/client-<date>-bdn.md. In-process (BenchmarkDotNet's generated project would rebuild the server). A few minutes on a 2-core machine; run it on an otherwise idle one.
#
#   bash bench/run-client-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
date=$(date -u +%Y-%m-%d)
artifacts=bench/BenchmarkDotNet.Artifacts/client
rm -rf "$artifacts"
dotnet run -c Release --project bench/Tollgate.Benchmarks -- --filter '*ClientCheckBenchmarks*' --inProcess \
  --warmupCount 5 --iterationCount 15 --iterationTime 250 --artifacts "$artifacts"
cp "$artifacts/results/Tollgate.Benchmarks.ClientCheckBenchmarks-report-github.md" "bench/results/client-$date-bdn.md"
echo "wrote bench/results/client-$date-bdn.md"
