# Shared by the memory scripts (source it): starts one Release server on a Tollgate.Scale store and warms its catalog.
#   start_scale_server <Tollgate.Server.dll> '<PostgreSQL connection string>' <url> <log file>
# Sets $server (its pid) and a trap that stops it on exit; SERVER_ARGS adds server settings; KEY is the store's key.
# shellcheck shell=bash

start_scale_server() {
  local dll=$1 connection=$2 url=$3 log=$4
  if curl -fs "$url/health" >/dev/null 2>&1; then
    echo "something already answers on $url" >&2
    exit 1
  fi

  # From /tmp: a server that finds no console owner writes its one-time set-up link under ./data.
  # shellcheck disable=SC2086 # SERVER_ARGS is a list of arguments
  (cd /tmp && exec dotnet "$dll" --postgres "$connection" --no-demo --urls "$url" ${SERVER_ARGS:-} >"$log" 2>&1) &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  for _ in $(seq 1 600); do
    curl -fs "$url/health" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.5
  done

  # One check loads the catalog; a baseline is a server with nothing warm but it.
  curl -fs -H "X-Schematic-Api-Key: $KEY" -H 'content-type: application/json' -d '{"company":{"id":"co-0000001"}}' "$url/flags/api-calls/check" >/dev/null
  sleep 2
}

rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }
