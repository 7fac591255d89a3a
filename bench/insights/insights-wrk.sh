#!/usr/bin/env bash
# p50/p95/p99 of /health (the baseline) and every /insights route of a running Tollgate, with wrk (1 thread, 2 connections, DURATION each).
# Usage: bench/insights/insights-wrk.sh http://127.0.0.1:5600 <secret key> <event feature id> <trait feature id> [duration]
# Prints one markdown table row per route, with the load average taken just before each run.
set -euo pipefail
base=$1 key=$2 event_feature=$3 trait_feature=$4 duration=${5:-15s}
lua=$(mktemp --suffix .lua)
trap 'rm -f "$lua"' EXIT
cat >"$lua" <<LUA
wrk.headers["X-Schematic-Api-Key"] = "$key"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.1f %.1f %.1f\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
LUA
from=$(date -u -d '-30 days' +%Y-%m-%dT00:00:00Z)
until=$(date -u -d '+1 day' +%Y-%m-%dT00:00:00Z)
# /health first: the baseline of the same sitting (no database read), to give each route's latency as a ratio of it.
routes=(
  "/health"
  "/insights/summary"
  "/insights/activity?limit=20"
  "/insights/top-features?start_time=$from&end_time=$until"
  "/insights/plan-growth"
  "/insights/feature-usage-timeseries?feature_id=$event_feature&start_time=$from&end_time=$until"
  "/insights/trait-usage-timeseries?feature_id=$trait_feature&start_time=$from&end_time=$until"
  "/insights/signals/over-users?limit=50"
  "/insights/signals/under-users?limit=50"
  "/insights/signals/expansion?limit=50"
  "/insights/signals/at-risk?limit=50"
  "/insights/signals/over-users?limit=50&offset=5000"
  "/insights/signals/over-users/count"
  "/insights/signals/expansion/count"
)
echo "| route | requests | errors | req/s | p50 ms | p95 ms | p99 ms | load average (1 min) |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for route in "${routes[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Schematic-Api-Key: $key" "$base$route")
  load=$(cut -d' ' -f1 /proc/loadavg)
  line=$(wrk -t1 -c2 -d"$duration" --timeout 60s -s "$lua" "$base$route" | grep '^RESULT' || true)
  read -r _ requests errors rps p50 p95 p99 <<<"$line"
  echo "| \`$route\` (HTTP $status) | ${requests:-?} | ${errors:-?} | ${rps:-?} | ${p50:-?} | ${p95:-?} | ${p99:-?} | $load |"
done
