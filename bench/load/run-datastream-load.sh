#!/usr/bin/env bash
# Idle datastream connections on one node (issue 15, item 1): server memory per connection and write-to-push latency
# (from sending a company write to each connection receiving the pushed company; target p99 ≤ 100 ms). Starts the
# server (CONFIG, Release by default) on SQLite with the demo data, runs bench/load/datastream-connections.mjs, and
# writes bench/results/datastream-<date>-<connections>c.md.
#
#   bash bench/load/run-datastream-load.sh        # CONNECTIONS (1000), WRITES (20), CONFIG (Release), COMPANIES (1:
#                                                 # every connection follows one company), BACKGROUND (0 writers of
#                                                 # tracks for unfollowed companies), SERVER_DLL (a prebuilt server,
#                                                 # for a baseline of another commit), OUT (a file, or - to print)
set -euo pipefail
cd "$(dirname "$0")/../.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
connections=${CONNECTIONS:-1000}
writes=${WRITES:-20}
companies=${COMPANIES:-1}
background=${BACKGROUND:-0}
config=${CONFIG:-Release}
date=$(date -u +%Y-%m-%d)
out=${OUT:-bench/results/datastream-$date-${connections}c.md}
work=$(mktemp -d /tmp/tollgate-datastream-load.XXXXXX)
key=sch_bench_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
port=${PORT:-18799}

dll=${SERVER_DLL:-src/Tollgate.Server/bin/$config/net10.0/Tollgate.Server.dll}
[ "$config" = Debug ] || [ -n "${SERVER_DLL:-}" ] || dotnet build -c "$config" src/Tollgate.Server -v q -nologo >/dev/null
dotnet "$dll" --urls "http://127.0.0.1:$port" \
  --Tollgate:Storage:Provider=sqlite "--Tollgate:Storage:ConnectionString=Data Source=$work/tollgate.db" \
  "--Tollgate:ApiKey=$key" --Tollgate:Demo=true --contentRoot "$work" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
result=$(node bench/load/datastream-connections.mjs "http://127.0.0.1:$port" "$key" "$server" "$connections" "$writes" "$companies" "$background")
report() {
  echo "# Datastream connections — $date"
  echo
  echo "Command: \`CONNECTIONS=$connections WRITES=$writes COMPANIES=$companies BACKGROUND=$background CONFIG=$config bash bench/load/run-datastream-load.sh\`${SERVER_DLL:+ (SERVER_DLL=$SERVER_DLL)}."
  echo "Commit: $(git rev-parse --short HEAD)."
  echo "Machine: $(nproc) cores, $(uname -sr), load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) at the end (shared machine)."
  echo "One server on SQLite ($config); $connections WebSocket connections from one Node process, each asking for the"
  echo "flags and one company (what the Node SDK does), then idle. Memory: server RSS after opening them minus before,"
  echo "per connection. Latency: from sending \`POST /companies\` (a trait change of that company) to each connection"
  echo "receiving the pushed company, over $writes writes."
  echo
  echo '```json'
  echo "$result"
  echo '```'
}
if [ "$out" = - ]; then report; else report > "$out"; cat "$out"; fi
