#!/usr/bin/env bash
# The reliability suite: faults injected into real Tollgate server processes, one line per case saying what was tried
# and what was lost, and "nothing lost" when nothing was. Writes bench/results/reliability-<date>.md.
#
#   bash bench/reliability/run.sh                 # every case; the report goes to bench/results/
#   bash bench/reliability/run.sh kill-9-ingestion-sqlite,check-and-reserve-2-nodes   # some (no report kept)
#
# PostgreSQL is a private cluster of its own (TOLLGATE_PG_DIR=/tmp/tollgate-reliability-pg, port 55439), started by
# .ci/start-postgres.sh, because cases restart it and terminate its backends; it is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

only=${1:-}
work=$(mktemp -d /tmp/tollgate-reliability.XXXXXX)
export TOLLGATE_PG_DIR=${TOLLGATE_PG_DIR:-/tmp/tollgate-reliability-pg}
export TOLLGATE_PG_PORT=${TOLLGATE_PG_PORT:-55439}
date=$(date -u +%Y-%m-%d)

cleanup() { bash .ci/stop-postgres.sh > /dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

echo "== build (Release)"
dotnet publish src/Tollgate.Server/Tollgate.Server.csproj -c Release -o "$work/server" -v quiet > /dev/null
dotnet build bench/Tollgate.Reliability/Tollgate.Reliability.csproj -c Release -o "$work/suite" -v quiet > /dev/null

echo "== private PostgreSQL on 127.0.0.1:$TOLLGATE_PG_PORT"
postgres=$(bash .ci/start-postgres.sh 2> "$work/postgres-start.log") || { cat "$work/postgres-start.log" >&2; exit 1; }

report=bench/results/reliability-$date.md
[ -z "$only" ] || report=$work/reliability-$date.md
echo "== cases"
mkdir -p "$work/scratch"
dotnet "$work/suite/Tollgate.Reliability.dll" --server "$work/server/Tollgate.Server.dll" --postgres "$postgres" \
  --pgdata "$TOLLGATE_PG_DIR/data" --pgbin /usr/lib/postgresql/15/bin --scratch "$work/scratch" \
  --report "$report" ${only:+--only "$only"}
