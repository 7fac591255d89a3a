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
if curl -fs "$url/health" >/dev/null 2>&1; then
  echo "something already answers on $url" >&2
  exit 1
fi

cd /tmp
# shellcheck disable=SC2086 # SERVER_ARGS is a list of arguments
dotnet "$dll" --postgres "$connection" --no-demo --urls "$url" ${SERVER_ARGS:-} >"$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fs "$url/health" >/dev/null 2>&1 && break
  kill -0 $server 2>/dev/null || { cat "$out/server.log"; exit 1; }
  sleep 0.5
done

curl -fs -H "X-Schematic-Api-Key: $KEY" -H 'content-type: application/json' -d '{"company":{"id":"co-0000001"}}' "$url/flags/api-calls/check" >/dev/null
sleep 2
"$gcdump" collect -p "$server" -o "$out/base.gcdump" >/dev/null
echo "base: RSS $(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status") MB"

export DONE_FILE=$out/cold.done
rm -f "$DONE_FILE"
wrk -t1 -c4 -d3600s --latency -s "$here/memory-curve.lua" "$url" -- 2 "$((warm + 1))" >"$out/cold.txt" &
wrk_pid=$!
until [[ -s $DONE_FILE ]]; do sleep 0.2; done
kill -INT $wrk_pid
wait $wrk_pid || true
sleep 2
"$gcdump" collect -p "$server" -o "$out/warm.gcdump" >/dev/null
echo "warm $warm: RSS $(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status") MB"
"$gcdump" report "$out/base.gcdump" >"$out/base.txt"
"$gcdump" report "$out/warm.gcdump" >"$out/warm.txt"
grep -A12 'Latency Distribution' "$out/cold.txt" || true
