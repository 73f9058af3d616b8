#!/usr/bin/env bash
# The rate limiter's cost (issue 9; target: limited route >= 0.60x bare Hummingbird). Three servers
# answer the example hello route with the same bytes: image-app with `ratelimit` in front of it (one
# Redis script per request, run without a worker thread), image-app without it, and bare
# Hummingbird; the harness runs them in interleaved rounds and reports the per-round ratios. The
# limits are set high enough that nothing is refused: the figure is the cost of checking.
#
#   Benchmarks/ratelimit.sh [--rounds N] [--seconds S] [harness options]
set -euo pipefail
source "$(dirname "$0")/lib/harness.sh"
bench_init ratelimit "$@"
bench_no_extra_args

LIMITED_PORT=18096
PLAIN_PORT=18097
BARE_PORT=18098
ROUTE=/api/v1/examples/c/hello
NAMESPACE="bench-ratelimit-$$"

source Benchmarks/lib/engines.sh
bench_build image-app example-c ratelimit bare-hummingbird
for port in $LIMITED_PORT $PLAIN_PORT $BARE_PORT; do bench_port_free $port; done
bench_on_exit "redis-cli -p $REDIS_PORT -n 12 --scan --pattern '$NAMESPACE*' | xargs -r redis-cli -p $REDIS_PORT -n 12 del >/dev/null"

config() {
    cat <<CONF
[host]
listen = "127.0.0.1:$1"
log_level = "warning"
redis_url = "redis://127.0.0.1:$REDIS_PORT/12"
redis_namespace = "$NAMESPACE"
[plugins.example-c]
enabled = true
[plugins.ratelimit]
enabled = $2
redis_prefix = "$NAMESPACE:rl"
anonymous_limit = 10000000
CONF
}
config $LIMITED_PORT true >"$BENCH_WORK/limited.conf"
config $PLAIN_PORT false >"$BENCH_WORK/plain.conf"
bench_start limited "$BENCH_BIN/image-app" --config "$BENCH_WORK/limited.conf"
bench_start plain "$BENCH_BIN/image-app" --config "$BENCH_WORK/plain.conf"
bench_start bare "$BENCH_BIN/bare-hummingbird" "127.0.0.1:$BARE_PORT"
bench_wait_http limited "http://127.0.0.1:$LIMITED_PORT$ROUTE"
bench_wait_http plain "http://127.0.0.1:$PLAIN_PORT$ROUTE"
bench_wait_http bare "http://127.0.0.1:$BARE_PORT$ROUTE"
curl -fsI "http://127.0.0.1:$LIMITED_PORT$ROUTE" | grep -qi '^RateLimit-Remaining' ||
    bench_die "the limited server does not send RateLimit headers: is ratelimit loaded?"

bench_variant limited "http://127.0.0.1:$LIMITED_PORT$ROUTE"
bench_variant plain "http://127.0.0.1:$PLAIN_PORT$ROUTE"
bench_variant bare "http://127.0.0.1:$BARE_PORT$ROUTE"

bench_run
echo
bench_report ratelimit limited bare 0.60
echo
bench_report ratelimit.plugin-route plain bare 0.90
echo
bench_report ratelimit.limited-vs-plain limited plain
