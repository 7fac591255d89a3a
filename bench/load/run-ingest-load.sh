#!/usr/bin/env bash
# Ingestion load test: POST /batch with 100 track events per request (wrk, bench/load/ingest.lua) into SQLite and into
# PostgreSQL, against a raw bulk insert of the same rows into the same store in the same run, plus the track-to-visible
# latency (from the 200 of POST /batch to the first check that counts the event), idle and under load. Writes
# bench/results/ingest-<date>.md (the raw output beside it). About 5 minutes on the 2-core development machine.
#
#   bash bench/load/run-ingest-load.sh
#
# For each store: a fresh database; the Release server with the demo data; a warm-up; wrk for DURATION with events
# without idempotency keys (plain) and with a fresh key on every event (keyed: every event goes through
# deduplication); the visibility probe (bench/Tollgate.LoadTools) idle and while wrk runs; then the server stops and the
# event log is counted: every acknowledged event must be there (rows = 100 x answered requests + probes, plus at most
# the requests in flight when wrk stopped), and the all-time counters must equal the tracked quantities. The raw insert
# appends 1,000,000 of the same rows (without and with idempotency keys) with the server's own insert code into a fresh
# database, in 100-row transactions (as shared/spec/limits.md measured) and in 5,000-row ones (what group commit does).
#
# Settings (environment): PORT (5798), DURATION (20s), WARMUP (30s: under this load the server's CPU per event took 25-30 s
# to settle on the 2-core development machine, ingest-2026-12-07-h34.md; 15 s left the plain run partly cold), CONNECTIONS (32), THREADS (2), SAMPLES (200),
# RAW_ROWS (1000000), STORES ("sqlite postgres"), DB_PREFIX (tollgate_ingest: the PostgreSQL databases' names start with
# it, so people sharing the cluster do not drop each other's), WRITERS (the server's Storage:IngestionWriters; unset:
# its default), SERVER_DIR (a server published beforehand, e.g. of another commit, to load instead of publishing this
# checkout's; the report then names its commit as SERVER_COMMIT), TOOLS_DIR (bench/Tollgate.LoadTools built beforehand), OUT (the report's path; default
# bench/results/ingest-<date>.md, the raw output beside it). PostgreSQL is the private test cluster of .ci/start-postgres.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
port=${PORT:-5798}
duration=${DURATION:-20s}
warmup=${WARMUP:-30s}
conns=${CONNECTIONS:-32}
threads=${THREADS:-2}
samples=${SAMPLES:-200}
raw_rows=${RAW_ROWS:-1000000}
stores=${STORES:-sqlite postgres}
db_prefix=${DB_PREFIX:-tollgate_ingest}
api_key=tg_sk_load_test_not_a_secret_0001_Jm4vQx8Rz2Wb
base=http://127.0.0.1:$port
date=$(date -u +%Y-%m-%d)
work=$(mktemp -d /tmp/tollgate-ingest.XXXXXX)
out=${OUT:-bench/results/ingest-$date.md}
raw=${out%.md}.raw.txt
commit=${SERVER_COMMIT:-$(git rev-parse --short HEAD)}
server_pid=
: > "$work/results.tsv"

stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2> /dev/null; then
    kill -TERM "$server_pid"; wait "$server_pid" 2> /dev/null || true
  fi
  server_pid=
}
trap stop_server EXIT

if ! command -v wrk > /dev/null; then
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update && $sudo apt-get install -y wrk
fi

echo "== build (Release)"
if [ -n "${SERVER_DIR:-}" ]; then
  cp -a "$SERVER_DIR" "$work/server"
else
  dotnet publish src/Tollgate.Server/Tollgate.Server.csproj -c Release -o "$work/server" -v quiet
fi
if [ -n "${TOOLS_DIR:-}" ]; then
  cp -a "$TOOLS_DIR" "$work/tools"
else
  dotnet build bench/Tollgate.LoadTools/Tollgate.LoadTools.csproj -c Release -o "$work/tools" -v quiet
fi
tools() { dotnet "$work/tools/Tollgate.LoadTools.dll" "$@"; }

