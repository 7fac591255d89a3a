#!/usr/bin/env bash
# A/B in one sitting: the same published server on PostgreSQL with 1 ingestion writer (the old design) and with 4.
set -uo pipefail
cd /work/wt/ingest
work=/tmp/tollgate-ingest.Xm7DX8
api_key=tg_sk_load_test_not_a_secret_0001_Jm4vQx8Rz2Wb
base=http://127.0.0.1:5301
psql_admin() { PGPASSWORD=tollgate /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p 55432 -U tollgate -d tollgate -qAtc "$1"; }
for writers in 1 4 1 4; do
  psql_admin "DROP DATABASE IF EXISTS s4_ingest_ab WITH (FORCE)"; psql_admin "CREATE DATABASE s4_ingest_ab"
  conn="Host=127.0.0.1;Port=55432;Username=tollgate;Password=tollgate;Database=s4_ingest_ab"
  ( cd $work; exec env -u TOLLGATE_POSTGRES -u ASPNETCORE_URLS TOLLGATE_API_KEY=$api_key Logging__LogLevel__Default=Warning \
      dotnet $work/server/Tollgate.Server.dll --demo --urls $base --Tollgate:Storage:Provider=postgres \
      --Tollgate:Storage:ConnectionString="$conn" --Tollgate:Storage:IngestionWriters=$writers > /tmp/s4-ingest/ab-server.log 2>&1 ) &
  pid=$!
  for i in $(seq 120); do curl -sf -o /dev/null --max-time 1 $base/health && break; sleep 0.5; done
  INGEST_MODE=plain LOAD_API_KEY=$api_key wrk -t2 -c32 -d5s --timeout 10s -s bench/load/ingest.lua $base > /dev/null 2>&1
  for mode in plain keyed; do
    echo "== writers=$writers mode=$mode $(uptime)"
    INGEST_MODE=$mode LOAD_API_KEY=$api_key wrk -t2 -c32 -d15s --timeout 10s -s bench/load/ingest.lua $base 2>&1 | grep -E "requests in|RESULT|timeout"
  done
  kill -TERM $pid; wait $pid
done
psql_admin "DROP DATABASE IF EXISTS s4_ingest_ab WITH (FORCE)"
