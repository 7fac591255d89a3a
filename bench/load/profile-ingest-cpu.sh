#!/usr/bin/env bash
# CPU profile and allocation per event of a published server under PostgreSQL ingestion (issue 16; used for
# bench/results/ingest-2026-12-06-h18.md): a fresh database (DB, default h18_prof) on the shared cluster, the server with
# the demo data, 5 s of warm-up, then wrk plain and keyed for 12 s each (bench/load/ingest.lua); during each, an 8 s
# dotnet-trace CPU sample (<out>/<mode>.nettrace; summarise with speedscope-cpu.mjs after `dotnet-trace convert
# --format Speedscope`). Prints wrk's RESULT, the server's CPU ticks and its allocated bytes (/metrics) around each run.
#   bash bench/load/profile-ingest-cpu.sh <published server dir> <tag>   (PORT 5301, DB h18_prof; output in OUT_ROOT/prof-<tag>)
set -uo pipefail
export PATH=$PATH:$HOME/.dotnet/tools
dir=$1; tag=$2
cd "$(dirname "$0")/../.."
port=${PORT:-5301}; db=${DB:-h18_prof}; base=http://127.0.0.1:$port; key=tg_sk_load_test_not_a_secret_0001_Jm4vQx8Rz2Wb
out=${OUT_ROOT:-/tmp}/prof-$tag; mkdir -p $out
psql_admin() { PGPASSWORD=tollgate /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p 55432 -U tollgate -d tollgate -qAtc "$1"; }
echo "start $(date -u +%T) $(uptime)"
psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null; psql_admin "CREATE DATABASE $db"
conn="Host=127.0.0.1;Port=55432;Username=tollgate;Password=tollgate;Database=$db"
( cd $out; exec env -u TOLLGATE_POSTGRES -u ASPNETCORE_URLS TOLLGATE_API_KEY=$key Logging__LogLevel__Default=Warning \
  dotnet $dir/Tollgate.Server.dll --demo --urls $base --Tollgate:Storage:Provider=postgres --Tollgate:Storage:ConnectionString="$conn" > server.log 2>&1 ) &
spid=$!
for i in $(seq 240); do curl -sf -o /dev/null --max-time 1 $base/health && break; sleep 0.5; done
INGEST_MODE=plain LOAD_API_KEY=$key wrk -t2 -c32 -d5s --timeout 5s -s bench/load/ingest.lua $base > /dev/null 2>&1
alloc() { curl -s $base/metrics | grep -E '^(dotnet_gc_heap_total_allocated_bytes|process_runtime_dotnet_gc_allocations_size_bytes|dotnet_gc_collections_total)' | awk '{s[$1]=$2} END{for(k in s) print k, s[k]}'; }
for mode in plain keyed; do
  a0=$(alloc); s0=$(awk '{print $14+$15}' /proc/$spid/stat)
  ( sleep 2; dotnet-trace collect -p $spid --profile dotnet-sampled-thread-time --duration 00:00:00:08 -o $out/$mode.nettrace > $out/trace-$mode.log 2>&1 ) &
  tp=$!
  r=$(INGEST_MODE=$mode LOAD_API_KEY=$key wrk -t2 -c32 -d12s --timeout 5s -s bench/load/ingest.lua $base 2>&1 | sed -n 's/^RESULT //p')
  s1=$(awk '{print $14+$15}' /proc/$spid/stat); a1=$(alloc)
  wait $tp
  echo "$mode $r"; echo "cpu ticks $s0 $s1"; echo "alloc before"; echo "$a0"; echo "alloc after"; echo "$a1"
done
kill -TERM $spid; wait $spid 2>/dev/null
psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)"
echo "end $(date -u +%T) $(uptime)"
