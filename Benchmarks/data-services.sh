#!/usr/bin/env bash
# Data-services benchmarks against the local PostgreSQL and Redis:
#  1. trivial insert commands per second (each its own transaction, through dispatch_command)
#     next to pgbench's TPC-B-like run on the same server, and their ratio;
#  2. event latency from a command's commit to a worker process's handler, p50 and p99.
# Not HTTP, so not on the harness (lib/harness.sh), but each part ends with the same kind of
# machine-readable `BENCH name=...` line (one run each, so no spread).
#
#   Benchmarks/data-services.sh [INSERTS] [THREADS] [EVENTS] [EVENTS_PER_SECOND]
set -euo pipefail
cd "$(dirname "$0")/.."

INSERTS="${1:-20000}"
THREADS="${2:-16}"
EVENTS="${3:-2000}"
RATE="${4:-200}"
source Benchmarks/lib/engines.sh
swift build -c release --product image-app >/dev/null
swift build -c release --product bench-data >/dev/null
BIN="$(swift build -c release --show-bin-path)"

for db in imageapp_bench imageapp_pgbench; do
    psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
    psql_admin -c "CREATE DATABASE $db" >/dev/null
done

WORK="$(mktemp -d)"
WORKER_PID=""
cleanup() { [ -n "$WORKER_PID" ] && kill "$WORKER_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
STREAM="bench:events:$$"
cat >"$WORK/plugins.conf" <<CONF
[host]
log_level = "warning"
database_url = "postgres://postgres@127.0.0.1:$PG_PORT/imageapp_bench"
database_pool_size = $THREADS
redis_url = "redis://127.0.0.1:$REDIS_PORT/14"
events_stream = "$STREAM"
[plugins.bench-data]
enabled = true
CONF

"$BIN/image-app" migrate --config "$WORK/plugins.conf" >/dev/null
echo "== insert commands vs pgbench (TPC-B-like), $THREADS clients, same PostgreSQL =="
COMMANDS_LINE="$("$BIN/image-app" bench-inserts --config "$WORK/plugins.conf" "$INSERTS" "$THREADS")"
echo "$COMMANDS_LINE"
COMMANDS_RATE="$(echo "$COMMANDS_LINE" | sed -E 's/.*= ([0-9.]+) commands\/s.*/\1/')"

PGBENCH="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pgbench"
as_pg "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -i -q -s 10 imageapp_pgbench >/dev/null 2>&1
PGBENCH_OUT="$(as_pg "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "$THREADS" -j 2 -T 15 imageapp_pgbench 2>/dev/null)"
PGBENCH_TPS="$(echo "$PGBENCH_OUT" | awk '/^tps/ {print $3; exit}')"
echo "pgbench TPC-B-like: $PGBENCH_TPS tps (scale 10, $THREADS clients, 15 s)"
awk -v c="$COMMANDS_RATE" -v p="$PGBENCH_TPS" 'BEGIN { printf "ratio (insert commands / pgbench tps): %.2f\n", c / p }'
NOW="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
awk -v c="$COMMANDS_RATE" -v p="$PGBENCH_TPS" -v t="$THREADS" -v n="$INSERTS" -v d="$NOW" 'BEGIN {
    printf "BENCH name=data-services.inserts a=insert-commands b=pgbench-tpcb a_median=%.0f b_median=%.0f ratio_median=%.3f rounds=1 clients=%d inserts=%d date=%s\n", c, p, c / p, t, n, d }'

echo "== event latency: commit -> worker handler =="
"$BIN/image-app" serve --role worker --config "$WORK/plugins.conf" >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!
for _ in $(seq 100); do grep -q "worker running" "$WORK/worker.log" && break; sleep 0.1; done
EVENTS_LINE="$("$BIN/image-app" bench-events --config "$WORK/plugins.conf" "$EVENTS" "$RATE")"
echo "$EVENTS_LINE"
python3 -c 'import json, sys
stats = json.loads(sys.argv[1].split(": ", 1)[1])
print("BENCH name=data-services.events p50_ms={p50_ms} p99_ms={p99_ms}".format(**stats),
      "events=%s per_second=%s rounds=1 date=%s" % tuple(sys.argv[2:5]))' \
    "$EVENTS_LINE" "$EVENTS" "$RATE" "$NOW"
redis-cli -p "$REDIS_PORT" -n 14 del "$STREAM" "$STREAM:dead" >/dev/null
