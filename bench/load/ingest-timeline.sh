#!/usr/bin/env bash
# PostgreSQL ingestion over time, from start-up (a diagnostic, used for bench/results/ingest-2026-12-07-h34.md): a fresh
# database, the published server with <writers> ingestion writers, wrk (bench/load/ingest.lua, -t2 -c32) in <mode>
# (plain|keyed) for <seconds> right after start-up; at each sample the events committed per second (events_seq_seq),
# the cores used by the server, by its PostgreSQL backends and by the whole machine, the same per event, and what each
# active backend of the run's database waits for (wait event/first word of the statement; "cpu" when not waiting).
# Each sample runs psql, which costs CPU itself: samples come every ~2 s and the rates are below an unsampled run's.
#   bash bench/load/ingest-timeline.sh <published server dir> <writers> <mode> <seconds> <tag>
#   (PORT 5904, DB ingest_timeline, OUT_ROOT /tmp; EXTRA_ENV: more environment for the server)
set -uo pipefail
dir=$1; w=$2; mode=$3; dur=$4; tag=$5
cd "$(dirname "$0")/../.."
port=${PORT:-5904}; db=${DB:-ingest_timeline}; base=http://127.0.0.1:$port; key=tg_sk_load_test_not_a_secret_0001_Jm4vQx8Rz2Wb
out=${OUT_ROOT:-/tmp}/timeline-$tag; mkdir -p $out
psql_su() { psql -h /tmp/tollgate-pg/run -p 55432 -U postgres -qAtc "$1"; }
psql_db() { psql -h /tmp/tollgate-pg/run -p 55432 -U postgres -d $db -qAtc "$1"; }
psql_su "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null; psql_su "CREATE DATABASE $db OWNER tollgate"
conn="Host=127.0.0.1;Port=55432;Username=tollgate;Password=tollgate;Database=$db"
( cd $out; exec env -u TOLLGATE_POSTGRES -u ASPNETCORE_URLS TOLLGATE_API_KEY=$key Logging__LogLevel__Default=Warning ${EXTRA_ENV:-} \
  dotnet $dir/Tollgate.Server.dll --demo --urls $base --Tollgate:Storage:Provider=postgres --Tollgate:Storage:ConnectionString="$conn" \
  --Tollgate:Storage:IngestionWriters=$w > server.log 2>&1 ) &
spid=$!
for i in $(seq 240); do curl -sf -o /dev/null --max-time 1 $base/health && break; sleep 0.5; done
echo "start $(date -u +%T) $(uptime)"
INGEST_MODE=$mode LOAD_API_KEY=$key wrk -t2 -c32 -d${dur}s --timeout 5s -s bench/load/ingest.lua $base > $out/wrk.txt 2>&1 &
wpid=$!
pgticks() { local s=0; for p in $(pgrep -f "postgres: tollgate $db "); do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $s; }
allticks() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
seqv() { psql_db "SELECT last_value FROM events_seq_seq" 2>/dev/null || echo 0; }
sample() { psql_db "SELECT (SELECT last_value FROM events_seq_seq), COALESCE((SELECT string_agg(COALESCE(wait_event_type||':'||wait_event,'cpu')||'/'||split_part(ltrim(query),' ',1), ',') FROM pg_stat_activity WHERE datname='$db' AND state='active' AND pid<>pg_backend_pid()),'')" 2>/dev/null; }
now() { date +%s.%N; }
t0=$(now); tp=$t0; prev_seq=0; s0=$(awk '{print $14+$15}' /proc/$spid/stat); p0=$(pgticks); a0=$(allticks)
while kill -0 $wpid 2>/dev/null; do
  sleep 1
  IFS='|' read -r sq waits <<< "$(sample)"; sq=${sq:-0}
  tn=$(now); s1=$(awk '{print $14+$15}' /proc/$spid/stat); p1=$(pgticks); a1=$(allticks)
  awk -v t=$(awk -v a=$tn -v b=$t0 'BEGIN{print a-b}') -v dt=$(awk -v a=$tn -v b=$tp 'BEGIN{print a-b}') -v ev=$((sq-prev_seq)) -v s=$((s1-s0)) -v p=$((p1-p0)) -v a=$((a1-a0)) -v w="$waits" \
    'BEGIN{ f=(ev>0)?1e4/ev:0; printf "t=%5.1f %6.0f ev/s | cores: server %.2f pg %.2f all %.2f | us/event server %.1f pg %.1f all %.1f | %s\n", t, ev/dt, s/dt/100, p/dt/100, a/dt/100, s*f, p*f, a*f, w }'
  prev_seq=$sq; tp=$tn; s0=$s1; p0=$p1; a0=$a1
done
wait $wpid; sed -n 's/^RESULT //p' $out/wrk.txt
kill -TERM $spid; wait $spid 2>/dev/null
psql_su "DROP DATABASE IF EXISTS $db WITH (FORCE)"
echo "end $(date -u +%T) $(uptime)"
