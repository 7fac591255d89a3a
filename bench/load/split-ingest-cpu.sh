#!/usr/bin/env bash
# CPU per acknowledged event of PostgreSQL ingestion, split: the server process, its PostgreSQL backends (the
# processes of the run's database), PostgreSQL's background processes, the whole machine (/proc/stat: user, nice,
# system, irq, softirq), and WAL bytes per event; plain then keyed (wrk -t2 -c32 -d12s, bench/load/ingest.lua) after a
# warm-up of WARM1 (30) s plain and WARM2 (6) s keyed (the server's CPU per event settles after 25-30 s of load,
# ingest-2026-12-07-h34.md). Used for bench/results/ingest-2026-12-07-h32.md (with WARM1=12) and -h34.md (WARM1=15).
#   bash bench/load/split-ingest-cpu.sh <published server dir> <tag>   (PORT 5903, DB split_ingest, OUT_ROOT /tmp)
# STMTLOG=1 also logs every statement of the run's database with its duration (log_min_duration_statement = 0,
# parameters not logged) into <out>/stmt-<mode>.log, with its backends' pids in <out>/pids-<mode>.txt; summarise with
# python3 bench/load/statement-log-summary.py <out>/stmt-plain.log <out>/pids-plain.txt
set -uo pipefail
dir=$1; tag=$2
cd "$(dirname "$0")/../.."
port=${PORT:-5903}; db=${DB:-split_ingest}; base=http://127.0.0.1:$port; key=tg_sk_load_test_not_a_secret_0001_Jm4vQx8Rz2Wb
dur=${DUR:-12}
out=${OUT_ROOT:-/tmp}/split-$tag; mkdir -p $out
psql_su() { psql -h /tmp/tollgate-pg/run -p 55432 -U postgres -qAtc "$1"; }
echo "start $(date -u +%T) $(uptime)"
psql_su "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null; psql_su "CREATE DATABASE $db OWNER tollgate"
conn="Host=127.0.0.1;Port=55432;Username=tollgate;Password=tollgate;Database=$db"
# Statement log (durations of every statement of this database, without parameter values), set before any connection.
[ -n "${STMTLOG:-}" ] && psql_su "ALTER DATABASE $db SET log_min_duration_statement = 0" && psql_su "ALTER DATABASE $db SET log_parameter_max_length = 0"
( cd $out; exec env -u TOLLGATE_POSTGRES -u ASPNETCORE_URLS TOLLGATE_API_KEY=$key Logging__LogLevel__Default=Warning ${EXTRA_ENV:-} \
  dotnet $dir/Tollgate.Server.dll --demo --urls $base --Tollgate:Storage:Provider=postgres --Tollgate:Storage:ConnectionString="$conn" > server.log 2>&1 ) &
spid=$!
for i in $(seq 240); do curl -sf -o /dev/null --max-time 1 $base/health && break; sleep 0.5; done
INGEST_MODE=plain LOAD_API_KEY=$key wrk -t2 -c32 -d${WARM1:-30}s --timeout 5s -s bench/load/ingest.lua $base > /dev/null 2>&1
INGEST_MODE=keyed LOAD_API_KEY=$key wrk -t2 -c32 -d${WARM2:-6}s --timeout 5s -s bench/load/ingest.lua $base > /dev/null 2>&1
pgticks() { local s=0; for p in $(pgrep -f "postgres: tollgate $db "); do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $s; }
bgticks() { local s=0; for p in $(pgrep -f "postgres: (walwriter|checkpointer|background writer|autovacuum)"); do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $s; }
allticks() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
lsn() { psql_su "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"; }
hz=$(getconf CLK_TCK)
for mode in ${MODES:-plain keyed}; do
  off=$(stat -c %s /tmp/tollgate-pg/postgres.log)
  s0=$(awk '{print $14+$15}' /proc/$spid/stat); p0=$(pgticks); b0=$(bgticks); a0=$(allticks); w0=$(lsn)
  r=$(INGEST_MODE=$mode LOAD_API_KEY=$key wrk -t2 -c32 -d${dur}s --timeout 5s -s bench/load/ingest.lua $base 2>&1 | sed -n 's/^RESULT //p')
  s1=$(awk '{print $14+$15}' /proc/$spid/stat); p1=$(pgticks); b1=$(bgticks); a1=$(allticks); w1=$(lsn)
  req=$(sed 's/.*"requests":\([0-9]*\).*/\1/' <<< "$r"); ev=$((req*100))
  p50=$(sed 's/.*"p50_us":\([0-9]*\).*/\1/' <<< "$r"); p99=$(sed 's/.*"p99_us":\([0-9]*\).*/\1/' <<< "$r")
  awk -v m=$mode -v ev=$ev -v d=$dur -v hz=$hz -v s=$((s1-s0)) -v p=$((p1-p0)) -v b=$((b1-b0)) -v a=$((a1-a0)) -v w=$((w1-w0)) -v p50=$p50 -v p99=$p99 'BEGIN{
    f=1e6/hz/ev; printf "%s: %.1fk events/s p50/p99 %.1f/%.1f ms | us/event: server %.1f, pg backends %.1f, pg background %.1f, whole machine %.1f | WAL %.0f B/event\n", m, ev/d/1000, p50/1000, p99/1000, s*f, p*f, b*f, a*f, w/ev }'
  echo "$mode $r" >> $out/raw.txt
  [ -n "${STMTLOG:-}" ] && { pgrep -f "postgres: tollgate $db " > $out/pids-$mode.txt; tail -c +$off /tmp/tollgate-pg/postgres.log > $out/stmt-$mode.log; }
done
kill -TERM $spid; wait $spid 2>/dev/null
psql_su "DROP DATABASE IF EXISTS $db WITH (FORCE)"
echo "end $(date -u +%T) $(uptime)"
