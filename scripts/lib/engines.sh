#!/usr/bin/env bash
# Starts the local PostgreSQL and Redis that Image App uses in development and tests, with
# their data under .local/ in the project and on ports that do not collide with system
# services. Idempotent: engines already running are left alone.
#
#   scripts/lib/engines.sh start|stop|status
#
# Environment: IMAGEAPP_PG_PORT (default 54329), IMAGEAPP_REDIS_PORT (default 63799).
set -euo pipefail
cd "$(dirname "$0")/../.."

ROOT="$(pwd)"
LOCAL="$ROOT/.local"
PG_PORT="${IMAGEAPP_PG_PORT:-54329}"
REDIS_PORT="${IMAGEAPP_REDIS_PORT:-63799}"
PG_DATA="$LOCAL/postgres"
PG_SOCKETS="$LOCAL/run"
REDIS_DIR="$LOCAL/redis"

scripts/lib/ensure-packages.sh postgresql redis-server >/dev/null

# As root, PostgreSQL runs as the 'postgres' user, who must be able to reach its data folder. A
# checkout under a private folder (a 0700 home or `mktemp -d`) is not reachable: keep the
# PostgreSQL files under /var/tmp instead, in a folder named after the checkout and port.
if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$LOCAL"
    if ! runuser -u postgres -- test -x "$LOCAL"; then
        PG_HOME="/var/tmp/imageapp-postgres-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)-$PG_PORT"
        PG_DATA="$PG_HOME/data"
        PG_SOCKETS="$PG_HOME/run"
        mkdir -p "$PG_HOME"
        chown postgres:postgres "$PG_HOME"
    fi
fi

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

# PostgreSQL refuses to run as root: as root, run it as the 'postgres' system user (from /,
# which that user can always enter).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_running() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }
# A server already answering on the port (another checkout's engines) is reused as it is.
pg_answering() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1; }
redis_running() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_postgres() {
    if pg_answering && ! pg_running; then
        echo "postgres: reusing the server already on port $PG_PORT" >&2
    else
        init_and_start_postgres
    fi
    # The development database (tests create their own).
    if ! as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -Atqc "select 1 from pg_database where datname = 'imageapp'" | grep -q 1; then
        as_pg psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "create database imageapp" >/dev/null 2>&1 || true
    fi
}

init_and_start_postgres() {
    mkdir -p "$PG_DATA" "$PG_SOCKETS"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$PG_DATA" "$PG_SOCKETS"; fi
    chmod 700 "$PG_DATA"
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! pg_running; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_SOCKETS -c max_connections=600 -c fsync=off" >/dev/null
    fi
}

start_redis() {
    mkdir -p "$REDIS_DIR"
    if ! redis_running; then
        redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --daemonize yes \
            --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --save "" --appendonly no >/dev/null
        for _ in $(seq 100); do redis_running && break; sleep 0.1; done
        redis_running || { echo "redis did not start; see $REDIS_DIR/redis.log" >&2; exit 1; }
    fi
}

case "${1:-start}" in
start)
    start_postgres
    start_redis
    echo "postgres: postgres://postgres@127.0.0.1:$PG_PORT/imageapp   redis: redis://127.0.0.1:$REDIS_PORT"
    ;;
stop)
    if pg_running; then as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null; fi
    if redis_running; then redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; fi
    ;;
status)
    pg_running && echo "postgres: running on $PG_PORT" || echo "postgres: stopped"
    redis_running && echo "redis: running on $REDIS_PORT" || echo "redis: stopped"
    ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 64
    ;;
esac
