#!/usr/bin/env bash
# Realtime streams (issue 9): 10,000 concurrent server-sent event streams, then as many WebSockets, on one
# image-app (a fresh server for each kind), the resident memory each idle stream costs, and publish -> delivered
# latency for 1,000 messages a second spread over them.
#
#   Benchmarks/realtime.sh [--kind sse|websocket|both] [--clients N] [--rate R] [--publish-seconds S] [harness options]
#
# The server runs this tree's release build with the test-push plugin (an unauthenticated stream route per user
# channel, so that 10,000 streams need no 10,000 accounts) against the local Redis. The load tool
# (Benchmarks/lib/realtime_load.py) opens the streams in batches, waits until Redis lists one subscription per
# stream's channel, reads the server's RSS before and after, then PUBLISHes straight to Redis in the host's channel
# format and measures the time to delivery at each client. Targets: <= 16 KB per idle stream, p99 <= 50 ms.
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
bench_script_usage() {
    echo "  --kind K               sse, websocket, both (default), or http: idle keep-alive connections"
    echo "  --clients N            concurrent streams (default 10000)"
    echo "  --bin DIR              run DIR/image-app (with DIR/libtest-push.so) instead of this tree's build"
    echo "  --rate R               messages published a second (default 1000)"
    echo "  --publish-seconds S    how long to publish (default 20)"
}
bench_init realtime "$@"
KINDS="sse websocket"
BIN_DIR=""
CLIENTS=10000
RATE=1000
PUBLISH_SECONDS=20
set -- "${BENCH_REST[@]}"
while [ $# -gt 0 ]; do
    case "$1" in
        --kind) KINDS="$2"; [ "$KINDS" = both ] && KINDS="sse websocket"; shift 2 ;;
        --clients) CLIENTS="$2"; shift 2 ;;
        --bin) BIN_DIR="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --publish-seconds) PUBLISH_SECONDS="$2"; shift 2 ;;
        *) bench_usage >&2; bench_script_usage >&2; bench_die "unknown argument: $1" ;;
    esac
done
# Each stream is a descriptor in the server and one in the load tool.
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -gt $((CLIENTS + 1000)) ] || bench_die "the file limit $(ulimit -n) is too low for $CLIENTS streams"

PORT=18110
REDIS_DB=13
source Benchmarks/lib/engines.sh
if [ -n "$BIN_DIR" ]; then BENCH_BIN="$BIN_DIR"; else bench_build image-app test-push; fi
bench_port_free $PORT
NAMESPACE="bench-rt-$$"

cat >"$BENCH_WORK/plugins.conf" <<CONF
[host]
listen = "127.0.0.1:$PORT"
log_level = "warning"
redis_url = "redis://127.0.0.1:$REDIS_PORT/$REDIS_DB"
redis_namespace = "$NAMESPACE"
[plugins.test-push]
enabled = true
CONF

for KIND in $KINDS; do
    bench_start "server-$KIND" "$BENCH_BIN/image-app" serve --config "$BENCH_WORK/plugins.conf"
    bench_wait_http "server-$KIND" "http://127.0.0.1:$PORT/healthz"
    sleep 1
    line="$(bench_pinned "$BENCH_CLIENT_CPUS" python3 "$BENCH_LIB/realtime_load.py" "$PORT" "${BENCH_PID[server-$KIND]}" \
        "$REDIS_PORT" "$REDIS_DB" "$NAMESPACE" --kind "$KIND" --clients "$CLIENTS" --rate "$RATE" --seconds "$PUBLISH_SECONDS")"
    echo "BENCH realtime.$KIND $line" | tee -a "${BENCH_OUT:-/dev/null}"
    # A fresh server for the next kind, on the same port.
    kill -TERM "${BENCH_PID[server-$KIND]}" 2>/dev/null || true
    wait "${BENCH_PID[server-$KIND]}" 2>/dev/null || true
done
