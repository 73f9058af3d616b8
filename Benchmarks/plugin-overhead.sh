#!/usr/bin/env bash
# Plugin route vs bare Hummingbird: builds release, starts the host with the C example plugin
# and a bare Hummingbird server serving the same route and bytes, drives both with wrk in the
# same run, and prints requests/second and the ratio (target: >= 0.90).
#
#   Benchmarks/plugin-overhead.sh [DURATION_SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${1:-10}"
CONNECTIONS="${2:-64}"
THREADS=2
HOST_PORT=18080
BARE_PORT=18081
ROUTE=/api/v1/examples/c/hello

scripts/lib/ensure-packages.sh wrk curl

swift build -c release --product image-app >/dev/null
swift build -c release --product example-c >/dev/null
swift build -c release --product bare-hummingbird >/dev/null
BIN="$(swift build -c release --show-bin-path)"

WORK="$(mktemp -d)"
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
PIDS=()
trap cleanup EXIT

cat >"$WORK/plugins.conf" <<CONF
[host]
listen = "127.0.0.1:$HOST_PORT"
log_level = "warning"
[plugins.example-c]
enabled = true
CONF

"$BIN/image-app" --config "$WORK/plugins.conf" >"$WORK/host.log" 2>&1 &
PIDS+=($!)
"$BIN/bare-hummingbird" "127.0.0.1:$BARE_PORT" >"$WORK/bare.log" 2>&1 &
PIDS+=($!)

for port in $HOST_PORT $BARE_PORT; do
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port$ROUTE" >/dev/null && break; sleep 0.1; done
    curl -fs "http://127.0.0.1:$port$ROUTE" >/dev/null || { echo "server on $port did not start"; cat "$WORK"/*.log; exit 1; }
done
if ! diff <(curl -s "http://127.0.0.1:$HOST_PORT$ROUTE") <(curl -s "http://127.0.0.1:$BARE_PORT$ROUTE") >/dev/null; then
    echo "warning: the two servers answer different bodies" >&2
fi

rps() { # port -> requests/second
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$1$ROUTE" >"$WORK/wrk-$1.txt"
    awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$1.txt"
}

# Warm both up, then measure alternately twice and keep the better run of each.
wrk -t1 -c8 -d2s "http://127.0.0.1:$HOST_PORT$ROUTE" >/dev/null
wrk -t1 -c8 -d2s "http://127.0.0.1:$BARE_PORT$ROUTE" >/dev/null
best() { printf '%s\n' "$@" | sort -g | tail -1; }
H1=$(rps $HOST_PORT); B1=$(rps $BARE_PORT); H2=$(rps $HOST_PORT); B2=$(rps $BARE_PORT)
HOST_RPS=$(best "$H1" "$H2"); BARE_RPS=$(best "$B1" "$B2")

echo "route:               GET $ROUTE (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, 2 runs each, best kept)"
echo "image-app + example-c: $HOST_RPS req/s   (runs: $H1, $H2)"
echo "bare Hummingbird:      $BARE_RPS req/s   (runs: $B1, $B2)"
awk -v h="$HOST_RPS" -v b="$BARE_RPS" 'BEGIN { printf "ratio (plugin / bare): %.3f   (target >= 0.90)\n", h / b }'
grep -h "Latency " "$WORK"/wrk-*.txt | head -2 | sed 's/^/latency /'

# For reference: a route that is not NONBLOCKING runs on the worker pool (a thread hop each
# way). POST /api/v1/examples/c/echo/{name} is such a route; there is no bare equivalent.
cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "hello benchmark"
wrk.headers["Content-Type"] = "text/plain"
LUA
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/post.lua" \
    "http://127.0.0.1:$HOST_PORT/api/v1/examples/c/echo/bench?q=1" >"$WORK/wrk-pool.txt"
echo "worker-pool route (POST echo, for reference): $(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-pool.txt") req/s"
