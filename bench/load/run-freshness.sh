#!/usr/bin/env bash
# Cross-node freshness (issue 16, item 4): two Tollgate nodes on one PostgreSQL database (the private cluster of
# .ci/start-postgres.sh), the demo data; bench/load/freshness.mjs measures from a write on node A (a plan change, an
# override, a tracked event) until a check on node B answers differently. Writes
# bench/results/freshness-<date>.md (or prints only, with OUT=-).
#
#   bash bench/load/run-freshness.sh     # SAMPLES (100 per kind), BACKGROUND ("0 4": idle, then 4 writers of
#                                        # 100-event batches on node A), CONFIG (Release), PORT (5401; B is PORT+1),
#                                        # SERVER_DLL (a prebuilt Tollgate.Server.dll, for a baseline of another commit)
set -euo pipefail
cd "$(dirname "$0")/../.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
samples=${SAMPLES:-100}
backgrounds=${BACKGROUND:-0 4}
config=${CONFIG:-Release}
port=${PORT:-5401}
date=$(date -u +%Y-%m-%d)
out=${OUT:-bench/results/freshness-$date.md}
work=$(mktemp -d /tmp/tollgate-freshness.XXXXXX)
key=sch_bench_$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
database=${DATABASE:-s4feed_freshness}
dll=${SERVER_DLL:-src/Tollgate.Server/bin/$config/net10.0/Tollgate.Server.dll}

[ -n "${SERVER_DLL:-}" ] || dotnet build -c "$config" src/Tollgate.Server -v q -nologo >/dev/null
dll=$(realpath "$dll")
pg_server=$(bash .ci/start-postgres.sh)
psql_admin() { PGPASSWORD=tollgate /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "${TOLLGATE_PG_PORT:-55432}" -U tollgate -d tollgate -qAtc "$1"; }
psql_admin "DROP DATABASE IF EXISTS $database WITH (FORCE)"
psql_admin "CREATE DATABASE $database"
connection=${pg_server/Database=tollgate/Database=$database}

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
start_node() { # name port
  ( cd "$work" && exec env -u TOLLGATE_POSTGRES -u ASPNETCORE_URLS TOLLGATE_API_KEY="$key" Logging__LogLevel__Default=Warning \
      dotnet "$dll" --demo --urls "http://127.0.0.1:$2" \
      --Tollgate:Storage:Provider=postgres "--Tollgate:Storage:ConnectionString=$connection" >> "$work/server-$1.log" 2>&1 ) &
  pids+=($!)
  for _ in $(seq 1 240); do curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$2/health" && return 0; sleep 0.5; done
  tail -30 "$work/server-$1.log" >&2; exit 1
}
start_node a "$port"   # seeds the demo data; B starts on it
start_node b "$((port + 1))"

results=()
for background in $backgrounds; do
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  result=$(node bench/load/freshness.mjs "http://127.0.0.1:$port" "http://127.0.0.1:$((port + 1))" "$key" "$samples" "$background")
  results+=("load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after: $result")
done

report() {
  echo "# Cross-node freshness — $date"
  echo
  echo "Command: \`SAMPLES=$samples BACKGROUND=\"$backgrounds\" bash bench/load/run-freshness.sh\`${SERVER_DLL:+ (SERVER_DLL=$SERVER_DLL)}."
  echo "Commit: $(git rev-parse --short HEAD). Machine: $(nproc) cores, $(uname -sr) (shared)."
  echo "Two nodes ($config) on one PostgreSQL database, demo data. Per sample, a write is sent to node A and node B is"
  echo "checked back to back until its answer changes: a plan change (Pro <-> Enterprise flips \`sso\`), an override"
  echo "(\`sso\` on), a tracked event (\`api-calls\` feature_usage + 1). fromSend counts from sending the write, fromAck"
  echo "from its answer. Background: writers posting 100-event batches to node A throughout."
  echo
  for r in "${results[@]}"; do echo "- $r"; done
}
if [ "$out" = - ]; then report; else report > "$out"; cat "$out"; fi
