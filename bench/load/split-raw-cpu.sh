#!/usr/bin/env bash
# CPU and WAL per row of the raw baseline (bench/Tollgate.LoadTools raw-insert, 5,000-row transactions, without and with
# keys) into a fresh database: the tools process (its start-up and migrations included), its PostgreSQL backend (sampled
# every 0.2 s while it runs), the whole machine (/proc/stat), WAL bytes per row; the raw side of split-ingest-cpu.sh.
#   bash bench/load/split-raw-cpu.sh <LoadTools build dir> [rows (500000)]   (DB split_raw, dropped at the end)
set -uo pipefail
tools=$1; rows=${2:-500000}; db=${DB:-split_raw}
psql_su() { psql -h /tmp/tollgate-pg/run -p 55432 -U postgres -qAtc "$1"; }
hz=$(getconf CLK_TCK); result=$(mktemp)
for keyed in "" keyed; do
  psql_su "DROP DATABASE IF EXISTS $db WITH (FORCE)"; psql_su "CREATE DATABASE $db OWNER tollgate"
  conn="Host=127.0.0.1;Port=55432;Username=tollgate;Password=tollgate;Database=$db"
  a0=$(awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat); w0=$(psql_su "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
  dotnet $tools/Tollgate.LoadTools.dll raw-insert postgres "$conn" $rows 5000 $keyed > "$result" 2>&1 &
  tp=$!; tt=0; pt=0
  while kill -0 $tp 2>/dev/null; do
    t=$(awk '{print $14+$15}' /proc/$tp/stat 2>/dev/null) && [ -n "$t" ] && tt=$t
    s=0; for p in $(pgrep -f "postgres: tollgate $db "); do s=$((s + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done
    [ $s -gt $pt ] && pt=$s
    sleep 0.2
  done
  wait $tp
  a1=$(awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat); w1=$(psql_su "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
  r=$(sed -n 's/^RESULT //p' "$result")
  awk -v k="${keyed:-plain}" -v r="$r" -v n=$rows -v hz=$hz -v t=$tt -v p=$pt -v a=$((a1-a0)) -v w=$((w1-w0)) 'BEGIN{ f=1e6/hz/n;
    printf "raw-5000 %s: %s | us/row: tools %.1f (incl. start-up, migrations), pg backend %.1f, whole machine %.1f | WAL %.0f B/row\n", k, r, t*f, p*f, a*f, w/n }'
done
psql_su "DROP DATABASE IF EXISTS $db WITH (FORCE)"
rm -f "$result"
