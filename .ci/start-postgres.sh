#!/usr/bin/env bash
# Starts a private PostgreSQL 15 cluster for the tests (not the system service).
#
#   TOLLGATE_PG_DIR   (default /tmp/tollgate-pg)  everything lives here:
#       data/          the cluster (PGDATA), owned by the postgres OS user
#       run/           its Unix socket directory
#       postgres.log   the server log
#       env.sh         `export TOLLGATE_TEST_POSTGRES='...'`, for `source`
#   TOLLGATE_PG_PORT  (default 55432)  TCP port, on 127.0.0.1 only
#
# Idempotent: a cluster already running here is left alone; a stale
# postmaster.pid (server killed with SIGKILL) is recovered from.
# Role and database `tollgate` (password `tollgate`) are created if missing.
# Only the Npgsql connection string goes to stdout (its last and only line);
# progress and tool output go to stderr, so CS=$(.ci/start-postgres.sh) works.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

PG_MAJOR=15
BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
PGDIR="${TOLLGATE_PG_DIR:-/tmp/tollgate-pg}"
PORT="${TOLLGATE_PG_PORT:-55432}"
PGDATA="${PGDIR}/data"
RUNDIR="${PGDIR}/run"
LOG="${PGDIR}/postgres.log"
ENVFILE="${PGDIR}/env.sh"
CONN="Host=127.0.0.1;Port=${PORT};Username=tollgate;Password=tollgate;Database=tollgate"