pg_server=$(bash .ci/start-postgres.sh)
psql_admin() { PGPASSWORD=tollgate /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "${TOLLGATE_PG_PORT:-55432}" -U tollgate -d tollgate -qAtc "$1"; }
fresh_store() { # store name -> connection string (an empty database)
  case $1 in
    sqlite) rm -f "$work/$2.db"*; echo "Data Source=$work/$2.db" ;;
    postgres) psql_admin "DROP DATABASE IF EXISTS $2 WITH (FORCE)" && psql_admin "CREATE DATABASE $2"
              echo "${pg_server/Database=tollgate/Database=$2}" ;;
  esac
}

result() { sed -n 's/^RESULT //p' "$1"; }
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$work/results.tsv"; }

wrk_run() { # store mode duration -> RESULT json
  local file=$work/wrk-$1-$2.txt
  INGEST_MODE=$2 LOAD_API_KEY=$api_key wrk -t"$threads" -c"$conns" -d"$3" --timeout 5s -s bench/load/ingest.lua "$base" > "$file" 2>&1
  { echo "===== $1 $2: INGEST_MODE=$2 wrk -t$threads -c$conns -d$3 -s bench/load/ingest.lua"; cat "$file"; } >> "$work/raw.txt"
  result "$file"
}

for store in $stores; do
  echo "== $store"
  connection=$(fresh_store "$store" "${db_prefix}_bench")
  (
    cd "$work"
    exec env -u TOLLGATE_POSTGRES -u ASPNETCORE_URLS TOLLGATE_API_KEY="$api_key" Logging__LogLevel__Default=Warning \
      dotnet "$work/server/Tollgate.Server.dll" --demo --urls "$base" \
      --Tollgate:Storage:Provider="$store" --Tollgate:Storage:ConnectionString="$connection" \
      ${WRITERS:+--Tollgate:Storage:IngestionWriters="$WRITERS"} >> "$work/server-$store.log" 2>&1
  ) &
  server_pid=$!
  for i in $(seq 120); do
    curl -sf -o /dev/null --max-time 1 "$base/health" && break
    kill -0 "$server_pid" 2> /dev/null || { tail -30 "$work/server-$store.log" >&2; exit 1; }
    sleep 0.5
  done

  echo "-- warm-up $warmup"; wrk_run "$store" plain "$warmup" > /dev/null
  warm_requests=$(awk -F'"requests":' '{ split($2, a, ","); print a[1] }' <<< "$(result "$work/wrk-$store-plain.txt")")
  echo "-- plain $duration"; record "$store" plain "$(wrk_run "$store" plain "$duration")"
  echo "-- keyed $duration"; record "$store" keyed "$(wrk_run "$store" keyed "$duration")"
  echo "-- visibility, idle"
  tools visibility "$base/" "$api_key" "$samples" > "$work/vis-idle.txt"; record "$store" visibility-idle "$(result "$work/vis-idle.txt")"
  echo "-- visibility, under plain load"
  wrk_run "$store" plain 25s > "$work/loaded.json" &
  wrk_pid=$!
  sleep 3
  tools visibility "$base/" "$api_key" "$samples" > "$work/vis-load.txt"; record "$store" visibility-load "$(result "$work/vis-load.txt")"
  wait "$wrk_pid"; record "$store" load-behind-visibility "$(cat "$work/loaded.json")"
  stop_server
  tools count-events "$store" "$connection" > "$work/count.txt"; record "$store" count "$(result "$work/count.txt")"
  record "$store" warmup-requests "{\"requests\":$warm_requests}"

  for per in 100 5000; do
    for keyed in "" keyed; do
      echo "-- raw insert, $per rows per transaction ${keyed:+(with keys)}"
      tools raw-insert "$store" "$(fresh_store "$store" "${db_prefix}_raw")" "$raw_rows" "$per" $keyed > "$work/raw.txt.tmp"
      record "$store" "raw-$per${keyed:+-keyed}" "$(result "$work/raw.txt.tmp")"
    done
  done
done

echo "== report: $out"
cp "$work/raw.txt" "$raw"
node bench/load/ingest-report.mjs "$work/results.tsv" "$samples" "$duration" "$conns" "$threads" "$commit" \
  "$(nproc) x $(awk -F': ' '/^model name/{ print $2; exit }' /proc/cpuinfo)" > "$out"
cat "$out"
