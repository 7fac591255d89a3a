#!/usr/bin/env bash
# p95 of every company/user list endpoint and its count against a running server on a bench/scale store.
# Usage: bench/lists/run-list-endpoints.sh http://127.0.0.1:5201 [seconds per endpoint, default 10]
# Plan and feature ids are read from the API (the generator's names: Pro, "SSO add-on", features SSO and API calls).
# ONLY=regex runs only the paths that match it.
set -euo pipefail
url=$1; secs=${2:-10}
export TOLLGATE_KEY=${TOLLGATE_KEY:-tg_sk_scale_Qm7Vx2Kp9Lr4Tn8Wz3Yb6Hc1Jd5Fg0Se}
here=$(cd "$(dirname "$0")" && pwd)
get() { curl -sf -H "X-Schematic-Api-Key: $TOLLGATE_KEY" "$url$1"; }
plan() { get "/plans?limit=100" | python3 -c "import json,sys; print(next(p['id'] for p in json.load(sys.stdin)['data'] if p['name']==sys.argv[1]))" "$1"; }
pro=$(plan Pro); addon=$(plan "SSO add-on")
feature() { get "/features?limit=100" | python3 -c "import json,sys; print(next(f['id'] for f in json.load(sys.stdin)['data'] if f['name']==sys.argv[1]))" "$1"; }
sso=$(feature SSO); calls=$(feature "API calls")
# /health first and last: the baseline of the same sitting (a request that reads nothing).
paths=(
  "/health"
  "/companies?limit=100" "/companies/count"
  "/companies?plan_id=$pro&limit=100" "/companies/count?plan_id=$pro"
  "/companies?plan_id=$addon&limit=100" "/companies/count?plan_id=$addon"
  "/companies?without_plan=true&limit=100" "/companies/count?without_plan=true"
  "/companies?q=co-00123&limit=100" "/companies/count?q=co-00123"
  "/companies?with_entitlement_for=$sso&limit=100" "/companies/count?with_entitlement_for=$sso"
  "/users?plan_id=$pro&limit=100" "/users/count?plan_id=$pro"
  "/users?q=co-00123&limit=100" "/users/count?q=co-00123"
  "/feature-companies?feature_id=$sso&limit=100" "/feature-companies/count?feature_id=$sso"
  "/feature-companies?feature_id=$sso&q=co-00123&limit=100" "/feature-companies/count?feature_id=$sso&q=co-00123"
  "/feature-companies?feature_id=$calls&limit=100" "/feature-companies/count?feature_id=$calls"
  "/feature-users?feature_id=$sso&limit=100" "/feature-users/count?feature_id=$sso"
  "/health"
)
uptime
for p in "${paths[@]}"; do
  [[ -n "${CURL_RUNS:-}" ]] && break
  [[ -n "${ONLY:-}" && ! "$p" =~ $ONLY ]] && continue
  printf '%-70s ' "$p"
  wrk -t1 -c2 -d"${secs}s" --timeout 30s -s "$here/p95.lua" "$url$p" | tail -1
done
uptime
# Where a request takes longer than the run (the in-memory filters before this branch), wrk completes none: then
# CURL_RUNS=n times n sequential requests of each path with curl instead (seconds, sorted).
if [[ -n "${CURL_RUNS:-}" ]]; then
  for p in "${paths[@]}"; do
    [[ -n "${ONLY:-}" && ! "$p" =~ $ONLY ]] && continue
    printf '%-70s curl' "$p"
    for _ in $(seq "$CURL_RUNS"); do
      printf ' %s' "$(curl -s -o /dev/null -m 60 -w '%{time_total}' -H "X-Schematic-Api-Key: $TOLLGATE_KEY" "$url$p")"
    done
    echo
  done
  uptime
fi
