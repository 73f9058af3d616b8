#!/usr/bin/env bash
# Plugin route vs bare Hummingbird (target: ratio >= 0.90). The host with the C example plugin
# and a bare Hummingbird server answering the same route with the same bytes run side by side;
# the harness drives them in interleaved rounds and reports the per-round ratio. The host's
# worker-pool route (POST echo: not NONBLOCKING, so a thread hop each way; there is no bare
# equivalent) runs in the same rounds for reference.
#
#   Benchmarks/plugin-overhead.sh [--rounds N] [--seconds S] [--no-pool] [harness options]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
bench_script_usage() { echo "  --no-pool          skip the worker-pool route (reference only)"; }
bench_init plugin-overhead "$@"
POOL=1
for arg in "${BENCH_REST[@]}"; do
    case "$arg" in
        --no-pool) POOL=0 ;;
        *) bench_usage >&2; bench_script_usage >&2; bench_die "unknown argument: $arg" ;;
    esac
done

HOST_PORT=18080
BARE_PORT=18081
ROUTE=/api/v1/examples/c/hello

bench_build image-app example-c bare-hummingbird
bench_port_free $HOST_PORT
bench_port_free $BARE_PORT

cat >"$BENCH_WORK/plugins.conf" <<CONF
[host]
listen = "127.0.0.1:$HOST_PORT"
log_level = "warning"
[plugins.example-c]
enabled = true
CONF
bench_start image-app "$BENCH_BIN/image-app" --config "$BENCH_WORK/plugins.conf"
bench_start bare "$BENCH_BIN/bare-hummingbird" "127.0.0.1:$BARE_PORT"
bench_wait_http image-app "http://127.0.0.1:$HOST_PORT$ROUTE"
bench_wait_http bare "http://127.0.0.1:$BARE_PORT$ROUTE"
if ! diff <(curl -s "http://127.0.0.1:$HOST_PORT$ROUTE") <(curl -s "http://127.0.0.1:$BARE_PORT$ROUTE") >/dev/null; then
    echo "warning: the two servers answer different bodies" >&2
fi

bench_variant plugin "http://127.0.0.1:$HOST_PORT$ROUTE"
bench_variant bare "http://127.0.0.1:$BARE_PORT$ROUTE"
if [ "$POOL" -eq 1 ]; then
    cat >"$BENCH_WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "hello benchmark"
wrk.headers["Content-Type"] = "text/plain"
LUA
    bench_variant worker-pool "http://127.0.0.1:$HOST_PORT/api/v1/examples/c/echo/bench?q=1" --lua "$BENCH_WORK/post.lua"
fi

bench_run
echo
bench_report plugin-overhead plugin bare 0.90
if [ "$POOL" -eq 1 ]; then
    echo
    bench_report plugin-overhead.worker-pool worker-pool bare
fi
