#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite.
#
#   scripts/postgres-test.sh COMMAND [ARGS...]   start a cluster, run COMMAND with DATABASE_URL
#                                                set, stop the cluster, exit with COMMAND's status
#   scripts/postgres-test.sh                     start a cluster, print DATABASE_URL, wait for
#                                                Ctrl+C, then stop it
#
# The cluster lives in a temporary folder, listens on 127.0.0.1 on a free port (and on a unix
# socket inside that folder), and is deleted on exit. It never touches a system cluster, so it
# works whether or not one is running. It uses Debian's binaries
# (/usr/lib/postgresql/<version>/bin, the newest one; PG_BINDIR overrides). PostgreSQL refuses
# to run as root, so under root the server runs as the `postgres` system user.
#
# The role it creates may create databases: pytest-django creates test_<name> (one per xdist
# worker) next to the database named in the URL.
set -euo pipefail

DB_NAME="${PG_TEST_DB:-trithuc}"
DB_USER="${PG_TEST_USER:-trithuc}"
DB_PASSWORD="${PG_TEST_PASSWORD:-trithuc-test}"

log() { printf 'postgres-test: %s\n' "$*" >&2; }

find_bindir() {
    if [[ -n "${PG_BINDIR:-}" ]]; then
        echo "$PG_BINDIR"
        return
    fi
    local dir
    dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null \
        | sort -V | tail -n 1)"
    if [[ -z "$dir" ]] && command -v pg_config >/dev/null; then
        dir="$(pg_config --bindir)"
    fi
    if [[ -z "$dir" || ! -x "$dir/initdb" ]]; then
        log "no PostgreSQL server binaries found (apt-get install postgresql, or set PG_BINDIR)"
        exit 2
    fi
    echo "$dir"
}

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

BINDIR="$(find_bindir)"
WORKDIR="$(mktemp -d "${TMPDIR:-/tmp}/trithuc-pg.XXXXXX")"
DATADIR="$WORKDIR/data"
SOCKDIR="$WORKDIR/socket"
LOGFILE="$WORKDIR/postgres.log"
mkdir -p "$SOCKDIR"

# Run a PostgreSQL binary as the cluster owner, from a folder that owner may enter.
if [[ "$(id -u)" == 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
        log "running as root and there is no 'postgres' user to own the cluster"
        rm -rf "$WORKDIR"
        exit 2
    fi
    chown -R postgres: "$WORKDIR"
    as_owner() { (cd "$WORKDIR" && runuser -u postgres -- "$@"); }
else
    as_owner() { (cd "$WORKDIR" && "$@"); }
fi

STARTED=0
SLEEP_PID=
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n "$SLEEP_PID" ]]; then kill "$SLEEP_PID" 2>/dev/null || true; fi
    if [[ "$STARTED" == 1 ]]; then
        as_owner "$BINDIR/pg_ctl" -D "$DATADIR" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORKDIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_owner "$BINDIR/initdb" -D "$DATADIR" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$WORKDIR/initdb.log" 2>&1 || {
    cat "$WORKDIR/initdb.log" >&2
    exit 1
}

# A free port can be taken between the check and the start: try a few.
for attempt in 1 2 3 4 5; do
    PORT="$(free_port)"
    # Durability is pointless for a cluster deleted on exit; these settings make tests faster.
    if as_owner "$BINDIR/pg_ctl" -D "$DATADIR" -l "$LOGFILE" -w -t 60 -s \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCKDIR -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" start
    then
        STARTED=1
        break
    fi
    log "start on port $PORT failed (attempt $attempt)"
    tail -n 5 "$LOGFILE" >&2 || true
done
if [[ "$STARTED" != 1 ]]; then
    log "could not start PostgreSQL"
    exit 1
fi

psql_owner() { as_owner "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKDIR" -p "$PORT" -U postgres "$@"; }
psql_owner -d postgres -c \
    "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$DB_PASSWORD';"
psql_owner -d postgres -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\";"

export DATABASE_URL="postgres://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/$DB_NAME"
log "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($WORKDIR)"

if [[ $# -eq 0 ]]; then
    echo "DATABASE_URL=$DATABASE_URL"
    log "running until Ctrl+C; the cluster is deleted then"
    # `wait` returns at once on a signal, so the trap runs without waiting for `sleep`.
    while true; do
        sleep 3600 &
        SLEEP_PID=$!
        wait "$SLEEP_PID"
    done
fi

log "DATABASE_URL=$DATABASE_URL"
# Not exec: the trap must stop the cluster after the command.
set +e
"$@"
status=$?
set -e
exit "$status"
