#!/usr/bin/env bash
# Notifications pushed live (issue 12): like -> event -> notification row -> `notification` message on a WebSocket
# open on another instance, p50/p99 over 1,000 likes at 100/s (target p99 <= 100 ms); then GET /api/v1/notifications
# req/s against the bare plugin route (example-c's hello), in the same run.
#
# Three image-app processes share one database and Redis: A (--role api, the likes come in), B (--role api, the
# author's WebSocket) and W (--role worker: the notifications' handlers and the pushes). The load tool
# (lib/notifications_load.py) registers the users through A, opens the stream on B and sends the likes at the rate.
#
#   Benchmarks/notifications.sh [--likes N] [--rate R] [--bin DIR] [harness options]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"

LIKES=1000
RATE=100
BIN_OVERRIDE=""
bench_script_usage() {
    echo "notifications.sh: --likes N (1000) --rate R (100 a second) --bin DIR (another build's image-app and plugins)"
}
bench_init notifications "$@"
set -- "${BENCH_REST[@]}"
BENCH_REST=()
while [ $# -gt 0 ]; do
    case "$1" in
        --likes) LIKES="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --bin) BIN_OVERRIDE="$2"; shift 2 ;;
        *) BENCH_REST+=("$1"); shift ;;
    esac
done
bench_no_extra_args

PORT=18150
PORT_B=18151

source Benchmarks/lib/engines.sh
if [ -n "$BIN_OVERRIDE" ]; then BENCH_BUILD=0; fi
bench_build image-app auth profiles storage-fs media posts likes realtime notifications example-c
[ -n "$BIN_OVERRIDE" ] && BENCH_BIN="$(cd "$BIN_OVERRIDE" && pwd)"
for port in $PORT $PORT_B; do bench_port_free $port; done
{
    # A cheap password hash and no sign-up limit: the benchmark registers its users through the API.
    bench_accounts_config notifications $PORT "password_scrypt_n = 1024
signup_per_ip_limit = 1000000
signup_per_network_limit = 1000000"
    printf '[plugins.media]\nenabled = true\n[plugins.posts]\nenabled = true\nredis_prefix = "%s:posts"\n' "$NAMESPACE"
    printf '[plugins.likes]\nenabled = true\nredis_prefix = "%s:likes"\n' "$NAMESPACE"
    printf '[plugins.realtime]\nenabled = true\n[plugins.notifications]\nenabled = true\n[plugins.example-c]\nenabled = true\n'
} >"$BENCH_WORK/plugins.conf"
sed "s/127.0.0.1:$PORT\"/127.0.0.1:$PORT_B\"/" "$BENCH_WORK/plugins.conf" >"$BENCH_WORK/plugins-b.conf"
bench_start api-a "$BENCH_BIN/image-app" serve --role api --config "$BENCH_WORK/plugins.conf"
bench_wait_http api-a "http://127.0.0.1:$PORT/healthz"
bench_start api-b "$BENCH_BIN/image-app" serve --role api --config "$BENCH_WORK/plugins-b.conf"
# The worker opens no port.
bench_start worker "$BENCH_BIN/image-app" serve --role worker --config "$BENCH_WORK/plugins.conf"
bench_wait_http api-b "http://127.0.0.1:$PORT_B/healthz"
sleep 2
kill -0 "${BENCH_PID[worker]}" || bench_die "the worker died: $(tail -5 "$BENCH_WORK/worker.log")"

BASE="http://127.0.0.1:$PORT/api/v1"
echo "notifications: $LIKES likes at $RATE/s through A, pushed to a WebSocket on B"
line="$(python3 Benchmarks/lib/notifications_load.py "$BASE" "$PORT_B" "$LIKES" "$RATE" "$BENCH_WORK/token.txt" \
    "$REDIS_PORT" 13 "$NAMESPACE:events")" ||
    bench_die "the load tool failed"
echo "BENCH notifications.push $line" | tee -a "${BENCH_OUT:-/dev/null}"
TOKEN="$(cat "$BENCH_WORK/token.txt")"

# The author's list: one grouped notification of LIKES actors (three shown), rendered per request.
status=$(curl -s -o "$BENCH_WORK/list.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/notifications")
[ "$status" = 200 ] || bench_die "the list answered $status: $(head -c 300 "$BENCH_WORK/list.json")"
echo "notifications: the list answers $(head -c 300 "$BENCH_WORK/list.json")"
bench_variant list "$BASE/notifications" -H "Authorization: Bearer $TOKEN"
bench_variant hello "$BASE/examples/c/hello"
bench_run list hello
echo
bench_report notifications.list list hello
