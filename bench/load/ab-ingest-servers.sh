#!/usr/bin/env bash
# A/B of published server builds (or runtime settings) under PostgreSQL ingestion load, without raw baselines (for
# those: run-ingest-load.sh with SERVER_DIR): per config a fresh database (AB_DB) on the shared cluster, the server with
# the demo data, a warm-up, then wrk plain and keyed (bench/load/ingest.lua); prints events/s, p50/p99 and the server's
# CPU per event (utime+stime of its process over the run). Used for issue 16 (bench/results/ingest-2026-12-06-h15.md).
#   bash bench/load/ab-ingest-servers.sh "<label>:<published server dir>:<VAR=value,VAR=value>" ...   (PORT 5242, DUR 10s, WARM 5s,
#   AB_DB h15_ab: the database's name, with the prefix of whoever runs it)
set -uo pipefail
cd "$(dirname "$0")/../.."
port=${PORT:-5242}; base=http://127.0.0.1:$port; key=tg_sk_load_test_not_a_secret_0001_Jm4vQx8Rz2Wb
work=$(mktemp -d /tmp/ingest-ab.XXXXXX)
dur=${DUR:-10s}; warm=${WARM:-5s}; db=${AB_DB:-h15_ab}
psql_admin() { PGPASSWORD=tollgate /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p 55432 -U tollgate -d tollgate -qAtc "$1"; }
echo "start $(date -u +%T) $(uptime)"
for spec in "$@"; do
  IFS=: read -r label dir envs <<< "$spec"
  psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null; psql_admin "CREATE DATABASE $db"
  conn="Host=127.0.0.1;Port=55432;Username=tollgate;Password=tollgate;Database=$db"
  mkdir -p "$work/$label"
  ( cd "$work/$label"; exec env -u TOLLGATE_POSTGRES -u ASPNETCORE_URLS ${envs//,/ } TOLLGATE_API_KEY=$key Logging__LogLevel__Default=Warning \
    dotnet $dir/Tollgate.Server.dll --demo --urls $base --Tollgate:Storage:Provider=postgres --Tollgate:Storage:ConnectionString="$conn" > server.log 2>&1 ) &
  spid=$!
  for i in $(seq 240); do curl -sf -o /dev/null --max-time 1 $base/health && break; sleep 0.5; done
  INGEST_MODE=plain LOAD_API_KEY=$key wrk -t2 -c32 -d$warm --timeout 5s -s bench/load/ingest.lua $base > /dev/null 2>&1
  for mode in plain keyed; do
    s0=$(awk '{print $14+$15}' /proc/$spid/stat)
    r=$(INGEST_MODE=$mode LOAD_API_KEY=$key wrk -t2 -c32 -d$dur --timeout 5s -s bench/load/ingest.lua $base 2>&1 | sed -n 's/^RESULT //p')
    s1=$(awk '{print $14+$15}' /proc/$spid/stat)
    node -e 'const r=JSON.parse(process.argv[1]); const ev=r.requests*100; console.log(process.argv[2].padEnd(14), process.argv[3].padEnd(6), "events/s", (ev/(r.duration_us/1e6)/1000).toFixed(1)+"k", "p50/p99 ms", (r.p50_us/1000).toFixed(1), (r.p99_us/1000).toFixed(1), "non200", r.non_200, "server cpu us/event", (((+process.argv[5])-(+process.argv[4]))*10000/ev).toFixed(1))' "$r" "$label" "$mode" "$s0" "$s1"
  done
  kill -TERM $spid; wait $spid 2>/dev/null
done
psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)"
echo "end $(date -u +%T) $(uptime)"
