#!/usr/bin/env bash
# Ingestion with and without a watched threshold, in one sitting: POST /batch, 100 api_call track events per request
# (bench/load/ingest.lua, plain mode), wrk against one server build on SQLite with the demo data, each mode on a fresh
# database and server:
#
#   none      no webhook endpoint: intake pays one set lookup per event, the commit one scan of its events.
#   watched   the 20 load companies (c0..c19) on Pro (api_call limited to 100,000 a month) and an endpoint subscribed to
#             entitlement.limit.* and credit.limit.*: intake reads the company's limits for the subtype, every commit
#             reads the watched counters back (and would write a crossing once).
#
# Modes alternate over ROUNDS rounds so a drift of the machine's load hits both alike. Writes
# bench/results/ingest-webhooks-<date>.md.
#
#   bash bench/load/run-ingest-webhooks.sh
#
# Settings (environment): SERVER_DLL (a built Tollgate.Server.dll; default: a Release publish made here), PORT (5799),
# DURATION (15s), WARMUP (10s), CONNECTIONS (32), THREADS (2), ROUNDS (2).
set -euo pipefail
cd "$(dirname "$0")/../.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
port=${PORT:-5799}
duration=${DURATION:-15s}
warmup=${WARMUP:-10s}
conns=${CONNECTIONS:-32}
threads=${THREADS:-2}
rounds=${ROUNDS:-2}
api_key=tg_sk_load_test_not_a_secret_0001_Jm4vQx8Rz2Wb
base=http://127.0.0.1:$port
work=$(mktemp -d /tmp/tollgate-ingest-webhooks.XXXXXX)
out=bench/results/ingest-webhooks-$(date -u +%Y-%m-%d).md
server_pid=

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then
    kill -TERM "$server_pid"; wait "$server_pid" 2> /dev/null || true
  fi
  server_pid=
}
trap stop_server EXIT

command -v wrk > /dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
dll=${SERVER_DLL:-}
build="Release publish of $(git rev-parse --short HEAD)"
if [ -z "$dll" ]; then
  echo "== build (Release)"
  dotnet publish src/Tollgate.Server/Tollgate.Server.csproj -c Release -o "$work/server" -v quiet
  dll=$work/server/Tollgate.Server.dll
else
  build="$dll at $(git rev-parse --short HEAD)"
fi

api() { curl -sf -X "$1" -H "X-Schematic-Api-Key: $api_key" -H 'Content-Type: application/json' "$base$2" ${3:+-d "$3"}; }

run() { # mode round -> one line of the table
  local mode=$1 round=$2
  rm -f "$work/ingest.db"*
  (
    cd "$work"
    exec env -u TOLLGATE_POSTGRES -u ASPNETCORE_URLS TOLLGATE_API_KEY="$api_key" Logging__LogLevel__Default=Warning \
      dotnet "$dll" --demo --urls "$base" --Tollgate:Storage:Provider=sqlite --Tollgate:Storage:ConnectionString="Data Source=$work/ingest.db" \
      >> "$work/server.log" 2>&1
  ) &
  server_pid=$!
  for _ in $(seq 240); do
    curl -sf -o /dev/null --max-time 1 "$base/health" && break
    kill -0 "$server_pid" 2> /dev/null || { tail -30 "$work/server.log" >&2; exit 1; }
    sleep 0.5
  done

  if [ "$mode" = watched ]; then
    local pro
    pro=$(api GET '/plans?limit=100' | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).data.find(p=>p.name==="Pro").id))')
    for i in $(seq 0 19); do api POST /companies "{\"keys\":{\"id\":\"c$i\"},\"name\":\"c$i\",\"base_plan_id\":\"$pro\"}" > /dev/null; done
    api POST /webhooks '{"name":"bench","url":"http://127.0.0.1:9/hooks","request_types":["entitlement.limit.warning","entitlement.limit.reached","credit.limit.warning","credit.limit.reached"]}' > /dev/null
  fi

  INGEST_MODE=plain LOAD_API_KEY=$api_key wrk -t"$threads" -c"$conns" -d"$warmup" --timeout 5s -s bench/load/ingest.lua "$base" > /dev/null 2>&1
  INGEST_MODE=plain LOAD_API_KEY=$api_key wrk -t"$threads" -c"$conns" -d"$duration" --timeout 5s -s bench/load/ingest.lua "$base" > "$work/wrk-$mode-$round.txt" 2>&1
  stop_server
  sed -n 's/^RESULT //p' "$work/wrk-$mode-$round.txt" | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const r = JSON.parse(s), ms = us => (us / 1000).toFixed(0);
      const perSecond = Math.round(r.requests * r.events_per_request / (r.duration_us / 1e6));
      console.log(`| ${process.argv[1]}, round ${process.argv[2]} | ${r.requests.toLocaleString("en")} | ${perSecond.toLocaleString("en")} | ${ms(r.p50_us)} | ${ms(r.p99_us)} | ${r.non_200 + r.socket_errors} |`);
    });' "$mode" "$round"
}

rows=()
for round in $(seq "$rounds"); do
  # Alternate which mode runs first.
  if [ $((round % 2)) -eq 1 ]; then order="none watched"; else order="watched none"; fi
  for mode in $order; do
    echo "== $mode, round $round"
    rows+=("$(run "$mode" "$round")")
  done
done

load=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# Ingest with and without a watched threshold ($(date -u +%Y-%m-%d))"
  echo
  echo "\`bash bench/load/run-ingest-webhooks.sh\`: \`POST /batch\`, 100 api_call track events per request (bench/load/ingest.lua, plain"
  echo "mode), wrk -t$threads -c$conns, $warmup warm-up then $duration, SQLite with the demo data, $build."
  echo "\`none\`: no webhook endpoint. \`watched\`: the 20 load companies on Pro (api_call limited) and an endpoint subscribed to"
  echo "\`entitlement.limit.*\` and \`credit.limit.*\`. Machine: $(nproc) x $(awk -F': ' '/^model name/{ print $2; exit }' /proc/cpuinfo), load average at the end $load."
  echo
  echo "| run | requests | events/s | p50 ms | p99 ms | errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${rows[@]}"
} > "$out"
cat "$out"
