#!/usr/bin/env bash
# Resident memory of one server against the number of warm companies, with the cold-check latency of each warming pass
# and the warm-check latency after it, on a store made by Tollgate.Scale (companies co-0000001 …).
#
#   bench/scale/memory-curve.sh <Tollgate.Server.dll> '<PostgreSQL connection string>' <port> [warm steps…]
#
# Steps default to 1000 10000 100000 (cumulative: each pass checks the companies the last one did not). Each pass is
# one wrk connection set (-t1 -c$CONNECTIONS) checking every new company once (the cold pass: every check loads a
# company); then $WARM_SECONDS of checks cycling over the first 1,000 (all warm). RSS is read from /proc after each
# step. Extra server settings go in SERVER_ARGS (e.g. "--Tollgate:Memory:WarmCompanies=50000"). FROM (default 2) moves
# the first company of the first pass, so a repeated run can check companies whose pages no earlier run read: steps are
# then company numbers (FROM=500001 with step 503000 checks 3,000), and the warm checks cycle over the pass's first 1,000.
# STRIDE (default 1) checks every STRIDE-th company only (FROM=900001 STRIDE=16 with step 947984 checks 3,000), so no
# two companies checked share a page of the tables written in company order (counters, documents): each cold check then
# reads its own pages, as a company that comes back after a while does, instead of its neighbour's that it just read.
# WARMUP_TO (default none) first runs one pass over FROM … WARMUP_TO (cold pass, then its warm checks, same STRIDE and
# CONNECTIONS), printed on its own line as "server warm-up" and never counted in the steps; the steps then start after
# it. A server's first pass includes its start-up (tiered JIT, the first prepared statements, pools growing): with a
# warm-up the measured passes are cold companies on a running server, and the warm-up line keeps first traffic visible.
set -euo pipefail
dll=$1 connection=$2 port=$3
shift 3
steps=("$@")
[[ ${#steps[@]} -gt 0 ]] || steps=(1000 10000 100000)
export KEY=${KEY:-tg_sk_scale_Qm7Vx2Kp9Lr4Tn8Wz3Yb6Hc1Jd5Fg0Se}
connections=${CONNECTIONS:-4}
warm_seconds=${WARM_SECONDS:-10}
url=http://127.0.0.1:$port
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp /tmp/memory-curve-server.XXXXXX.log)

# shellcheck source=bench/scale/scale-server.sh
source "$here/scale-server.sh"
start_scale_server "$dll" "$connection" "$url" "$log"

warm_companies() { curl -fs "$url/metrics" | awk '/^tollgate_cache_entries.*cache="companies"/ { print $NF }' | head -1; }
latency() { awk '/Latency Distribution/ { on = 1; next } on && /%/ { printf "%s=%s ", $1, $2 } /requests in/ { on = 0 }' "$1"; }
rate() { awk '/Requests\/sec/ { print $2 }' "$1"; }
# The runtime's own gauges (the System.Runtime meter): the managed heap after the last GC, summed over its generations,
# and the memory the GC had committed then. RSS less the committed memory is the native part (code, stacks, buffers).
gc_mb() { curl -fs "$url/metrics" | awk -v name="$1" '$1 ~ "^" name "([{]|$)" { sum += $NF } END { printf "%.0f", sum / 1048576 }'; }

echo "| warm companies (asked) | warm (server's gauge) | RSS MB | heap after last GC MB | GC committed MB | cold pass checks/s | cold p50 | cold p90 | cold p99 | warm checks/s | warm p50 | warm p99 | load average |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
echo "| 0 | $(warm_companies) | $(rss_mb) | $(gc_mb dotnet_gc_last_collection_heap_size_bytes) | $(gc_mb dotnet_gc_last_collection_memory_committed_size_bytes) | | | | | | | | $(cut -d' ' -f1-3 /proc/loadavg) |"
from=${FROM:-2}
stride=${STRIDE:-1}
# One pass: every new company up to $2 once (cold), then warm checks cycling over the first 1,000 of $warm_from's range.
# $1 labels the row (the step, or "server warm-up").
pass() {
  local label=$1 step=$2 cold warm wrk_pid rss heap committed cold_latency warm_latency
  cold=$(mktemp) warm=$(mktemp)
  export DONE_FILE=$cold.done
  wrk -t1 -c"$connections" -d3600s --latency -s "$here/memory-curve.lua" "$url" -- "$from" "$step" once "$stride" >"$cold" &
  wrk_pid=$!
  until [[ -s $DONE_FILE ]]; do sleep 0.2; done
  kill -INT $wrk_pid
  wait $wrk_pid || true
  sleep 2
  rss=$(rss_mb) heap=$(gc_mb dotnet_gc_last_collection_heap_size_bytes) committed=$(gc_mb dotnet_gc_last_collection_memory_committed_size_bytes)
  wrk -t1 -c"$connections" -d"${warm_seconds}s" --latency -s "$here/memory-curve.lua" "$url" -- "$warm_from" "$((step < warm_from + 999 * stride ? step : warm_from + 999 * stride))" cycle "$stride" >"$warm"
  cold_latency=$(latency "$cold") warm_latency=$(latency "$warm")
  cold_p() { grep -o "$1%=[^ ]*" <<<"$cold_latency" | cut -d= -f2; }
  warm_p() { grep -o "$1%=[^ ]*" <<<"$warm_latency" | cut -d= -f2; }
  echo "| $label | $(warm_companies) | $rss | $heap | $committed | $(rate "$cold") | $(cold_p 50) | $(cold_p 90) | $(cold_p 99) | $(rate "$warm") | $(warm_p 50) | $(warm_p 99) | $(cut -d' ' -f1-3 /proc/loadavg) |"
  rm -f "$cold" "$warm" "$DONE_FILE"
}
if [[ -n ${WARMUP_TO:-} ]]; then
  # The warm-up's companies are its own: the measured steps start on the stride after its last company, so none of
  # them was read by it, and their warm checks cycle over the first pass's companies, not the warm-up's.
  warm_from=$from
  pass "server warm-up ($from … $WARMUP_TO)" "$WARMUP_TO"
  from=$((from + ((WARMUP_TO - from) / stride + 1) * stride))
fi
# Company 1 is warm from the start-up check; a moved range has its own first 1,000 warm after its first pass.
warm_from=$((from > 2 ? from : 1))
for step in "${steps[@]}"; do
  pass "$step" "$step"
  from=$((step + 1))
done
