#!/usr/bin/env bash
# Times Tollgate.Client's CheckFlag against a real server started in-process (ClientCheckBenchmarks): warm from the
# datastream replica, over REST (uncached, loopback), and the engine's compiled check alone as the floor. Writes
# bench/results/client-<date>-bdn.md. In-process (BenchmarkDotNet's generated project would rebuild the server). A few minutes on a 2-core machine; run it on an otherwise idle one.
# In the same sitting, first, it times the official Schematic Node SDK's local (datastream) check of the same flag and
# company against a server of its own (bench/client/node-datastream-check.mjs; needs `npm ci` in tests/sdk-client) and
# writes bench/results/client-<date>-node.json.
#
#   bash bench/run-client-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
date=$(date -u +%Y-%m-%d)

key=sch_client_bench_secret_key_0001_Pz8Wq4Rt
port=$((20000 + RANDOM % 20000))
data=$(mktemp -d)
dotnet build -c Release src/Tollgate.Server -v q -nologo
dotnet src/Tollgate.Server/bin/Release/net10.0/Tollgate.Server.dll --data "$data" --demo \
  --urls "http://127.0.0.1:$port" "--Tollgate:ApiKey=$key" --Logging:LogLevel:Default=Warning > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/health" > /dev/null && break
  sleep 0.5
done
node bench/client/node-datastream-check.mjs "http://127.0.0.1:$port" "$key" | tee "bench/results/client-$date-node.json"
kill $server
wait $server 2>/dev/null || true
artifacts=bench/BenchmarkDotNet.Artifacts/client
rm -rf "$artifacts"
dotnet run -c Release --project bench/Tollgate.Benchmarks -- --filter '*ClientCheckBenchmarks*' --inProcess \
  --warmupCount 5 --iterationCount 15 --iterationTime 250 --artifacts "$artifacts"
cp "$artifacts/results/Tollgate.Benchmarks.ClientCheckBenchmarks-report-github.md" "bench/results/client-$date-bdn.md"
echo "wrote bench/results/client-$date-bdn.md"
