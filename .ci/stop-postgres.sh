#!/usr/bin/env bash
# Stops the private test cluster started by .ci/start-postgres.sh (fast mode).
# Idempotent: nothing running (or no cluster at all) is not an error.
# Keeps the data directory, so the next start reuses it.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

BIN="/usr/lib/postgresql/15/bin"
PGDIR="${TOLLGATE_PG_DIR:-/tmp/tollgate-pg}"
PGDATA="${PGDIR}/data"

log() { echo "stop-postgres: $*" >&2; }

if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
    log "no cluster in $PGDATA; nothing to stop"
    exit 0
fi
pidfile="$PGDATA/postmaster.pid"
if [[ ! -f "$pidfile" ]]; then
    log "not running"
    exit 0
fi
pid=$(head -n1 "$pidfile" 2>/dev/null || true)
if ! [[ "$pid" =~ ^[0-9]+$ ]] \
    || [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" != postgres ]] \
    || [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null || true)" != "$PGDATA" ]]; then
    log "not running (stale $pidfile left for start-postgres.sh to clear)"
    exit 0
fi

log "stopping PID $pid"
(cd / && runuser -u postgres -- "$BIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop) >&2