log() { echo "start-postgres: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ "$PORT" =~ ^[0-9]+$ ]] || die "TOLLGATE_PG_PORT must be a number, got '$PORT'"
case "$PGDIR" in
    /*) ;;
    *) die "TOLLGATE_PG_DIR must be an absolute path, got '$PGDIR'" ;;
esac
[[ "$PGDIR" != "/" ]] || die "TOLLGATE_PG_DIR must not be /"
# Unix socket paths are limited to 107 bytes.
(( ${#RUNDIR} + 20 < 107 )) || die "TOLLGATE_PG_DIR is too long for a Unix socket path: $PGDIR"

# fd 9 (the run lock) is closed so the server never inherits and holds it.
as_pg() { (cd / && runuser -u postgres -- "$@") 9>&-; }
# Admin connection: superuser postgres over the private Unix socket (trust).
psql_admin() { "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUNDIR" -p "$PORT" -U postgres -d postgres; }
is_ours_ready() {
    # Ready, and really the cluster in our data directory (not some other server).
    local dir
    dir=$(PGCONNECT_TIMEOUT=5 timeout 15 "$BIN/psql" -X -At -h "$RUNDIR" -p "$PORT" -U postgres -d postgres \
        -c 'show data_directory' 2>/dev/null) || return 1
    [[ "$dir" == "$PGDATA" ]]
}

# --- 1. server binaries -------------------------------------------------------
if [[ ! -x "$BIN/postgres" || ! -x "$BIN/initdb" || ! -x "$BIN/pg_ctl" || ! -x "$BIN/psql" ]]; then
    export DEBIAN_FRONTEND=noninteractive
    if dpkg-query -W -f='${Status}' "postgresql-${PG_MAJOR}" 2>/dev/null | grep -q 'install ok installed'; then
        log "postgresql-${PG_MAJOR} is installed but binaries are missing; reinstalling"
        apt-get update >&2 && apt-get install -y --reinstall "postgresql-${PG_MAJOR}" >&2
    else
        log "installing postgresql-${PG_MAJOR}"
        apt-get update >&2 && apt-get install -y "postgresql-${PG_MAJOR}" >&2
    fi
    [[ -x "$BIN/postgres" ]] || die "no $BIN/postgres after installing postgresql-${PG_MAJOR}"
fi
getent passwd postgres >/dev/null || die "OS user postgres does not exist"

# --- 2. private cluster -------------------------------------------------------
mkdir -p "$PGDIR"
chown postgres: "$PGDIR"
chmod 0755 "$PGDIR"
# Serialise concurrent runs.
exec 9>"$PGDIR/.lock"
flock -w 300 9 || die "another start-postgres.sh holds $PGDIR/.lock"

mkdir -p "$RUNDIR"
chown postgres: "$RUNDIR"
chmod 0755 "$RUNDIR"

if [[ ! -f "$PGDATA/PG_VERSION" ]]; then
    # Never initialised, or an initdb that was interrupted: start from scratch.
    rm -rf -- "$PGDATA"
    log "initdb $PGDATA"
    if ! as_pg "$BIN/initdb" -D "$PGDATA" --encoding=UTF8 --locale=C.UTF-8 \
            --username=postgres --auth=trust > "$PGDIR/initdb.log" 2>&1; then
        cat "$PGDIR/initdb.log" >&2
        die "initdb failed"
    fi
fi
ver=$(cat "$PGDATA/PG_VERSION")
[[ "$ver" == "$PG_MAJOR" ]] || die "$PGDATA holds a PostgreSQL $ver cluster, not $PG_MAJOR; remove $PGDIR"

# Our settings (rewritten every run; postgresql.conf includes the file once).
cat > "$PGDATA/tollgate.conf" <<EOF
# Written by .ci/start-postgres.sh; rewritten on each run.
listen_addresses = '127.0.0.1'
port = ${PORT}
unix_socket_directories = '${RUNDIR}'
max_connections = 200
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
grep -qxF "include 'tollgate.conf'" "$PGDATA/postgresql.conf" \
    || echo "include 'tollgate.conf'" >> "$PGDATA/postgresql.conf"
# Socket: trust (admin). TCP on loopback: a real password check (scram-sha-256).
cat > "$PGDATA/pg_hba.conf" <<EOF
# Written by .ci/start-postgres.sh; rewritten on each run.
local   all          all                  trust
local   replication  all                  trust
host    all          all    127.0.0.1/32  scram-sha-256
host    replication  all    127.0.0.1/32  scram-sha-256
EOF
chown postgres: "$PGDATA/tollgate.conf" "$PGDATA/pg_hba.conf" "$PGDATA/postgresql.conf"
chmod 0600 "$PGDATA/tollgate.conf" "$PGDATA/pg_hba.conf"

start_server() {
    as_pg "$BIN/pg_ctl" -D "$PGDATA" -l "$LOG" -w -t 120 start >&2
}

if is_ours_ready; then
    log "already running on port $PORT"
else
    # A postmaster.pid whose PID is not a live postgres process working in
    # our data directory is stale
    # (e.g. the server was SIGKILLed and the PID may since have been reused).
    pidfile="$PGDATA/postmaster.pid"
    if [[ -f "$pidfile" ]]; then
        pid=$(head -n1 "$pidfile" 2>/dev/null || true)
        if [[ "$pid" =~ ^[0-9]+$ ]] \
            && [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == postgres ]] \
            && [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null || true)" == "$PGDATA" ]]; then
            # A live postmaster that is not answering yet (starting, recovering
            # or shutting down): give it time.
            log "postmaster $pid is alive but not ready; waiting"
            deadline=$((SECONDS + 60))
            while (( SECONDS < deadline )); do
                is_ours_ready && break
                [[ -d "/proc/$pid" ]] || break
                sleep 0.5
            done
        else
            log "removing stale $pidfile (PID ${pid:-?} is not a running postgres)"
            rm -f -- "$pidfile"
        fi
    fi
    lockfile="$RUNDIR/.s.PGSQL.${PORT}.lock"
    if [[ -f "$lockfile" && ! -f "$pidfile" ]]; then
        rm -f -- "$lockfile" "$RUNDIR/.s.PGSQL.${PORT}"
    fi

    if ! is_ours_ready; then
        log "starting on 127.0.0.1:$PORT (log: $LOG)"
        # After a SIGKILL the old server's children can hold its shared memory
        # for a moment; retry briefly before giving up.
        ok=false
        for attempt in 1 2 3 4 5; do
            if start_server && is_ours_ready; then ok=true; break; fi
            (( attempt < 5 )) || break
            log "start attempt $attempt failed; retrying"
            sleep 1
        done
        if ! $ok; then
            [[ -f "$pidfile" ]] && log "another postmaster ($(head -n1 "$pidfile")) holds $PGDATA; run .ci/stop-postgres.sh"
            log "could not start PostgreSQL; last lines of $LOG:"
            tail -n 15 "$LOG" >&2 || true
            exit 1
        fi
    fi
fi

# --- 3. role and database -----------------------------------------------------
psql_admin <<'SQL'
SELECT 'CREATE ROLE tollgate LOGIN CREATEDB PASSWORD ''tollgate'''
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tollgate') \gexec
SELECT 'CREATE DATABASE tollgate OWNER tollgate ENCODING ''UTF8'''
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'tollgate') \gexec
-- Tests drop their databases WITH (FORCE); an autovacuum worker still in one is not the role's own process, and
-- ending it needs pg_signal_backend.
GRANT pg_signal_backend TO tollgate;
SQL

# --- 4. connection string -----------------------------------------------------
tmp="$ENVFILE.tmp.$$"
printf "export TOLLGATE_TEST_POSTGRES='%s'\n" "$CONN" > "$tmp"
chmod 0644 "$tmp"
mv -f -- "$tmp" "$ENVFILE"
echo "$CONN"
