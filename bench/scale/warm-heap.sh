#!/usr/bin/env bash
# What a warm company holds, by type: one server on a Tollgate.Scale store, a heap snapshot (dotnet-gcdump) with only
# the catalog warm, then one after <warm> companies were checked once each (co-0000002 … ), and the live bytes per
# type of both. The snapshot forces a full GC, so it counts live objects only (RSS also counts garbage not collected).
#
#   bench/scale/warm-heap.sh <Tollgate.Server.dll> '<PostgreSQL connection string>' <port> <warm> <out folder>
#
# Needs dotnet-gcdump (10.0.750501) on PATH or in $GCDUMP. Run it under the measurement lock.
set -euo pipefail
dll=$1 connection=$2 port=$3 warm=$4 out=$5
export KEY=${KEY:-tg_sk_scale_Qm7Vx2Kp9Lr4Tn8Wz3Yb6Hc1Jd5Fg0Se}
gcdump=${GCDUMP:-dotnet-gcdump}
url=http://127.0.0.1:$port
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
# shellcheck source=bench/scale/scale-server.sh
source "$here/scale-server.sh"
start_scale_server "$dll" "$connection" "$url" "$out/server.log"
"$gcdump" collect -p "$server" -o "$out/base.gcdump" >/dev/null
echo "base: RSS $(rss_mb) MB"

export DONE_FILE=$out/cold.done
rm -f "$DONE_FILE"
wrk -t1 -c4 -d3600s --latency -s "$here/memory-curve.lua" "$url" -- 2 "$((warm + 1))" >"$out/cold.txt" &
wrk_pid=$!
until [[ -s $DONE_FILE ]]; do sleep 0.2; done
kill -INT $wrk_pid
wait $wrk_pid || true
sleep 2
"$gcdump" collect -p "$server" -o "$out/warm.gcdump" >/dev/null
echo "warm $warm: RSS $(rss_mb) MB"
"$gcdump" report "$out/base.gcdump" >"$out/base.txt"
"$gcdump" report "$out/warm.gcdump" >"$out/warm.txt"
grep -A12 'Latency Distribution' "$out/cold.txt" || true
