#!/usr/bin/env bash
# Profile of the ingestion commits: the published server with the commit log at debug level (IngestionPipeline logs each
# commit's milliseconds per phase), wrk plain then keyed for 15 s, the summed phases and the CPU ticks of the server
# and of every postgres process over each run. PostgreSQL database h8_prof on the shared cluster, or SQLite.
#   bash bench/load/profile-ingest-commits.sh <published server dir> <writers> <tag> [postgres|sqlite]  (PORT, default 5601)
set -euo pipefail
dir=$1; writers=$2; tag=$3; store=${4:-postgres}
cd "$(dirname "$0")/../.."
port=${PORT:-5601}; base=http://127.0.0.1:$port
api_key=tg_sk_load_test_not_a_secret_0001_Jm4vQx8Rz2Wb
out=/tmp/ingest-profile-$tag; mkdir -p $out; rm -f $out/*
psql_admin() { PGPASSWORD=tollgate /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p 55432 -U tollgate -d tollgate -qAtc "$1"; }
if [ "$store" = postgres ]; then
  psql_admin "DROP DATABASE IF EXISTS h8_prof WITH (FORCE)"; psql_admin "CREATE DATABASE h8_prof"
  conn="Host=127.0.0.1;Port=55432;Username=tollgate;Password=tollgate;Database=h8_prof"
else
  rm -f $out/prof.db*; conn="Data Source=$out/prof.db"
fi
( cd $out; exec env -u TOLLGATE_POSTGRES -u ASPNETCORE_URLS TOLLGATE_API_KEY="$api_key" Logging__LogLevel__Default=Warning \
  Logging__LogLevel__Tollgate.Server.Usage.IngestionPipeline=Debug \
  dotnet $dir/Tollgate.Server.dll --demo --urls "$base" --Tollgate:Storage:Provider=$store --Tollgate:Storage:ConnectionString="$conn" \
  --Tollgate:Storage:IngestionWriters=$writers > $out/server.log 2>&1 ) &
spid=$!
trap 'kill -TERM $spid 2>/dev/null; wait $spid 2>/dev/null || true' EXIT
for i in $(seq 120); do curl -sf -o /dev/null --max-time 1 $base/health && break; sleep 0.5; done
cpu() { # total utime+stime ticks of server, postgres backends, wrk
  local s=0 p=0
  s=$(awk "{print \$14+\$15}" /proc/$spid/stat)
  p=$(for q in $(pgrep -u postgres postgres); do awk '{print $14+$15}' /proc/$q/stat 2>/dev/null; done | awk '{s+=$1} END{print s+0}')
  echo "$s $p"
}
INGEST_MODE=plain LOAD_API_KEY=$api_key wrk -t2 -c32 -d8s --timeout 5s -s bench/load/ingest.lua $base > $out/warm.txt 2>&1
for mode in plain keyed; do
  : > $out/mark-$mode
  before=$(cpu); lines=$(wc -l < $out/server.log); t0=$(date +%s.%N)
  INGEST_MODE=$mode LOAD_API_KEY=$api_key wrk -t2 -c32 -d15s --timeout 5s -s bench/load/ingest.lua $base > $out/wrk-$mode.txt 2>&1
  t1=$(date +%s.%N); after=$(cpu)
  tail -n +$((lines+1)) $out/server.log > $out/log-$mode.txt
  echo "$mode wall=$(echo "$t1 - $t0" | bc) cpu_before=$before cpu_after=$after (ticks: server postgres)" | tee -a $out/summary.txt
  grep RESULT $out/wrk-$mode.txt | tee -a $out/summary.txt
  grep -o 'Commit of .*' $out/log-$mode.txt | awk '{ev+=$3; rq+=$6; n++; for(i=11;i<=NF;i++){split($i,a,"="); t[a[1]]+=a[2]}} END{printf "commits=%d events/commit=%.0f requests/commit=%.1f\n", n, ev/n, rq/n; for(k in t) printf "  %-10s total=%8.0f ms  mean=%6.2f ms\n", k, t[k], t[k]/n}' | tee -a $out/summary.txt
done
uptime | tee -a $out/summary.txt
